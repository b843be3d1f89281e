from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import SeriesStatus
from cases.models.base import DistributedRecord, VisibleQuerySet, group_distribution_constraint

__all__ = ["Series", "series_merge_problems"]

SERIES_CODE_SEQUENCE = "cases_series_code_seq"


def series_merge_problems(status: str | None, merged_into: object | None) -> dict[str, str]:
    """``series_merged_has_target``: a merged series names the series it was merged into.

    ``merged_into`` is the series or its id (None: none). Used by the model's ``clean()``
    and the API's input serializer; the page forms offer "merged" only to a series that
    already has its target.
    """
    if status == SeriesStatus.MERGED and merged_into is None:
        return {
            "merged_into": str(
                _("Name the series this one was merged into (its code), or choose another status.")
            )
        }
    return {}


class Series(DistributedRecord):
    """A series of CSAM known to law enforcement, under a neutral title; never the imagery."""

    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("A neutral working title. Never describe the abuse or name the child."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SeriesStatus.choices, default=SeriesStatus.ACTIVE
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_series",
    )
    first_seen = models.DateField(_("first seen"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True, max_length=5000)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["-id"]
        constraints = [
            group_distribution_constraint("series_group_iff_group_distribution"),
            models.CheckConstraint(
                condition=~models.Q(status=SeriesStatus.MERGED)
                | models.Q(merged_into__isnull=False),
                name="series_merged_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "distribution"]),
            models.Index(fields=["owner_country", "distribution"]),
            models.Index(fields=["sharing_group"]),
            models.Index(fields=["status"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def rule_problems(self) -> dict[str, str]:
        return {
            **super().rule_problems(),
            **series_merge_problems(self.status, self.merged_into_id),
        }
