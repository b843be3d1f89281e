from __future__ import annotations

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country, CountryField

from cases.choices import ClueStatus, Confidence
from cases.fulltext import clue_search_vector
from cases.models.base import (
    DistributedRecord,
    VisibleQuerySet,
    access_keys_field,
    group_distribution_constraint,
)

__all__ = ["Clue", "ClueCountryHypothesis"]


class Clue(DistributedRecord):
    """A non-image clue (an object, a product, a dialect, a time marker) seen in a series."""

    series = models.ForeignKey(
        "cases.Series", verbose_name=_("series"), on_delete=models.PROTECT, related_name="clues"
    )
    taxonomy_node = models.ForeignKey(
        "cases.ClueTaxonomyNode",
        verbose_name=_("kind of clue"),
        on_delete=models.PROTECT,
        related_name="clues",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=5000)
    languages = ArrayField(
        models.CharField(max_length=3),
        verbose_name=_("languages (ISO 639-3)"),
        default=list,
        blank=True,
        size=20,
    )
    place_text = models.CharField(_("place"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("approximate latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("approximate longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    radius_km = models.PositiveIntegerField(
        _("radius (km)"), null=True, blank=True, validators=[MaxValueValidator(20000)]
    )
    time_from = models.DateField(_("earliest date"), null=True, blank=True)
    time_to = models.DateField(_("latest date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ClueStatus.choices, default=ClueStatus.OPEN
    )
    search_vector = models.GeneratedField(
        expression=clue_search_vector(),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
    )
    series_access_keys = access_keys_field(
        _("series access keys"),
        _("A copy of the series' access keys, kept by the database: a clue needs both."),
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        verbose_name = _("clue")
        verbose_name_plural = _("clues")
        ordering = ["-id"]
        constraints = [
            group_distribution_constraint("clue_group_iff_group_distribution"),
            models.CheckConstraint(
                condition=models.Q(time_from__isnull=True)
                | models.Q(time_to__isnull=True)
                | models.Q(time_from__lte=models.F("time_to")),
                name="clue_time_window_ordered",
            ),
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__isnull=False) & models.Q(longitude__isnull=False)),
                name="clue_point_complete",
            ),
        ]
        indexes = [
            models.Index(fields=["series", "-id"]),
            models.Index(fields=["agency", "distribution"]),
            models.Index(fields=["owner_country", "distribution"]),
            # Finds the clues whose access keys change when their group's members do.
            models.Index(
                fields=["sharing_group"],
                condition=models.Q(sharing_group__isnull=False),
                name="clue_sharing_group_idx",
            ),
            models.Index(fields=["taxonomy_node"]),
            models.Index(fields=["status"]),
            models.Index(fields=["created_at"]),
            GinIndex(fields=["languages"], name="clue_languages_gin"),
            GinIndex(fields=["search_vector"], name="clue_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title


class ClueCountryHypothesis(models.Model):
    """A country the clue may point to, with how confident its author is."""

    clue = models.ForeignKey(
        Clue, verbose_name=_("clue"), on_delete=models.CASCADE, related_name="country_hypotheses"
    )
    country: CountryField[str | Country, Country] = CountryField(_("country"))
    confidence = models.CharField(
        _("confidence"), max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM
    )

    class Meta:
        verbose_name = _("country hypothesis")
        verbose_name_plural = _("country hypotheses")
        constraints = [
            models.UniqueConstraint(fields=["clue", "country"], name="clue_country_once")
        ]
        indexes = [models.Index(fields=["country", "clue"])]

    def __str__(self) -> str:
        return f"{self.country.code} ({self.confidence})"
