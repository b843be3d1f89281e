"""Explicit grants of one record to one user or one agency (django-guardian, direct FKs).

Agency grants are held by the agency's own auth group (``Agency.permission_group``),
so a grant to an agency is one row however many people work there.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

__all__ = [
    "ClueAgencyGrant",
    "ClueUserGrant",
    "SeriesAgencyGrant",
    "SeriesUserGrant",
    "grant_models",
    "granted_at_field",
]


def grant_models(record: models.Model) -> tuple[Any, Any, str]:
    """The user-grant model, the agency-grant model and the permission for ``record``'s kind."""
    from cases.models import Clue, Series, Victim, VictimAgencyGrant, VictimUserGrant

    kinds: dict[type[models.Model], tuple[Any, Any, str]] = {
        Series: (SeriesUserGrant, SeriesAgencyGrant, "view_series"),
        Clue: (ClueUserGrant, ClueAgencyGrant, "view_clue"),
        Victim: (VictimUserGrant, VictimAgencyGrant, "view_victim"),
    }
    if type(record) not in kinds:
        raise LookupError(f"{type(record).__name__} records cannot be granted")
    return kinds[type(record)]


def granted_at_field() -> models.DateTimeField:
    """When the grant was made; the database fills it, so bulk SQL inserts get it too."""
    return models.DateTimeField(_("granted at"), db_default=Now(), editable=False)


class SeriesUserGrant(UserObjectPermissionBase):
    """``view_series`` on one series for one user."""

    content_object = models.ForeignKey("cases.Series", on_delete=models.CASCADE)
    granted_at = granted_at_field()

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"])]


class SeriesAgencyGrant(GroupObjectPermissionBase):
    """``view_series`` on one series for one agency (through its permission group)."""

    content_object = models.ForeignKey("cases.Series", on_delete=models.CASCADE)
    granted_at = granted_at_field()

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]


class ClueUserGrant(UserObjectPermissionBase):
    """``view_clue`` on one clue for one user."""

    content_object = models.ForeignKey("cases.Clue", on_delete=models.CASCADE)
    granted_at = granted_at_field()

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"])]


class ClueAgencyGrant(GroupObjectPermissionBase):
    """``view_clue`` on one clue for one agency (through its permission group)."""

    content_object = models.ForeignKey("cases.Clue", on_delete=models.CASCADE)
    granted_at = granted_at_field()

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]
