"""Assessments: what an investigator of any country says of a clue they may see."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from cases.choices import Confidence, Verdict
from cases.models.base import VisibleQuerySet

__all__ = ["Assessment", "AssessmentAttribution", "MAX_ATTRIBUTIONS"]

MAX_ATTRIBUTIONS = 10


class Assessment(models.Model):
    """An investigator's verdict on a clue, with where they think it points and why.

    Appended, never changed: an assessor who changes their mind assesses again, and the
    consensus counts each assessor's latest assessment. It is seen with its clue (the
    access policy's row ``cases.Assessment`` follows the clue).
    """

    clue = models.ForeignKey(
        "cases.Clue",
        verbose_name=_("clue"),
        on_delete=models.PROTECT,  # an assessed clue is never deleted
        related_name="assessments",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "victimid.Agency",
        verbose_name=_("assessor's agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessor_country: CountryField[str | Country, Country] = CountryField(
        _("assessor's country"),
        help_text=_("The assessor's agency's country when they assessed."),
    )
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict.choices)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("assessed at"), default=timezone.now, editable=False)

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["clue", "-created_at"]),
            models.Index(fields=["assessor", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.verdict} on clue {self.clue_id} by {self.assessor_id}"


class AssessmentAttribution(models.Model):
    """A country (and, if the assessor can say, a place in it) the clue points to."""

    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("assessment"),
        on_delete=models.CASCADE,
        related_name="attributions",
    )
    country: CountryField[str | Country, Country] = CountryField(_("country"))
    place_text = models.CharField(_("place"), max_length=200, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM
    )

    class Meta:
        verbose_name = _("attribution")
        verbose_name_plural = _("attributions")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "country"], name="assessment_attribution_country_once"
            )
        ]
        indexes = [models.Index(fields=["country"])]

    def __str__(self) -> str:
        return f"{self.country} ({self.confidence})"
