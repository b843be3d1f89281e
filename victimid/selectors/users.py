"""Reads of users for coordinators and admins."""

from __future__ import annotations

from django.db.models import QuerySet

from victimid.choices import Role
from victimid.models import User

__all__ = ["users_manageable_by"]


def users_manageable_by(actor: User | None) -> QuerySet[User]:
    """Users whose vetting, roles and lock ``actor`` may decide: the one statement of that rule.

    - ``None`` is an operator command run on the server itself: it manages everyone.
    - Nobody manages themselves, and an actor who is not vetted right now (pending,
      suspended, lapsed, locked or disabled) manages nobody, platform admins included.
    - A platform admin manages every other user, in any country.
    - A national coordinator manages the users of their own agency's country, except
      platform admins: a coordinator must not be able to suspend the people who
      oversee the coordinators.
    """
    users = User.objects.select_related("agency").prefetch_related("groups")
    if actor is None:
        return users
    if not actor.is_vetted:
        return users.none()
    others = users.exclude(pk=actor.pk)
    if actor.is_platform_admin:
        return others
    if not actor.has_role(Role.COORDINATOR) or actor.agency is None:
        return users.none()
    return (
        others.filter(agency__country=actor.agency.country, is_superuser=False)
        # Users without an agency have no country and stay out through the filter above.
        .exclude(groups__name=Role.ADMIN)
    )
