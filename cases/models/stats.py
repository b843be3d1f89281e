"""The oversight figures as published: aggregates only, already protected against small counts.

Written by ``cases.services.stats.stats_refresh`` (a periodic task) and read by the
dashboards, the statistics API and the CSV download; nothing in these tables points at a
case, a child, a series or a person.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["FigureState", "StatsFigure", "StatsRefresh"]


class FigureState(models.TextChoices):
    SHOWN = "shown", _("Shown")
    SMALL = "small", _("Under the small-count threshold")
    SUPPRESSED = "suppressed", _("Hidden so that a small count cannot be worked out")
    TOO_FEW = "too_few", _("Not shown: too few cases for a median or percentile")


class StatsRefresh(models.Model):
    """One computation of the oversight figures; the newest is the one the dashboards show."""

    finished_at = models.DateTimeField(_("finished at"), default=timezone.now)
    seconds = models.FloatField(_("seconds taken"))
    threshold = models.PositiveIntegerField(_("small-count threshold"))
    figures = models.PositiveIntegerField(_("figures written"))

    class Meta:
        verbose_name = _("statistics refresh")
        verbose_name_plural = _("statistics refreshes")
        ordering = ["-finished_at", "-id"]

    def __str__(self) -> str:
        return f"{self.finished_at:%Y-%m-%d %H:%M} ({self.figures})"


class StatsFigure(models.Model):
    """One published figure: a measure for an area, a period and an agency kind."""

    scope = models.CharField(
        _("scope"),
        max_length=32,
        help_text=_("“world” (oversight, and coordinators' own country) or “agency:<id>”."),
    )
    measure = models.CharField(_("measure"), max_length=64)
    area = models.CharField(
        _("area"),
        max_length=8,
        blank=True,
        help_text=_("M49 code of the world or a region, an ISO country code; empty: the agency."),
    )
    period = models.CharField(
        _("period"), max_length=8, help_text=_("2025, 2025-Q1, 2025-03, or “now”.")
    )
    agency_kind = models.CharField(
        _("agency kind"), max_length=32, blank=True, help_text=_("Empty: every kind.")
    )
    value = models.FloatField(_("value"), null=True, blank=True, help_text=_("Empty when hidden."))
    state = models.CharField(_("state"), max_length=16, choices=FigureState.choices)

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        indexes = [models.Index(fields=["scope", "agency_kind", "period", "area"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=FigureState.SHOWN) ^ models.Q(value__isnull=True),
                name="stats_figure_value_iff_shown",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.measure} {self.area} {self.period} {self.agency_kind}"
