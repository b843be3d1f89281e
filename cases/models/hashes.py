from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm, HashSource, VicsCategory
from cases.models.base import VisibleQuerySet

__all__ = ["KnownHash"]


class KnownHash(models.Model):
    """The hash value of one known file of a series. A value belongs to one series only."""

    series = models.ForeignKey(
        "cases.Series", verbose_name=_("series"), on_delete=models.PROTECT, related_name="hashes"
    )
    algorithm = models.CharField(_("algorithm"), max_length=16, choices=HashAlgorithm.choices)
    value = models.CharField(
        _("value"),
        max_length=200,
        help_text=_("Lower-case hex; PhotoDNA as base64, kept as given."),
    )
    vics_category = models.PositiveSmallIntegerField(
        _("VICS category"), choices=VicsCategory.choices, default=VicsCategory.UNCATEGORISED
    )
    distributed = models.BooleanField(
        _("distributed"),
        default=False,
        help_text=_("Cleared for distribution to other agencies' hash sets."),
    )
    submitting_agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("submitting agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    source = models.CharField(
        _("source"), max_length=16, choices=HashSource.choices, default=HashSource.MANUAL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("known hash")
        verbose_name_plural = _("known hashes")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["algorithm", "value"], name="known_hash_value_once")
        ]
        indexes = [models.Index(fields=["series", "-id"])]

    def __str__(self) -> str:
        return f"{self.algorithm}:{self.value}"
