from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

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

__all__ = [
    "Clue",
    "ClueCountryHypothesis",
    "clue_point_problems",
    "clue_time_window_problems",
    "country_given_twice_message",
    "repeated_countries",
]


# The rules behind the clue's constraints, each written once: the model's clean() (run by
# the services' full_clean), the page forms and the API's serializers all call them, so a
# reader hears which field to fix in plain words before the database has to refuse.


def clue_time_window_problems(time_from: date | None, time_to: date | None) -> dict[str, str]:
    """``clue_time_window_ordered``: the latest date is not before the earliest."""
    # Anything but two dates is left to the fields' own checks.
    if isinstance(time_from, date) and isinstance(time_to, date) and time_from > time_to:
        return {
            "time_to": str(
                _("The latest date (%(to)s) is before the earliest date (%(from)s).")
                % {"to": time_to.isoformat(), "from": time_from.isoformat()}
            )
        }
    return {}


def clue_point_problems(
    latitude: Decimal | float | None, longitude: Decimal | float | None, radius_km: int | None
) -> dict[str, str]:
    """``clue_point_complete``: latitude and longitude together or neither; a radius needs both."""
    if (latitude is None) != (longitude is None):
        missing = "longitude" if longitude is None else "latitude"
        return {missing: str(_("Give both latitude and longitude, or neither."))}
    if radius_km is not None and latitude is None:
        return {
            "radius_km": str(
                _("A radius needs an approximate point: give its latitude and longitude.")
            )
        }
    return {}


def country_given_twice_message(country: str) -> str:
    """The refusal of a country hypothesis given twice, naming the country (code or name)."""
    return str(_("%(country)s is given twice: give each country once.") % {"country": country})


def repeated_countries(codes: Iterable[str]) -> list[int]:
    """``clue_country_once``: the positions of country codes already given earlier."""
    seen: set[str] = set()
    repeated = []
    for position, code in enumerate(codes):
        key = str(code or "").strip().upper()
        if key and key in seen:
            repeated.append(position)
        seen.add(key)
    return repeated


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
            # Finds the clues near an approximate point (correlation).
            models.Index(
                fields=["latitude"],
                condition=models.Q(latitude__isnull=False),
                name="clue_latitude_idx",
            ),
            models.Index(fields=["status"]),
            models.Index(fields=["created_at"]),
            GinIndex(fields=["languages"], name="clue_languages_gin"),
            GinIndex(fields=["search_vector"], name="clue_search_gin"),
        ]

    def __str__(self) -> str:
        return self.title

    def rule_problems(self) -> dict[str, str]:
        return {
            **super().rule_problems(),
            **clue_time_window_problems(self.time_from, self.time_to),
            **clue_point_problems(self.latitude, self.longitude, self.radius_km),
        }


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
