"""Computing the oversight figures: SQL aggregates, protected, then published in one table.

``stats_refresh`` runs every measure's query (``cases.measures``), builds for each year one
table over every area (country, region, world), period (month, quarter, year) and agency
kind, protects it against small counts as a whole (``cases.suppression.protect``: the one
function every figure passes before a page, the API or a CSV can show it), and replaces
the published figures in one transaction. Each agency gets its own table for its
investigators (periods only). Medians and 90th percentiles are computed by PostgreSQL
(``percentile_cont`` over grouping sets) and withheld over fewer cases than the threshold.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from cases.measures import (
    ALL_KINDS,
    COUNT_SOURCES,
    DURATION_SOURCES,
    FAMILIES,
    KIND_HIERARCHY,
    MEASURES,
    NOW,
    STOCK_SOURCES,
    WORLD_SCOPE,
    DurationSource,
    Family,
    StockSource,
    agency_scope,
    area_hierarchy,
    period_key,
    year_hierarchy,
)
from cases.models import FigureState, StatsFigure, StatsRefresh
from cases.regions import WORLD, region_of
from cases.suppression import (
    SMALL,
    Hierarchy,
    ProtectedTable,
    protect,
    protect_cells,
    relations,
    rollup,
)
from victimid import audit_actions
from victimid.models import Agency
from victimid.services.audit import audit_record

__all__ = ["count_families", "family_table", "stats_refresh"]

Row = tuple[str, str, str, str, str, float | None, str]


def stats_refresh() -> StatsRefresh:
    """Compute, protect and publish every figure; the previous figures are replaced at once."""
    started = time.perf_counter()
    threshold = settings.STATS_SMALL_COUNT_THRESHOLD
    agencies = {
        pk: (str(country), kind)
        for pk, country, kind in Agency.objects.values_list("pk", "country", "kind")
    }
    counts = _counts()
    stocks = _stocks()
    # A routing request may be put to a country without an agency of its own yet: it is
    # counted there too, so that the world's requests received add up.
    asked = {
        str(key)
        for measure, by_key_month in counts.items()
        if MEASURES[measure].per_country
        for (key, _month) in by_key_month
    } | {str(key) for source, fetched in stocks if _per_country(source) for key, *_n in fetched}
    areas = area_hierarchy({country for country, _kind in agencies.values()} | asked)
    durations = [(source, _duration_rows(source, agencies)) for source in DURATION_SOURCES]
    years = sorted(
        {month.year for by_month in counts.values() for (_key, month) in by_month}
        | {year for _source, rows in durations for year in _years_of(rows)}
    ) or [date.today().year]
    rows: list[Row] = []
    for family in count_families():
        rows += _count_rows(family, counts, agencies, areas, years, threshold)
    for source, duration_rows in durations:
        rows += _published_durations(source, duration_rows, threshold)
    rows += _stock_rows(stocks, agencies, areas, threshold)
    with transaction.atomic():
        # Two refreshes at once would each delete the old figures and both insert: the
        # second waits here for the first (readers are not blocked).
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {StatsFigure._meta.db_table} IN EXCLUSIVE MODE")
        StatsFigure.objects.all().delete()
        _copy(rows)
        refresh = StatsRefresh.objects.create(
            seconds=round(time.perf_counter() - started, 3), threshold=threshold, figures=len(rows)
        )
        # The table was just rewritten: the planner needs its statistics to use the index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {StatsFigure._meta.db_table}")
        audit_record(
            actor=None,
            action=audit_actions.STATS_REFRESHED,
            target=refresh,
            details={"figures": len(rows), "threshold": threshold},
        )
    return refresh


Counts = dict[str, dict[tuple[Any, date], int]]


def _counts() -> Counts:
    """Each count measure's ``(agency_id or country, month) -> count``."""
    found: Counts = {}
    with connection.cursor() as cursor:
        for source in COUNT_SOURCES:
            cursor.execute(source.sql)
            by_measure = [found.setdefault(m, {}) for m in source.measures]
            for key, month, *numbers in cursor.fetchall():
                for target, number in zip(by_measure, numbers, strict=True):
                    if number:
                        target[(key, month)] = int(number)
    return found


def _per_country(source: StockSource) -> bool:
    return all(MEASURES[measure].per_country for measure in source.measures)


def _stocks() -> list[tuple[StockSource, list[tuple[Any, ...]]]]:
    params = {"overdue_days": settings.ROUTING_OVERDUE_DAYS}
    found = []
    with connection.cursor() as cursor:
        for source in STOCK_SOURCES:
            cursor.execute(source.sql, params if "%(" in source.sql else None)
            found.append((source, cursor.fetchall()))
    return found


