"""Explicit grants of one series or clue to one user or one agency."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.models import (
    Clue,
    ClueAgencyGrant,
    ClueUserGrant,
    Series,
    SeriesAgencyGrant,
    SeriesUserGrant,
)
from cases.services.common import require_editable
from victimid import audit_actions
from victimid.models import Agency, User
from victimid.services.audit import audit_record

__all__ = ["record_grant", "record_grant_revoke"]

_GRANTS = {
    Series: (SeriesUserGrant, SeriesAgencyGrant, "view_series"),
    Clue: (ClueUserGrant, ClueAgencyGrant, "view_clue"),
}


def _grant_target(
    record: Series | Clue, user: User | None, agency: Agency | None
) -> tuple[object, object, str]:
    if (user is None) == (agency is None):
        raise ValidationError(_("Grant to exactly one user or one agency."))
    if type(record) not in _GRANTS:
        raise ValidationError(_("Only series and clues can be granted."))
    user_grants, agency_grants, codename = _GRANTS[type(record)]
    if user is not None:
        return user_grants.objects, user, codename
    return agency_grants.objects, agency.permission_group, codename  # type: ignore[union-attr]


def record_grant(
    *, actor: User, record: Series | Clue, user: User | None = None, agency: Agency | None = None
) -> None:
    """Let one user or one agency see one record; only the owning agency grants."""
    require_editable(actor, record)
    manager, grantee, codename = _grant_target(record, user, agency)
    with transaction.atomic():
        manager.assign_perm(codename, grantee, record)  # type: ignore[attr-defined]
        audit_record(
            actor=actor,
            action=audit_actions.GRANT_ADDED,
            target=record,
            details={"user": user.pk if user else None, "agency": agency.pk if agency else None},
        )


def record_grant_revoke(
    *, actor: User, record: Series | Clue, user: User | None = None, agency: Agency | None = None
) -> None:
    """Withdraw an explicit grant; only the owning agency revokes."""
    require_editable(actor, record)
    manager, grantee, codename = _grant_target(record, user, agency)
    with transaction.atomic():
        manager.remove_perm(codename, grantee, record)  # type: ignore[attr-defined]
        audit_record(
            actor=actor,
            action=audit_actions.GRANT_REVOKED,
            target=record,
            details={"user": user.pk if user else None, "agency": agency.pk if agency else None},
        )
