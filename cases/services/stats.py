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
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, transaction

from cases.measures import (
    ALL_KINDS,
    COUNT_SOURCES,
    DURATION_SOURCES,
    KIND_HIERARCHY,
    NOW,
    STOCK_SOURCES,
    WORLD_SCOPE,
    DurationSource,
    agency_scope,
    area_hierarchy,
    period_key,
    year_hierarchy,
)
from cases.models import FigureState, StatsFigure, StatsRefresh
from cases.regions import WORLD, region_of
from cases.suppression import SMALL, Hierarchy, protect, rollup
from victimid import audit_actions
from victimid.models import Agency
from victimid.services.audit import audit_record

__all__ = ["stats_refresh"]

Row = tuple[str, str, str, str, str, float | None, str]


def stats_refresh() -> StatsRefresh:
    """Compute, protect and publish every figure; the previous figures are replaced at once."""
    started = time.perf_counter()
    threshold = settings.STATS_SMALL_COUNT_THRESHOLD
    agencies = {
        pk: (str(country), kind)
        for pk, country, kind in Agency.objects.values_list("pk", "country", "kind")
    }
    areas = area_hierarchy(country for country, _kind in agencies.values())
    counts = _counts()
    durations = [(source, _duration_rows(source, agencies)) for source in DURATION_SOURCES]
    years = sorted(
        {month.year for by_month in counts.values() for (_agency, month) in by_month}
        | {year for _source, rows in durations for year in _years_of(rows)}
    ) or [date.today().year]
    rows: list[Row] = []
    for measure, by_agency_month in counts.items():
        rows += _count_rows(measure, by_agency_month, agencies, areas, years, threshold)
    for source, duration_rows in durations:
        rows += _published_durations(source, duration_rows, threshold)
    rows += _stock_rows(agencies, areas, threshold)
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


def _counts() -> dict[str, dict[tuple[int, date], int]]:
    found: dict[str, dict[tuple[int, date], int]] = {}
    with connection.cursor() as cursor:
        for source in COUNT_SOURCES:
            cursor.execute(source.sql)
            by_measure = [found.setdefault(m, {}) for m in source.measures]
            for agency_id, month, *numbers in cursor.fetchall():
                for target, number in zip(by_measure, numbers, strict=True):
                    if number:
                        target[(agency_id, month)] = int(number)
    return found


def _cells_to_rows(
    scope: str, measure: str, table: Any, cells: Iterable[tuple[str, ...]]
) -> Iterator[Row]:
    """Published rows of the cells that are not a plain zero (a missing figure is 0)."""
    for cell, (area, period, kind) in zip(table.values, cells, strict=True):
        value = table.values[cell]
        state = table.state(cell)
        if value == 0 and state == "shown":
            continue
        yield (scope, measure, area, period, kind, table.published(cell), _state(state))


def _state(state: str) -> str:
    if state == "shown":
        return FigureState.SHOWN
    return FigureState.SMALL if state == SMALL else FigureState.SUPPRESSED


def _count_rows(
    measure: str,
    by_agency_month: dict[tuple[int, date], int],
    agencies: dict[int, tuple[str, str]],
    areas: Hierarchy,
    years: list[int],
    threshold: int,
) -> list[Row]:
    rows: list[Row] = []
    for year in years:
        periods = year_hierarchy(year)
        world: dict[tuple[str, ...], int] = defaultdict(int)
        per_agency: dict[int, dict[tuple[str, ...], int]] = defaultdict(lambda: defaultdict(int))
        for (agency_id, month), number in by_agency_month.items():
            if month.year != year or agency_id not in agencies:
                continue
            country, kind = agencies[agency_id]
            world[(country, period_key(month, "month"), kind)] += number
            per_agency[agency_id][(period_key(month, "month"),)] += number
        dimensions = (areas, periods, KIND_HIERARCHY)
        table = protect(dimensions, rollup(dimensions, world), threshold)
        rows += _cells_to_rows(WORLD_SCOPE, measure, table, table.values)
        for agency_id, leaves in per_agency.items():
            table = protect((periods,), rollup((periods,), leaves), threshold)
            cells = (("", period, ALL_KINDS) for (period,) in table.values)
            rows += _cells_to_rows(agency_scope(agency_id), measure, table, cells)
    return rows


def _stock_rows(
    agencies: dict[int, tuple[str, str]], areas: Hierarchy, threshold: int
) -> list[Row]:
    rows: list[Row] = []
    with connection.cursor() as cursor:
        for source in STOCK_SOURCES:
            cursor.execute(source.sql)
            fetched = cursor.fetchall()
            for position, measure in enumerate(source.measures):
                world: dict[tuple[str, ...], int] = defaultdict(int)
                for agency_id, *numbers in fetched:
                    if agency_id in agencies and numbers[position]:
                        country, kind = agencies[agency_id]
                        world[(country, kind)] += int(numbers[position])
                        table = protect((), {(): int(numbers[position])}, threshold)
                        rows += _cells_to_rows(
                            agency_scope(agency_id), measure, table, [("", NOW, ALL_KINDS)]
                        )
                dimensions = (areas, KIND_HIERARCHY)
                table = protect(dimensions, rollup(dimensions, world), threshold)
                stock_cells = ((area, NOW, kind) for area, kind in table.values)
                rows += _cells_to_rows(WORLD_SCOPE, measure, table, stock_cells)
    return rows


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
