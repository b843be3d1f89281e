"""Facet counts of a clue result set, computed in SQL over the rows the reader may see.

The caller passes a queryset that already went through the access policy and the
search filters; every count here is a GROUP BY over exactly those rows, so a facet
never counts a clue its reader cannot open.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import CharField, Count, F, Func, QuerySet, Value
from django_countries import countries

from cases.choices import ClueStatus
from cases.languages import language_name
from cases.models import Clue, ClueCountryHypothesis, ClueTaxonomyNode

__all__ = ["Facet", "FacetValue", "clue_facets"]


@dataclass(frozen=True)
class FacetValue:
    """One value of a facet: what to filter on, how to name it, how many clues have it."""

    value: str
    label: str
    count: int
    share: int = 0  # percent of the facet's largest count, in steps of 5, for the bar


@dataclass
class Facet:
    """A named facet and its values, largest count first."""

    name: str
    values: list[FacetValue] = field(default_factory=list)


def _with_shares(rows: list[tuple[str, str, int]]) -> list[FacetValue]:
    rows = sorted(rows, key=lambda row: (-row[2], row[1]))
    largest = max((count for _value, _label, count in rows), default=0)
    return [
        FacetValue(
            value=value,
            label=label,
            count=count,
            share=(round(count * 20 / largest) * 5) if largest else 0,
        )
        for value, label, count in rows
    ]


def _by_taxonomy(clues: QuerySet[Clue]) -> list[FacetValue]:
    top_slug = Func(
        F("taxonomy_node__path"),
        Value("/"),
        Value(1),
        function="split_part",
        output_field=CharField(),
    )
    counts = dict(
        clues.annotate(top=top_slug).values("top").annotate(n=Count("id")).values_list("top", "n")
    )
    labels = {
        node.slug: node.localized_label()
        for node in ClueTaxonomyNode.objects.filter(parent__isnull=True, slug__in=counts)
    }
    return _with_shares([(slug, labels.get(slug, slug), n) for slug, n in counts.items()])


def _by_country(clues: QuerySet[Clue]) -> list[FacetValue]:
    rows = (
        ClueCountryHypothesis.objects.filter(clue__in=clues.values("id"))
        .values("country")
        .annotate(n=Count("clue_id", distinct=True))
        .values_list("country", "n")
    )
    # values_list gives the stored codes (str); the model attribute would give Country objects.
    codes = ((str(code), n) for code, n in rows)
    return _with_shares([(code, str(countries.name(code) or code), n) for code, n in codes])


def _by_language(clues: QuerySet[Clue]) -> list[FacetValue]:
    inner_sql, params = clues.values("id", "languages").query.sql_with_params()
    # unnest() spreads each clue's languages into rows; the inner query keeps its WHERE.
    sql = (
        "SELECT language, COUNT(DISTINCT visible.id) FROM "  # noqa: S608 - composed from the ORM
        f"({inner_sql}) AS visible, unnest(visible.languages) AS language "
        "GROUP BY language"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _with_shares([(code, language_name(code), n) for code, n in rows])


def _by_status(clues: QuerySet[Clue]) -> list[FacetValue]:
    labels = dict(ClueStatus.choices)
    rows = clues.values("status").annotate(n=Count("id")).values_list("status", "n")
    return _with_shares([(status, str(labels.get(status, status)), n) for status, n in rows])


def clue_facets(clues: QuerySet[Clue]) -> dict[str, Facet]:
    """Counts by top-level kind, country hypothesis, language and status over ``clues``."""
    clues = clues.order_by()
    return {
        "taxonomy": Facet("taxonomy", _by_taxonomy(clues)),
        "country": Facet("country", _by_country(clues)),
        "language": Facet("language", _by_language(clues)),
        "status": Facet("status", _by_status(clues)),
    }
