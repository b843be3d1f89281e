from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm

__all__ = ["DeconflictionNotice"]


class DeconflictionNotice(models.Model):
    """Two agencies hold the same material: a hash submitted to one series is known in another.

    Both owning agencies are told; neither learns more of the other's series than
    its code, and the requester learns nothing it may not see (design principle 4).
    """

    algorithm = models.CharField(_("algorithm"), max_length=16, choices=HashAlgorithm.choices)
    value = models.CharField(_("value"), max_length=200)
    existing_series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series already holding the value"),
        on_delete=models.PROTECT,
        related_name="deconfliction_as_holder",
    )
    requesting_series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series the value was submitted to"),
        on_delete=models.PROTECT,
        related_name="deconfliction_as_requester",
    )
    existing_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("agency owning the existing series"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requesting_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("agency that submitted the value"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    holder_acknowledged_at = models.DateTimeField(
        _("acknowledged by the holding agency at"), null=True, blank=True
    )
    requester_acknowledged_at = models.DateTimeField(
        _("acknowledged by the submitting agency at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("deconfliction notice")
        verbose_name_plural = _("deconfliction notices")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["algorithm", "value", "requesting_series"],
                name="deconfliction_once_per_value_and_series",
            )
        ]
        indexes = [
            models.Index(fields=["existing_agency", "-id"]),
            models.Index(fields=["requesting_agency", "-id"]),
        ]

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.value} held by {self.existing_series_id}"
