"""Reading sharing groups."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from victimid.models import SharingGroup, SharingGroupMembership, User

__all__ = ["sharing_group_get", "sharing_groups_for"]


def sharing_groups_for(*, actor: User) -> QuerySet[SharingGroup]:
    """The groups the actor's agency belongs to or manages (every group for admins)."""
    queryset = SharingGroup.objects.select_related("managing_agency").prefetch_related(
        Prefetch(
            "memberships",
            queryset=SharingGroupMembership.objects.select_related("agency").order_by(
                "agency__name"
            ),
        )
    )
    if not getattr(actor, "is_authenticated", False):
        return queryset.none()
    if actor.is_platform_admin:
        return queryset
    if actor.agency_id is None:
        return queryset.none()
    return queryset.filter(
        Q(managing_agency_id=actor.agency_id)
        | Q(
            pk__in=SharingGroupMembership.objects.filter(agency_id=actor.agency_id).values(
                "sharing_group_id"
            )
        )
    )


def sharing_group_get(*, actor: User, pk: int | str) -> SharingGroup:
    """One group the actor's agency belongs to or manages; Http404 otherwise."""
    try:
        group_id = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    group = sharing_groups_for(actor=actor).filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group