def count_families() -> list[Family]:
    """The families of ``cases.measures`` and every other count measure alone."""
    grouped = {measure for family in FAMILIES for measure in family.measures}
    alone = [
        Family((measure,))
        for source in COUNT_SOURCES
        for measure in source.measures
        if measure not in grouped
    ]
    return [*FAMILIES, *alone]


# The area and kind of an agency's own table: one node each.
AGENCY_AREA = Hierarchy("area", {"": None})
AGENCY_KIND = Hierarchy("agency_kind", {ALL_KINDS: None})

FamilyCell = tuple[str, str, str, str]  # measure, area, period, agency kind


def family_table(
    family: Family,
    leaves: Mapping[str, Mapping[tuple[str, ...], int]],
    areas: Hierarchy,
    kinds: Hierarchy,
    periods: Hierarchy,
    threshold: int,
) -> ProtectedTable:
    """One protected table of a family's measures: cells ``(measure, area, period, kind)``.

    ``leaves[measure]`` holds the counts of leaf cells ``(country, month, kind)`` (kind
    ``ALL_KINDS`` for a measure counted per country, which has no kind dimension). Each
    measure's own sum relations (area, period, kind), the family's sums in every cell and
    its equal world totals are protected together.
    """
    single = Hierarchy("agency_kind", {ALL_KINDS: None})
    values: dict[tuple[str, ...], int] = {}
    rels: list[tuple[tuple[str, ...], ...]] = []
    for measure in family.measures:
        per_country = MEASURES[measure].per_country
        dims = (areas, periods, single if per_country else kinds)
        for cell, value in rollup(dims, leaves.get(measure, {})).items():
            values[(measure, *cell)] = value
        rels += [tuple((measure, *cell) for cell in rel) for rel in relations(dims)]
    for whole, parts in family.sums:
        for cell in [cell for cell in values if cell[0] == whole]:
            rels.append((cell, *((part, *cell[1:]) for part in parts)))
    for one, other in family.same_world_total:
        for period in periods.nodes:
            rels.append(
                (
                    (one, WORLD, period, ALL_KINDS),
                    (other, WORLD, period, ALL_KINDS),
                )
            )
    return protect_cells(values, rels, threshold)


def _count_rows(
    family: Family,
    counts: Counts,
    agencies: dict[int, tuple[str, str]],
    areas: Hierarchy,
    years: list[int],
    threshold: int,
) -> list[Row]:
    rows: list[Row] = []
    for year in years:
        periods = year_hierarchy(year)
        world: dict[str, dict[tuple[str, ...], int]] = {}
        per_agency: dict[int, dict[str, dict[tuple[str, ...], int]]] = defaultdict(dict)
        for measure in family.measures:
            per_country = MEASURES[measure].per_country
            leaves = world.setdefault(measure, defaultdict(int))
            for (key, month), number in counts.get(measure, {}).items():
                if month.year != year:
                    continue
                month_key = period_key(month, "month")
                if per_country:
                    leaves[(str(key), month_key, ALL_KINDS)] += number
                    continue
                if key not in agencies:
                    continue
                country, kind = agencies[key]
                leaves[(country, month_key, kind)] += number
                own = per_agency[key].setdefault(measure, defaultdict(int))
                own[("", month_key, ALL_KINDS)] += number
        table = family_table(family, world, areas, KIND_HIERARCHY, periods, threshold)
        rows += _family_rows(WORLD_SCOPE, family, table)
        # An agency's own table: the family's measures counted per agency.
        own_family = Family(
            tuple(m for m in family.measures if not MEASURES[m].per_country),
            family.sums,
            (),
            family.implied,
        )
        for agency_id, leaves_of_agency in per_agency.items():
            table = family_table(
                own_family, leaves_of_agency, AGENCY_AREA, AGENCY_KIND, periods, threshold
            )
            rows += _family_rows(agency_scope(agency_id), family, table)
    return rows


def _family_rows(scope: str, family: Family, table: ProtectedTable) -> Iterator[Row]:
    """Published rows of the cells that are not a plain zero (a missing figure is 0)."""
    for cell, value in table.values.items():
        measure, area, period, kind = cell
        state = table.state(cell)
        if measure in family.implied or (value == 0 and state == "shown"):
            continue
        yield (scope, measure, area, period, kind, table.published(cell), _state(state))


def _state(state: str) -> str:
    if state == "shown":
        return FigureState.SHOWN
    return FigureState.SMALL if state == SMALL else FigureState.SUPPRESSED


