from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SharingGroup", "SharingGroupMembership"]


class SharingGroup(models.Model):
    """A named set of agencies (a multinational task force) that records can be shared with."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    managing_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("managing agency"),
        on_delete=models.PROTECT,
        related_name="managed_sharing_groups",
        help_text=_("The agency that created the group and manages its membership."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    members = models.ManyToManyField(
        "victimid.Agency",
        verbose_name=_("member agencies"),
        through="victimid.SharingGroupMembership",
        related_name="sharing_groups",
    )

    class Meta:
        verbose_name = _("sharing group")
        verbose_name_plural = _("sharing groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SharingGroupMembership(models.Model):
    """One agency's membership of a sharing group."""

    sharing_group = models.ForeignKey(
        SharingGroup,
        verbose_name=_("sharing group"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="sharing_group_memberships",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sharing group membership")
        verbose_name_plural = _("sharing group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["sharing_group", "agency"], name="sharing_group_member_once"
            )
        ]
        indexes = [models.Index(fields=["agency", "sharing_group"])]

    def __str__(self) -> str:
        return f"{self.agency} in {self.sharing_group}"
