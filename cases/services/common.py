"""Helpers every casework service shares: who may write, sharing groups, locking, lengths."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.choices import Distribution
from cases.exceptions import VersionConflict
from victimid.choices import Role
from victimid.gate import CASEWORK_REFUSED, has_casework_access
from victimid.models import SharingGroup, User
from victimid.text_limits import over_limit_message

__all__ = [
    "casework_users",
    "check_text_lengths",
    "require_casework_writer",
    "validate_sharing_group",
    "versioned_update",
]

_M = TypeVar("_M", bound=models.Model)


def require_casework_writer(actor: User) -> None:
    """Only vetted, verified investigators and coordinators with an agency write casework."""
    if not has_casework_access(actor) or actor.agency_id is None:
        raise PermissionDenied(CASEWORK_REFUSED)


def casework_users(**filters: Any) -> list[User]:
    """Active users matching ``filters`` whom the gate lets into casework (e.g. an agency's)."""
    users = User.objects.filter(
        is_active=True,
        groups__name__in=[str(Role.INVESTIGATOR), str(Role.COORDINATOR)],
        **filters,
    ).distinct()
    return [user for user in users.select_related("agency") if has_casework_access(user)]


def validate_sharing_group(
    actor: User, distribution: str, sharing_group: SharingGroup | None
) -> None:
    """A record may be shared only with a group the actor's agency belongs to or manages."""
    if distribution != Distribution.GROUP or sharing_group is None:
        return  # the model's clean() reports a missing or superfluous group
    agency_id = actor.agency_id or 0
    if sharing_group.managing_agency_id == agency_id:
        return
    if not sharing_group.memberships.filter(agency_id=agency_id).exists():
        raise ValidationError(
            {
                "sharing_group": _(
                    "Your agency is not a member of this sharing group; choose one it belongs to."
                )
            }
        )


def check_text_lengths(record: models.Model) -> None:
    """Enforce ``max_length`` on text fields (Django leaves it to forms for TextField),
    with the limit and the length in the words the pages and the API use."""
    errors: dict[str, list[str]] = {}
    for field in record._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField) and field.max_length:
            value = getattr(record, field.attname) or ""
            if isinstance(value, str) and len(value) > field.max_length:
                errors[field.name] = [over_limit_message(limit=field.max_length, length=len(value))]
    if errors:
        raise ValidationError(errors)


def versioned_update(record: models.Model, *, version: int, fields: list[str]) -> None:
    """Write ``fields`` only if the stored version is still ``version``; bump it.

    One conditional ``UPDATE ... WHERE version = expected``: of two writers holding
    the same version, the second finds no row to change and gets VersionConflict.
    """
    model = type(record)
    attnames = [model._meta.get_field(name).attname for name in fields]  # type: ignore[union-attr]
    values: dict[str, Any] = {attname: getattr(record, attname) for attname in attnames}
    now = timezone.now()
    changed = model._default_manager.filter(pk=record.pk, version=version).update(
        **values, version=F("version") + 1, updated_at=now
    )
    if changed != 1:
        current = (
            model._default_manager.filter(pk=record.pk).values_list("version", flat=True).first()
        )
        if current is None:
            raise Http404
        raise VersionConflict(current_version=current)
    record.version = version + 1  # type: ignore[attr-defined]
    record.updated_at = now  # type: ignore[attr-defined]


def still_visible_or_rollback(actor: User, record: models.Model) -> None:
    """After a write, in its transaction: refuse a change that hides the record from its writer."""
    if not access.can_view(actor, record):
        raise ValidationError(
            {
                "distribution": _(
                    "After this change you could no longer see the record; nothing was changed."
                )
            }
        )


def apply_changes(record: models.Model, changes: dict[str, Any], allowed: set[str]) -> list[str]:
    """Set the allowed ``changes`` on ``record``; refuse unknown fields; the names changed."""
    leaving_group = changes.get("distribution", Distribution.GROUP) != Distribution.GROUP
    if leaving_group and "sharing_group" not in changes:
        changes["sharing_group"] = None  # a group belongs only to the 'group' level
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    for name, value in changes.items():
        setattr(record, name, value)
    return sorted(changes)