def _stock_rows(
    stocks: list[tuple[StockSource, list[tuple[Any, ...]]]],
    agencies: dict[int, tuple[str, str]],
    areas: Hierarchy,
    threshold: int,
) -> list[Row]:
    rows: list[Row] = []
    for source, fetched in stocks:
        per_country = _per_country(source)
        for position, measure in enumerate(source.measures):
            world: dict[tuple[str, ...], int] = defaultdict(int)
            for key, *numbers in fetched:
                if not numbers[position]:
                    continue
                if per_country:
                    world[(str(key), ALL_KINDS)] += int(numbers[position])
                elif key in agencies:
                    country, kind = agencies[key]
                    world[(country, kind)] += int(numbers[position])
                    table = protect((), {(): int(numbers[position])}, threshold)
                    rows += _stock_cells(
                        agency_scope(key), measure, table, lambda _cell: ("", ALL_KINDS)
                    )
            kinds = Hierarchy("agency_kind", {ALL_KINDS: None}) if per_country else KIND_HIERARCHY
            dimensions = (areas, kinds)
            table = protect(dimensions, rollup(dimensions, world), threshold)
            rows += _stock_cells(WORLD_SCOPE, measure, table, lambda cell: (cell[0], cell[1]))
    return rows


def _stock_cells(scope: str, measure: str, table: ProtectedTable, place: Any) -> Iterator[Row]:
    for cell, value in table.values.items():
        state = table.state(cell)
        if value == 0 and state == "shown":
            continue
        area, kind = place(cell)
        yield (scope, measure, area, NOW, kind, table.published(cell), _state(state))


# --- Durations ---------------------------------------------------------------------------

_AREA_LEVELS = ("country", "region", None)
_PERIOD_LEVELS = (("y", "q", "m"), ("y", "q"), ("y",))
_KIND_LEVELS = ("kind", None)


def _grouping_sets() -> str:
    """Every level of area, period and kind, and each agency's periods."""
    sets = []
    for area in _AREA_LEVELS:
        for period in _PERIOD_LEVELS:
            for kind in _KIND_LEVELS:
                sets.append(tuple(c for c in (area, *period, kind) if c))
    for period in _PERIOD_LEVELS:
        sets.append(("agency_id", *period))
    return ", ".join(f"({', '.join(columns)})" for columns in sets)


def _duration_rows(
    source: DurationSource, agencies: dict[int, tuple[str, str]]
) -> list[tuple[Any, ...]]:
    countries = sorted({country for country, _kind in agencies.values()})
    sql = f"""
        WITH cases(agency_id, day, days) AS ({source.sql}),
        located AS (
            SELECT a.country, r.region, a.kind, c.agency_id,
                   extract(year FROM c.day)::int AS y, extract(quarter FROM c.day)::int AS q,
                   extract(month FROM c.day)::int AS m, c.days
            FROM cases c JOIN victimid_agency a ON a.id = c.agency_id
            JOIN unnest(%s::text[], %s::text[]) AS r(country, region) ON r.country = a.country
        )
        SELECT country, region, kind, agency_id, y, q, m, count(*),
               percentile_cont(0.5) WITHIN GROUP (ORDER BY days),
               percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
        FROM located GROUP BY GROUPING SETS ({_grouping_sets()})
    """  # noqa: S608 - the measures' own SQL and column names; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [countries, [region_of(c) for c in countries]])
        return cursor.fetchall()


def _years_of(rows: list[tuple[Any, ...]]) -> set[int]:
    return {row[4] for row in rows}


def _published_durations(
    source: DurationSource, fetched: list[tuple[Any, ...]], threshold: int
) -> list[Row]:
    rows: list[Row] = []
    for country, region, kind, agency_id, year, quarter, month, cases, median, p90 in fetched:
        if month is not None:
            period = f"{year}-{month:02d}"
        elif quarter is not None:
            period = f"{year}-Q{quarter}"
        else:
            period = str(year)
        if agency_id is not None:
            scope, area, kind_key = agency_scope(agency_id), "", ALL_KINDS
        else:
            scope, area, kind_key = WORLD_SCOPE, country or region or WORLD, kind or ALL_KINDS
        enough = cases >= threshold
        for measure, value in ((source.median, median), (source.p90, p90)):
            rows.append(
                (
                    scope,
                    measure,
                    area,
                    period,
                    kind_key,
                    round(float(value), 1) if enough else None,
                    FigureState.SHOWN if enough else FigureState.TOO_FEW,
                )
            )
    return rows


def _copy(rows: list[Row]) -> None:
    """Write the figures with COPY: hundreds of thousands of rows in seconds."""
    columns = "scope, measure, area, period, agency_kind, value, state"
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {StatsFigure._meta.db_table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
