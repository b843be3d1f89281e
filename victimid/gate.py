"""The user-level gate: may this person see casework at all?

Active, vetted and current, a verified second factor, and a casework role. What a
user may see of each record is decided by the casework access policy
(``cases/access/``), which asks this gate first; nothing here knows about records.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from victimid.choices import Role

__all__ = [
    "AUDIT_REFUSED",
    "CASEWORK_REFUSED",
    "STATS_REFUSED",
    "StatsScope",
    "has_audit_access",
    "has_casework_access",
    "second_factor_ok",
    "stats_scope",
]

# The one answer, on pages, in the API and from the services, to someone signed in whom
# the gate does not let into casework.
CASEWORK_REFUSED = _("Casework is for vetted investigators and coordinators.")
AUDIT_REFUSED = _("The audit trail is for auditors and platform admins.")
STATS_REFUSED = _(
    "The figures are for oversight, coordinators (their country) and investigators (their agency)."
)


class StatsScope(NamedTuple):
    """Which aggregate figures a user may read: every country (``world``), one country
    (``country``, its ISO code) or one agency (``agency``, its id)."""

    kind: str
    key: str


def second_factor_ok(user: Any) -> bool:
    """False for a request-bound user whose session has no verified second factor.

    Users loaded outside a request (tasks, commands) carry no ``is_verified``;
    the second-factor gate already guards every request, so they pass here.
    """
    is_verified = getattr(user, "is_verified", None)
    return True if is_verified is None else bool(is_verified())


def has_casework_access(user: Any) -> bool:
    """May this user see any casework? Vetted, current, active, second factor verified."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_vetted or not second_factor_ok(user):
        return False
    # Oversight and auditors read aggregates and the audit trail only.
    return user.has_role(Role.INVESTIGATOR) or user.has_role(Role.COORDINATOR)


def has_audit_access(user: Any) -> bool:
    """May this user read the audit trail? Vetted, second factor verified, and an auditor
    or a platform admin. Auditors read identifiers only, never casework."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if not user.is_vetted or not second_factor_ok(user):
        return False
    return bool(user.has_role(Role.AUDITOR) or user.is_platform_admin)


def stats_scope(user: Any) -> StatsScope | None:
    """The figures ``user`` may read, or None: aggregates only, never a case.

    Oversight reads every country; a coordinator their own country; an investigator their
    own agency. One scope per user (the widest their roles give), so that nobody can set
    two differently protected tables side by side. Auditors and admins read none.
    """
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if not user.is_vetted or not second_factor_ok(user):
        return None
    if user.has_role(Role.OVERSIGHT):
        return StatsScope("world", "")
    if user.agency_id is None:
        return None
    if user.has_role(Role.COORDINATOR):
        return StatsScope("country", str(user.country_code))
    if user.has_role(Role.INVESTIGATOR):
        return StatsScope("agency", str(user.agency_id))
    return None
