"""Reading the oversight figures: the published (already protected) figures of a reader's scope.

Every table a page, the API or a CSV shows comes from ``stats_view``, which reads only
``StatsFigure`` rows — figures that went through ``cases.suppression.protect`` when they
were computed — and only those of the reader's scope (``victimid.gate.stats_scope``).
Nothing here reads a case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_countries import countries

from cases.measures import (
    ALL_KINDS,
    MEASURES,
    NOW,
    SECTIONS,
    Measure,
    agency_scope,
    area_hierarchy,
    year_hierarchy,
)
from cases.models import FigureState, StatsFigure, StatsRefresh
from cases.regions import REGION_OF_COUNTRY, WORLD, region_label
from victimid import audit_actions
from victimid.choices import AgencyKind
from victimid.gate import STATS_REFUSED, StatsScope, stats_scope
from victimid.models import Agency, User
from victimid.services.audit import audit_record

__all__ = [
    "GRANULARITIES",
    "FigureCell",
    "StatsFilters",
    "StatsTable",
    "StatsView",
    "stats_filters",
    "stats_view",
]

GRANULARITIES = ("year", "quarter", "month")


@dataclass(frozen=True)
class StatsFilters:
    """What the reader asked for: a year, how to cut it, an area and an agency kind."""

    year: int
    granularity: str
    area: str
    agency_kind: str
    # What the reader could choose, found while checking (so a page asks only once).
    years: tuple[int, ...] = field(default=(), compare=False)
    areas: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def as_query(self) -> dict[str, str]:
        return {
            "year": str(self.year),
            "granularity": self.granularity,
            "area": self.area,
            "agency_kind": self.agency_kind,
        }


@dataclass(frozen=True)
class FigureCell:
    """One figure as shown: its text, its state and its number (None when hidden)."""

    text: str
    state: str
    value: float | None


@dataclass
class StatsRow:
    key: str
    label: str
    cells: list[FigureCell]
    is_total: bool = False


@dataclass
class StatsTable:
    """A table of figures: one row per period or area, one column per measure."""

    key: str
    title: str
    row_heading: str
    measures: list[Measure]
    rows: list[StatsRow]
    chart_measure: Measure | None = None


@dataclass
class StatsView:
    scope: StatsScope
    scope_label: str
    filters: StatsFilters
    years: list[int]
    areas: list[tuple[str, str]]
    agency_kinds: list[tuple[str, str]]
    refreshed_at: datetime | None
    threshold: int
    tables: list[StatsTable] = field(default_factory=list)


def _scope_or_refuse(actor: User) -> StatsScope:
    scope = stats_scope(actor)
    if scope is None:
        raise PermissionDenied(STATS_REFUSED)
    return scope


def _figure_scope(scope: StatsScope) -> str:
    return agency_scope(int(scope.key)) if scope.kind == "agency" else "world"


def _areas(scope: StatsScope) -> list[tuple[str, str]]:
    """The areas the reader may choose: (code, name)."""
    if scope.kind == "agency":
        return [("", _("Your agency"))]
    if scope.kind == "country":
        return [(scope.key, str(countries.name(scope.key)))]
    hierarchy = area_hierarchy(_agency_countries())
    found = []
    for code, parent in hierarchy.parents.items():
        if code == WORLD or parent == WORLD:
            found.append((code, region_label(code)))
        else:
            found.append((code, f"— {countries.name(code)}"))
    return sorted(found, key=lambda pair: _area_order(pair[0], hierarchy.parents))


def _agency_countries() -> list[str]:
    return [str(code) for code in Agency.objects.values_list("country", flat=True).distinct()]


def _area_order(code: str, parents: Mapping[str, str | None]) -> tuple[str, str]:
    """The world first, then each region followed by its countries."""
    if code == WORLD:
        return ("", "")
    if parents.get(code) == WORLD:
        return (code, "")
    return (REGION_OF_COUNTRY[code], code)


def _years(figure_scope: str) -> list[int]:
    """The years with figures, newest first (an exact look-up on the figures' index)."""
    candidates = [str(year) for year in range(2000, datetime.now().year + 2)]
    periods = (
        StatsFigure.objects.filter(
            scope=figure_scope, agency_kind=ALL_KINDS, period__in=candidates, area__in=["", WORLD]
        )
        .values_list("period", flat=True)
        .distinct()
    )
    return sorted({int(period) for period in periods}, reverse=True)


def stats_filters(*, actor: User, params: Mapping[str, Any]) -> StatsFilters:
    """The filters from a query string, checked against the reader's scope; unknown or
    out-of-scope values raise ValidationError naming the parameter."""
    scope = _scope_or_refuse(actor)
    problems: dict[str, str] = {}
    years = _years(_figure_scope(scope))
    latest = years[0] if years else datetime.now().year
    raw_year = str(params.get("year", "") or latest)
    year = latest
    if not raw_year.isdigit() or int(raw_year) not in (years or [latest]):
        problems["year"] = _("Choose one of the years with figures: %(years)s.") % {
            "years": ", ".join(str(y) for y in years) or str(latest)
        }
    else:
        year = int(raw_year)
    granularity = str(params.get("granularity", "") or "quarter")
    if granularity not in GRANULARITIES:
        problems["granularity"] = _("Choose year, quarter or month.")
    default_area = {"world": WORLD, "country": scope.key, "agency": ""}[scope.kind]
    area = str(params.get("area", default_area) or default_area)
    areas = _areas(scope)
    if area not in {code for code, _name in areas}:
        problems["area"] = _("Choose an area from the list.")
    agency_kind = str(params.get("agency_kind", "") or "")
    if agency_kind and (scope.kind == "agency" or agency_kind not in AgencyKind.values):
        problems["agency_kind"] = _("Choose a kind of agency from the list.")
    if problems:
        raise ValidationError(problems)
    return StatsFilters(
        year=year,
        granularity=granularity,
        area=area,
        agency_kind=agency_kind,
        years=tuple(years),
        areas=tuple(areas),
    )


def _periods(filters: StatsFilters) -> list[tuple[str, str]]:
    """The periods of the table's rows, the year's total last: (key, label)."""
    hierarchy = year_hierarchy(filters.year)
    year = str(filters.year)
    if filters.granularity == "year":
        return [(year, year)]
    quarters = hierarchy.children[year]
    if filters.granularity == "quarter":
        keys = list(quarters)
    else:
        keys = [month for quarter in quarters for month in hierarchy.children[quarter]]
    return [*((key, key) for key in keys), (year, _("%(year)s, whole year") % {"year": year})]


def _child_areas(scope: StatsScope, area: str) -> list[tuple[str, str]]:
    if scope.kind != "world":
        return []
    hierarchy = area_hierarchy(_agency_countries())
    kids = hierarchy.children.get(area, ())
    if area == WORLD:
        return [(code, region_label(code)) for code in kids]
    return [(code, str(countries.name(code))) for code in kids]


def _text(measure: Measure, value: float | None, state: str, threshold: int) -> str:
    if state == FigureState.SMALL:
        return f"<{threshold}"
    if state == FigureState.SUPPRESSED:
        return "[c]"
    if state == FigureState.TOO_FEW:
        return f"n<{threshold}"
    if value is None:
        return "–"
    if measure.unit == "days":
        return f"{value:g}"
    return f"{int(value):,}"


def stats_view(*, actor: User, filters: StatsFilters, audit: bool = True) -> StatsView:
    """The dashboard's tables for ``filters``, from the reader's scope only."""
    scope = _scope_or_refuse(actor)
    figure_scope = _figure_scope(scope)
    threshold = settings.STATS_SMALL_COUNT_THRESHOLD
    refresh = StatsRefresh.objects.order_by("-finished_at", "-id").first()
    if refresh is not None:
        threshold = refresh.threshold
    periods = _periods(filters)
    children = _child_areas(scope, filters.area)
    wanted_areas = [filters.area, *(code for code, _name in children)]
    year = str(filters.year)
    figures: dict[tuple[str, str, str], tuple[float | None, str]] = {
        (measure, area, period): (value, state)
        for measure, area, period, value, state in StatsFigure.objects.filter(
            period__in=[*(key for key, _label in periods), NOW],
            scope=figure_scope,
            agency_kind=filters.agency_kind or ALL_KINDS,
            area__in=wanted_areas,
        ).values_list("measure", "area", "period", "value", "state")
    }

    def cell(measure: Measure, area: str, period: str) -> FigureCell:
        if measure.of is not None:
            return _share(measure, cell, area, period)
        if measure.per_country and (filters.agency_kind or scope.kind == "agency"):
            # Counted for a country, not an agency: no kind, no agency's own figure.
            return FigureCell("–", FigureState.SHOWN, None)
        default = (None, FigureState.TOO_FEW) if measure.unit == "days" else (0, FigureState.SHOWN)
        value, state = figures.get((measure.key, area, period), default)
        return FigureCell(_text(measure, value, state, threshold), state, value)

    tables = []
    for section in SECTIONS:
        measures = [MEASURES[key] for key in section.measures]
        if section.timed:
            rows = [
                StatsRow(key, label, [cell(m, filters.area, key) for m in measures], key == year)
                for key, label in periods
            ]
        else:
            rows = [StatsRow(NOW, _("Now"), [cell(m, filters.area, NOW) for m in measures])]
        tables.append(
            StatsTable(
                key=section.key,
                title=str(section.title),
                row_heading=_("Period"),
                measures=measures,
                rows=rows,
                chart_measure=measures[0] if measures[0].unit == "count" else None,
            )
        )
    if children:
        breakdown = [
            MEASURES[key]
            for key in (
                "children_identified",
                "children_safeguarded",
                "series_new",
                "clues_posted",
                "restricted_match_notices",
                "assessments_given",
                "routing_made",
                "routing_received",
            )
        ]
        rows = [
            StatsRow(code, name, [cell(m, code, year) for m in breakdown])
            for code, name in children
        ]
        rows.append(
            StatsRow(
                filters.area,
                _("Total"),
                [cell(m, filters.area, year) for m in breakdown],
                is_total=True,
            )
        )
        tables.append(
            StatsTable(
                key="areas",
                title=_("By area, %(year)s") % {"year": year},
                row_heading=_("Area"),
                measures=breakdown,
                rows=rows,
                chart_measure=breakdown[0],
            )
        )
    if audit:
        audit_record(actor=actor, action=audit_actions.STATS_VIEWED, details=filters.as_query())
    return StatsView(
        scope=scope,
        scope_label=_scope_label(scope),
        filters=filters,
        years=list(filters.years or _years(figure_scope)) or [filters.year],
        areas=list(filters.areas or _areas(scope)),
        agency_kinds=[]
        if scope.kind == "agency"
        else [("", _("Every kind")), *((k, str(label)) for k, label in AgencyKind.choices)],
        refreshed_at=refresh.finished_at if refresh else None,
        threshold=threshold,
        tables=tables,
    )


def _share(measure: Measure, cell: Any, area: str, period: str) -> FigureCell:
    """A share is shown only when both its counts are shown (it can reveal neither)."""
    assert measure.of is not None
    numerator, denominator = (cell(MEASURES[key], area, period) for key in measure.of)
    if numerator.value is None or denominator.value is None:
        return FigureCell("[c]", FigureState.SUPPRESSED, None)
    if not denominator.value:
        return FigureCell("–", FigureState.SHOWN, None)
    share = round(100 * numerator.value / denominator.value)
    return FigureCell(f"{share}%", FigureState.SHOWN, float(share))


def _scope_label(scope: StatsScope) -> str:
    if scope.kind == "world":
        return _("Every country")
    if scope.kind == "country":
        return str(countries.name(scope.key))
    agency = Agency.objects.filter(pk=int(scope.key)).first()
    return agency.name if agency else ""
