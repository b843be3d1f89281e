"""Reads of users for coordinators and admins."""

from __future__ import annotations

from django.db.models import QuerySet

from victimid.choices import Role
from victimid.models import User


def users_manageable_by(actor: User) -> QuerySet[User]:
    """Users whose vetting ``actor`` may decide: own country for coordinators, all for admins."""
    users = User.objects.select_related("agency").prefetch_related("groups")
    if actor.is_platform_admin:
        return users.exclude(pk=actor.pk)
    if not actor.is_vetted or not actor.has_role(Role.COORDINATOR) or actor.agency is None:
        return users.none()
    return (
        users.filter(agency__country=actor.agency.country, is_superuser=False)
        .exclude(groups__name=Role.ADMIN)
        .exclude(pk=actor.pk)
    )
