"""Explicit grants of one series, clue or victim to one user or one agency."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.models import UserObjectPermissionBase

from cases import access
from cases.access import grant_models
from cases.models import Clue, Series, Victim
from victimid import audit_actions
from victimid.gate import has_casework_access
from victimid.models import Agency, User
from victimid.services.audit import audit_record

__all__ = ["NO_SUCH_INVESTIGATOR", "record_grant", "record_grant_revoke"]

# One answer for an unknown address and for an account that may not see casework,
# so the grant form does not tell which addresses exist.
NO_SUCH_INVESTIGATOR = gettext_lazy(
    "No vetted investigator uses this e-mail address; check it, or grant to their agency."
)


def _grant_target(
    record: Series | Clue | Victim, user: User | None, agency: Agency | None
) -> tuple[Any, Any, str]:
    if (user is None) == (agency is None):
        raise ValidationError(_("Grant to exactly one user or one agency."))
    try:
        user_grants, agency_grants, codename = grant_models(record)
    except LookupError:
        raise ValidationError(
            _("Only series, clues and children's records can be granted.")
        ) from None
    if user is not None:
        return user_grants, user, codename
    assert agency is not None
    return agency_grants, agency.permission_group, codename


def _check_grantee(
    record: Series | Clue | Victim, user: User | None, agency: Agency | None
) -> None:
    """A grant must let someone new see the record: not the owner, not a closed account."""
    if agency is not None and agency.pk == record.agency_id:
        raise ValidationError({"agency": _("Your agency already sees it.")})
    if user is None:
        return
    if not has_casework_access(user) or user.agency_id is None:
        raise ValidationError({"user": str(NO_SUCH_INVESTIGATOR)})
    if user.agency_id == record.agency_id:
        raise ValidationError({"user": _("This person works at your agency and already sees it.")})


def _holder(model: Any, grantee: Any) -> dict[str, Any]:
    return {"user": grantee} if issubclass(model, UserObjectPermissionBase) else {"group": grantee}


def record_grant(
    *,
    actor: User,
    record: Series | Clue | Victim,
    user: User | None = None,
    agency: Agency | None = None,
) -> bool:
    """Let one user or one agency see one record; only the owning agency grants.

    Granting again what is already granted changes nothing and writes nothing: the
    answer is False then, True when a grant was made (and audited).
    """
    access.require_editable(actor, record)
    model, grantee, codename = _grant_target(record, user, agency)
    _check_grantee(record, user, agency)
    with transaction.atomic():
        existing = model.objects.filter(
            content_object=record, permission__codename=codename, **_holder(model, grantee)
        )
        if existing.exists():
            return False
        model.objects.assign_perm(codename, grantee, record)
        audit_record(
            actor=actor,
            action=audit_actions.GRANT_ADDED,
            target=record,
            details={"user": user.pk if user else None, "agency": agency.pk if agency else None},
        )
    return True


def record_grant_revoke(
    *,
    actor: User,
    record: Series | Clue | Victim,
    user: User | None = None,
    agency: Agency | None = None,
) -> None:
    """Withdraw an explicit grant; only the owning agency revokes. Http404 if there is none."""
    access.require_editable(actor, record)
    model, grantee, codename = _grant_target(record, user, agency)
    with transaction.atomic():
        removed, _by_model = model.objects.remove_perm(codename, grantee, record)
        if not removed:
            raise Http404
        audit_record(
            actor=actor,
            action=audit_actions.GRANT_REVOKED,
            target=record,
            details={"user": user.pk if user else None, "agency": agency.pk if agency else None},
        )
