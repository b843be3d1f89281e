"""Refused requests as audit events (ASVS 16.3.2, 16.3.3): a casework request answered 403,
or 404 by a casework route, and every 429 of the rate limits — the latter at most once per
actor, route and minute, so a client hammering past a limit cannot flood the trail."""

from __future__ import annotations

from collections.abc import Mapping

from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import AuditEvent, User
from victimid.services.audit import audit_record

__all__ = ["access_refusal_record", "rate_limit_record"]

# A path parameter is an identifier (a code, an id); longer text is cut, never stored whole.
_IDENTIFIER_LENGTH = 64


def _identifiers(requested: Mapping[str, object]) -> dict[str, str]:
    return {str(name): str(value)[:_IDENTIFIER_LENGTH] for name, value in requested.items()}


def access_refusal_record(
    *,
    actor: User,
    route: str,
    method: str,
    status: int,
    requested: Mapping[str, object],
) -> AuditEvent:
    """Record one refused casework request: who, which route, which identifiers they asked
    for and the status answered. A 404 is recorded the same way whether the record is hidden
    from the actor or does not exist: the user saw one answer, and the auditor, who reads
    the identifiers, tells the two apart."""
    return audit_record(
        actor=actor,
        action=audit_actions.ACCESS_REFUSED,
        outcome=AuditOutcome.DENIED,
        details={
            "route": route,
            "method": method,
            "status": status,
            "requested": _identifiers(requested),
        },
    )


def rate_limit_record(
    *,
    actor: User | None,
    route: str,
    method: str,
    limit: str,
    retry_after: int,
    actor_email: str = "",
    token_prefix: str = "",
) -> AuditEvent:
    """Record a request refused with 429 (the caller keeps it to one per actor, route and
    minute). ``actor_email`` is the account typed at sign-in when nobody is signed in;
    ``token_prefix`` the public prefix of a bearer token, never the token."""
    details: dict[str, object] = {
        "route": route,
        "method": method,
        "limit": limit,
        "retry_after": retry_after,
    }
    if token_prefix:
        details["token_prefix"] = token_prefix
    return audit_record(
        actor=actor,
        action=audit_actions.RATE_LIMITED,
        outcome=AuditOutcome.DENIED,
        details=details,
        actor_email=actor_email,
    )
