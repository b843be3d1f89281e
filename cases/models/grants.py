"""Explicit grants of one series, clue or victim to one user or one agency (django-guardian).

Agency grants are held by the agency's own auth group (``Agency.permission_group``),
so a grant to an agency is one row however many people work there.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

__all__ = [
    "ClueAgencyGrant",
    "ClueUserGrant",
    "SeriesAgencyGrant",
    "SeriesUserGrant",
    "VictimAgencyGrant",
    "VictimUserGrant",
    "granted_at_field",
]


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


class VictimUserGrant(UserObjectPermissionBase):
    """``view_victim`` on one victim for one user."""

    content_object = models.ForeignKey("cases.Victim", on_delete=models.CASCADE)
    granted_at = granted_at_field()

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"])]


class VictimAgencyGrant(GroupObjectPermissionBase):
    """``view_victim`` on one victim for one agency (through its permission group)."""

    content_object = models.ForeignKey("cases.Victim", on_delete=models.CASCADE)
    granted_at = granted_at_field()

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]
