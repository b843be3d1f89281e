"""What the oversight dashboards count: one row per measure, each with the SQL that counts it.

A measure is counted by the acting agency (the agency that recorded the identification,
owns the series, posted the clue, submitted the hash, or employs the user) and by the
month it happened in; the figures by country, region, agency kind, quarter and year are
sums of those, made and protected by ``cases.services.stats``. A *source* is one query
that yields one or more measures: ``(agency_id, month, count...)`` rows for counts,
``(agency_id, day, days)`` rows, one per case, for durations.

The figures of the collaboration issue (assessments, cross-border assessments, routing
requests and their response times, claims and conflicts) are further sources of the same
shape, added when those records exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.regions import WORLD, region_of
from cases.suppression import Hierarchy
from victimid.choices import AgencyKind

__all__ = [
    "ALL_KINDS",
    "COUNT_SOURCES",
    "DURATION_SOURCES",
    "MEASURES",
    "SECTIONS",
    "STOCK_SOURCES",
    "CountSource",
    "KIND_HIERARCHY",
    "NOW",
    "WORLD_SCOPE",
    "DurationSource",
    "Measure",
    "Section",
    "agency_scope",
    "area_hierarchy",
    "period_key",
    "year_hierarchy",
]

# --- The dimensions of the figures -------------------------------------------------------

WORLD_SCOPE = "world"
ALL_KINDS = ""
NOW = "now"


def agency_scope(agency_id: int) -> str:
    return f"agency:{agency_id}"


def period_key(day: date, level: str) -> str:
    """The key of the month, quarter or year ``day`` falls in: 2025-03, 2025-Q1, 2025."""
    if level == "month":
        return f"{day.year}-{day.month:02d}"
    if level == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def year_hierarchy(year: int) -> Hierarchy:
    """A year, its quarters and its months."""
    parents: dict[str, str | None] = {str(year): None}
    for quarter in range(1, 5):
        parents[f"{year}-Q{quarter}"] = str(year)
    for month in range(1, 13):
        parents[f"{year}-{month:02d}"] = f"{year}-Q{(month - 1) // 3 + 1}"
    return Hierarchy("period", parents)


def area_hierarchy(countries: Iterable[str]) -> Hierarchy:
    """The world, the regions of ``countries``, and the countries."""
    parents: dict[str, str | None] = {WORLD: None}
    known = sorted(set(countries))
    for country in known:
        parents.setdefault(region_of(country), WORLD)
    for country in known:
        parents[country] = region_of(country)
    return Hierarchy("area", parents)


KIND_HIERARCHY = Hierarchy(
    "agency_kind", {ALL_KINDS: None, **dict.fromkeys(AgencyKind.values, ALL_KINDS)}
)


@dataclass(frozen=True)
class Measure:
    """One figure of the dashboards."""

    key: str
    label: Promise
    unit: str = "count"  # "count", "days" (a median or percentile), "share" (derived)
    # For a share: the measures it divides (numerator, denominator).
    of: tuple[str, str] | None = None


@dataclass(frozen=True)
class Section:
    """A table of the dashboard: measures read side by side, the first one charted."""

    key: str
    title: Promise
    measures: tuple[str, ...]
    timed: bool = True  # False: a count as of now, not by period


@dataclass(frozen=True)
class CountSource:
    """A query of ``(agency_id, month, count, ...)`` rows, one count column per measure."""

    measures: tuple[str, ...]
    sql: str


@dataclass(frozen=True)
class DurationSource:
    """A query of ``(agency_id, day, days)`` rows, one per case: median and 90th percentile."""

    median: str
    p90: str
    sql: str


@dataclass(frozen=True)
class StockSource:
    """A query of ``(agency_id, count, ...)`` rows: how things stand now."""

    measures: tuple[str, ...]
    sql: str


MEASURES: dict[str, Measure] = {
    measure.key: measure
    for measure in (
        Measure("children_identified", _("Children identified")),
        Measure("children_safeguarded", _("Children safeguarded")),
        Measure("children_referred", _("Children referred to support services")),
        Measure("follow_ups", _("Follow-ups recorded")),
        Measure(
            "days_seen_to_identified_median", _("First seen to identified, median days"), "days"
        ),
        Measure(
            "days_seen_to_identified_p90", _("First seen to identified, 90th percentile"), "days"
        ),
        Measure(
            "days_identified_to_safeguarded_median",
            _("Identified to safeguarded, median days"),
            "days",
        ),
        Measure(
            "days_identified_to_safeguarded_p90",
            _("Identified to safeguarded, 90th percentile"),
            "days",
        ),
        Measure("series_new", _("New series")),
        Measure("series_active", _("Of those, still active")),
        Measure("series_identified", _("Of those, identified")),
        Measure("series_closed", _("Of those, closed")),
        Measure("series_with_identified_child", _("Of those, with a child identified")),
        Measure(
            "series_share_identified",
            _("Share with a child identified"),
            "share",
            of=("series_with_identified_child", "series_new"),
        ),
        Measure("clues_posted", _("Clues posted")),
        Measure("restricted_match_notices", _("Restricted-match notices sent")),
        Measure("lockouts", _("Accounts locked after failed sign-ins")),
        Measure("users_vetted", _("Vetted users")),
        Measure("users_pending", _("Users waiting for vetting")),
    )
}

SECTIONS: tuple[Section, ...] = (
    Section(
        "children",
        _("Children identified and safeguarded"),
        ("children_identified", "children_safeguarded", "children_referred", "follow_ups"),
    ),
    Section(
        "speed",
        _("How fast"),
        (
            "days_seen_to_identified_median",
            "days_seen_to_identified_p90",
            "days_identified_to_safeguarded_median",
            "days_identified_to_safeguarded_p90",
        ),
    ),
    Section(
        "series",
        _("Series, by the period they were first seen"),
        (
            "series_new",
            "series_active",
            "series_identified",
            "series_closed",
            "series_with_identified_child",
            "series_share_identified",
        ),
    ),
    Section(
        "cooperation",
        _("Clues and deconfliction"),
        ("clues_posted", "restricted_match_notices"),
    ),
    Section("security", _("Account security"), ("lockouts",)),
    Section("people", _("Users, as of the last refresh"), ("users_vetted", "users_pending"), False),
)

# Events that stand: no correction points at them.
_STANDING = "NOT EXISTS (SELECT 1 FROM cases_identificationevent c WHERE c.corrects_id = e.id)"


def _first_event_of_each_child(kind: str) -> str:
    """Each child counted once, at the first standing event of ``kind`` (so that countries
    add up to their region: a child identified twice is not counted twice)."""
    return f"""
        SELECT agency_id, date_trunc('month', occurred_on)::date, count(*) FROM (
            SELECT DISTINCT ON (e.victim_id) e.agency_id, e.occurred_on
            FROM cases_identificationevent e
            WHERE e.kind = '{kind}' AND {_STANDING}
            ORDER BY e.victim_id, e.occurred_on, e.id
        ) first_event GROUP BY 1, 2
    """  # noqa: S608 - constants of this module only


COUNT_SOURCES: tuple[CountSource, ...] = (
    CountSource(("children_identified",), _first_event_of_each_child("identified")),
    CountSource(("children_safeguarded",), _first_event_of_each_child("safeguarded")),
    CountSource(("children_referred",), _first_event_of_each_child("referred")),
    CountSource(
        ("follow_ups",),
        f"""SELECT e.agency_id, date_trunc('month', e.occurred_on)::date, count(*)
            FROM cases_identificationevent e WHERE e.kind = 'follow_up' AND {_STANDING}
            GROUP BY 1, 2""",  # noqa: S608 - constants of this module only
    ),
    # Series by the month they were first seen (the day recorded, else the day entered);
    # a series merged into another is counted there.
    CountSource(
        (
            "series_new",
            "series_active",
            "series_identified",
            "series_closed",
            "series_with_identified_child",
        ),
        f"""SELECT s.agency_id,
                   date_trunc('month', coalesce(s.first_seen, s.created_at::date))::date,
                   count(*),
                   count(*) FILTER (WHERE s.status = 'active'),
                   count(*) FILTER (WHERE s.status = 'identified'),
                   count(*) FILTER (WHERE s.status = 'closed'),
                   count(*) FILTER (WHERE EXISTS (
                       SELECT 1 FROM cases_victimseries vs
                       JOIN cases_identificationevent e ON e.victim_id = vs.victim_id
                       WHERE vs.series_id = s.id AND e.kind = 'identified' AND {_STANDING}))
            FROM cases_series s WHERE s.status <> 'merged' GROUP BY 1, 2""",  # noqa: S608 - constants of this module only
    ),
    CountSource(
        ("clues_posted",),
        """SELECT agency_id, date_trunc('month', created_at)::date, count(*)
           FROM cases_clue GROUP BY 1, 2""",
    ),
    CountSource(
        ("restricted_match_notices",),
        """SELECT requesting_agency_id, date_trunc('month', created_at)::date, count(*)
           FROM cases_deconflictionnotice GROUP BY 1, 2""",
    ),
    CountSource(
        ("lockouts",),
        """SELECT actor_agency_id, date_trunc('month', occurred_at)::date, count(*)
           FROM victimid_auditevent
           WHERE action = 'auth.locked' AND actor_agency_id IS NOT NULL GROUP BY 1, 2""",
    ),
)

DURATION_SOURCES: tuple[DurationSource, ...] = (
    # From the day a series was first seen to the first identification of a child in it,
    # counted for the agency that identified, in the month of the identification.
    DurationSource(
        "days_seen_to_identified_median",
        "days_seen_to_identified_p90",
        f"""SELECT DISTINCT ON (vs.series_id) e.agency_id, e.occurred_on,
                   e.occurred_on - s.first_seen
            FROM cases_victimseries vs
            JOIN cases_series s ON s.id = vs.series_id AND s.first_seen IS NOT NULL
            JOIN cases_identificationevent e
              ON e.victim_id = vs.victim_id AND e.kind = 'identified' AND {_STANDING}
            WHERE e.occurred_on >= s.first_seen
            ORDER BY vs.series_id, e.occurred_on, e.id""",  # noqa: S608 - constants of this module only
    ),
    # From a child's first identification to their first safeguarding, for the agency
    # that safeguarded, in the month of the safeguarding.
    DurationSource(
        "days_identified_to_safeguarded_median",
        "days_identified_to_safeguarded_p90",
        f"""SELECT safe.agency_id, safe.occurred_on, safe.occurred_on - ident.occurred_on
            FROM (SELECT DISTINCT ON (e.victim_id) e.victim_id, e.agency_id, e.occurred_on
                  FROM cases_identificationevent e WHERE e.kind = 'safeguarded' AND {_STANDING}
                  ORDER BY e.victim_id, e.occurred_on, e.id) safe
            JOIN (SELECT e.victim_id, min(e.occurred_on) AS occurred_on
                  FROM cases_identificationevent e WHERE e.kind = 'identified' AND {_STANDING}
                  GROUP BY e.victim_id) ident ON ident.victim_id = safe.victim_id
            WHERE safe.occurred_on >= ident.occurred_on""",  # noqa: S608 - constants of this module only
    ),
)

STOCK_SOURCES: tuple[StockSource, ...] = (
    StockSource(
        ("users_vetted", "users_pending"),
        """SELECT agency_id,
                  count(*) FILTER (WHERE vetting_status = 'vetted' AND is_active
                                   AND locked_at IS NULL AND vetted_until > now()),
                  count(*) FILTER (WHERE vetting_status = 'pending')
           FROM victimid_user WHERE agency_id IS NOT NULL GROUP BY 1""",
    ),
)
