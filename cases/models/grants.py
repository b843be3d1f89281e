"""Explicit grants of one record to one user or one agency (django-guardian, direct FKs).

Agency grants are held by the agency's own auth group (``Agency.permission_group``),
so a grant to an agency is one row however many people work there.
"""

from __future__ import annotations

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

__all__ = ["ClueAgencyGrant", "ClueUserGrant", "SeriesAgencyGrant", "SeriesUserGrant"]


class SeriesUserGrant(UserObjectPermissionBase):
    """``view_series`` on one series for one user."""

    content_object = models.ForeignKey("cases.Series", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"])]


class SeriesAgencyGrant(GroupObjectPermissionBase):
    """``view_series`` on one series for one agency (through its permission group)."""

    content_object = models.ForeignKey("cases.Series", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]


class ClueUserGrant(UserObjectPermissionBase):
    """``view_clue`` on one clue for one user."""

    content_object = models.ForeignKey("cases.Clue", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["user", "content_object"])]


class ClueAgencyGrant(GroupObjectPermissionBase):
    """``view_clue`` on one clue for one agency (through its permission group)."""

    content_object = models.ForeignKey("cases.Clue", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["group", "content_object"])]
