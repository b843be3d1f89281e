"""Sharing groups: named sets of agencies (task forces) that records can be shared with."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from victimid import audit_actions
from victimid.choices import Role
from victimid.models import Agency, SharingGroup, SharingGroupMembership, User
from victimid.services.audit import audit_record

__all__ = [
    "can_manage_sharing_group",
    "sharing_group_create",
    "sharing_group_member_add",
    "sharing_group_member_remove",
]


def _is_coordinator_or_admin(actor: User) -> bool:
    if not getattr(actor, "is_authenticated", False) or not actor.is_vetted:
        return False
    return actor.is_platform_admin or actor.has_role(Role.COORDINATOR)


def can_manage_sharing_group(actor: User, sharing_group: SharingGroup) -> bool:
    """The managing agency's coordinators, and platform admins, manage membership."""
    if not _is_coordinator_or_admin(actor):
        return False
    return actor.is_platform_admin or actor.agency_id == sharing_group.managing_agency_id


def sharing_group_create(
    *,
    actor: User,
    name: str,
    description: str = "",
    members: Iterable[Agency] = (),
    managing_agency: Agency | None = None,
) -> SharingGroup:
    """A coordinator (or admin) creates a group; their agency manages it and is a member."""
    if not _is_coordinator_or_admin(actor):
        raise PermissionDenied(_("Only coordinators and admins create sharing groups."))
    own_agency_only = managing_agency is not None and not actor.is_platform_admin
    if own_agency_only and managing_agency.pk != actor.agency_id:  # type: ignore[union-attr]
        raise PermissionDenied(_("A coordinator creates groups for their own agency."))
    managing_agency = managing_agency or actor.agency
    if managing_agency is None:
        raise ValidationError({"managing_agency": _("Choose the agency that manages the group.")})
    from cases.screening import screen_fields

    group = SharingGroup(
        name=(name or "").strip(),
        description=(description or "").strip(),
        managing_agency=managing_agency,
        created_by=actor,
    )
    screen_fields({"name": group.name, "description": group.description})
    group.full_clean()
    if len(group.description) > 2000:
        raise ValidationError({"description": _("At most 2000 characters.")})
    agencies = {managing_agency.pk: managing_agency}
    agencies.update({agency.pk: agency for agency in members})
    with transaction.atomic():
        group.save()
        SharingGroupMembership.objects.bulk_create(
            SharingGroupMembership(sharing_group=group, agency=agency, added_by=actor)
            for agency in agencies.values()
        )
        audit_record(
            actor=actor,
            action=audit_actions.SHARING_GROUP_CREATED,
            target=group,
            details={"members": sorted(agencies)},
        )
    return group


def _require_manager(actor: User, sharing_group: SharingGroup) -> None:
    if not can_manage_sharing_group(actor, sharing_group):
        raise PermissionDenied(
            _("Only the managing agency's coordinators change this group's members.")
        )


def sharing_group_member_add(
    *, actor: User, sharing_group: SharingGroup, agency: Agency
) -> SharingGroupMembership:
    """Add an agency to a group (managing agency's coordinators or admins)."""
    _require_manager(actor, sharing_group)
    try:
        with transaction.atomic():
            membership = SharingGroupMembership.objects.create(
                sharing_group=sharing_group, agency=agency, added_by=actor
            )
            audit_record(
                actor=actor,
                action=audit_actions.SHARING_GROUP_MEMBER_ADDED,
                target=sharing_group,
                details={"agency": agency.pk},
            )
    except IntegrityError:
        raise ValidationError({"agency": _("This agency is already a member.")}) from None
    return membership


def sharing_group_member_remove(
    *, actor: User, sharing_group: SharingGroup, agency: Agency
) -> None:
    """Remove an agency from a group; the managing agency itself stays."""
    _require_manager(actor, sharing_group)
    if agency.pk == sharing_group.managing_agency_id:
        raise ValidationError({"agency": _("The managing agency cannot leave its own group.")})
    with transaction.atomic():
        removed, _detail = SharingGroupMembership.objects.filter(
            sharing_group=sharing_group, agency=agency
        ).delete()
        if not removed:
            raise ValidationError({"agency": _("This agency is not a member.")})
        audit_record(
            actor=actor,
            action=audit_actions.SHARING_GROUP_MEMBER_REMOVED,
            target=sharing_group,
            details={"agency": agency.pk},
        )
