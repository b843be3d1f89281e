from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["RestrictedLookupNotice"]


class RestrictedLookupNotice(models.Model):
    """An agency looked up material of a series it may not see; the owner was told once a day.

    One row per asking agency, series and day (a unique constraint, so two workers asking
    at once still notify once). The asking side never learns the series: only the owner
    reads this, to get in touch.
    """

    asking_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("asking agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    series = models.ForeignKey(
        "cases.Series",
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    day = models.DateField(_("day (UTC)"))
    value_count = models.PositiveIntegerField(
        _("values"), help_text=_("How many of the asked values were known in the series.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("restricted lookup notice")
        verbose_name_plural = _("restricted lookup notices")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["asking_agency", "series", "day"],
                name="restricted_lookup_notice_once_a_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asking_agency_id} asked about {self.series_id} on {self.day}"
