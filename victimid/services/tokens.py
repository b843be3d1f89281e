"""Personal API tokens: issued once, stored as SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import ApiToken, User
from victimid.services.audit import audit_record

TOKEN_PREFIX = "vid_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_issue(*, user: User, name: str, days: int) -> tuple[ApiToken, str]:
    """Create a token for ``user``; returns the record and the token text (shown once)."""
    if not user.is_vetted:
        raise PermissionDenied(_("Only vetted users can hold API tokens."))
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": _("A token lasts 1 to %(max)d days.") % {"max": settings.API_TOKEN_MAX_DAYS}}
        )
    name = (name or "").strip() or _("API token")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    record = ApiToken(
        user=user,
        name=name[:100],
        prefix=token[: len(TOKEN_PREFIX) + 6],
        token_hash=hash_token(token),
        expires_at=now + timedelta(days=days),
    )
    with transaction.atomic():
        record.save()
        audit_record(
            actor=user,
            action=audit_actions.TOKEN_ISSUED,
            target=record,
            details={"expires_at": record.expires_at.isoformat()},
        )
    return record, token


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke a token of one's own (or, for an admin, anyone's)."""
    if token.user_id != actor.pk and not actor.is_platform_admin:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_record(actor=actor, action=audit_actions.TOKEN_REVOKED, target=token)


def api_token_authenticate(token: str) -> ApiToken | None:
    """The usable token matching ``token`` whose owner may still act, or None (audited: a
    refused token is an authentication failure, named by its public prefix only)."""
    well_formed = token.startswith(TOKEN_PREFIX) and len(token) <= 100
    record = (
        ApiToken.objects.usable()
        .select_related("user", "user__agency")
        .filter(token_hash=hash_token(token))
        .first()
        if well_formed
        else None
    )
    if record is None or not record.user.is_active or record.user.locked_at is not None:
        known = ApiToken.objects.filter(token_hash=hash_token(token)).first()
        audit_record(
            actor=known.user if known else None,
            action=audit_actions.TOKEN_REFUSED,
            target=known,
            outcome=AuditOutcome.FAILURE,
            details={"prefix": token[: len(TOKEN_PREFIX) + 6] if well_formed else ""},
        )
        return None
    now = timezone.now()
    # One write per minute at most per token, not one per request.
    if record.last_used_at is None or now - record.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record
