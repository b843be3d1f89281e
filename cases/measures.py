"""What the oversight dashboards count: one row per measure, each with the SQL that counts it.

A measure is counted by the acting agency (the agency that recorded the identification,
owns the series, posted the clue, submitted the hash, or employs the user) and by the
month it happened in; the figures by country, region, agency kind, quarter and year are
sums of those, made and protected by ``cases.services.stats``. A *source* is one query
that yields one or more measures: ``(agency_id, month, count...)`` rows for counts,
``(agency_id, day, days)`` rows, one per case, for durations.

A few measures are counted for a country, not an agency: routing requests received and
overdue (a request is put to a country's coordinators). They have no agency kind and no
agency's own figures.

Measures counted from the same records may add up across measures: new series are the
active, identified and closed ones; assessments are the cross-border and the domestic
ones; the world's routing requests made are the world's requests received. A ``Family``
declares such measures, and they are protected together (``cases.services.stats``), so
that one measure's figures never give away what another's hide.
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
    "FAMILIES",
    "MEASURES",
    "SECTIONS",
    "STOCK_SOURCES",
    "CountSource",
    "KIND_HIERARCHY",
    "NOW",
    "WORLD_SCOPE",
    "DurationSource",
    "Family",
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
    # Counted for a country (the one a routing request was put to), not an agency: no
    # agency kind, no agency's own figures.
    per_country: bool = False


@dataclass(frozen=True)
class Section:
    """A table of the dashboard: measures read side by side, the first one charted."""

    key: str
    title: Promise
    measures: tuple[str, ...]
    timed: bool = True  # False: a count as of now, not by period


@dataclass(frozen=True)
class CountSource:
    """A query of ``(agency_id, month, count, ...)`` rows, one count column per measure;
    ``(country, month, count, ...)`` when its measures are ``per_country``."""

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
    """A query of ``(agency_id, count, ...)`` rows: how things stand now;
    ``(country, count, ...)`` when its measures are ``per_country``. The query may use the
    parameter ``%(overdue_days)s`` (``ROUTING_OVERDUE_DAYS``)."""

    measures: tuple[str, ...]
    sql: str


@dataclass(frozen=True)
class Family:
    """Count measures whose figures add up across measures, protected as one table.

    ``sums``: (whole, parts) — in every cell the whole is the sum of its parts.
    ``same_world_total``: (one, other) — the two are equal for the world and every kind
    in every period (each routing request is made by one agency and put to one country).
    ``implied``: counted and protected but not published, because a reader could work
    them out from the published ones (series without a child identified = new series
    minus those with one): a small implied count must be protected like a shown one.
    """

    measures: tuple[str, ...]
    sums: tuple[tuple[str, tuple[str, ...]], ...] = ()
    same_world_total: tuple[tuple[str, str], ...] = ()
    implied: tuple[str, ...] = ()


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
        Measure("series_without_identified_child", _("Of those, with no child identified")),
        Measure("clues_posted", _("Clues posted")),
        Measure("restricted_match_notices", _("Restricted-match notices sent")),
        Measure("claims_made", _("Claims made on series")),
        Measure(
            "conflicts_detected",
            _("Conflicts detected (told another agency works the same series)"),
        ),
        Measure("assessments_given", _("Assessments given")),
        Measure(
            "assessments_cross_border",
            _("Of those, cross-border (the clue's agency is in another country)"),
        ),
        Measure("assessments_domestic", _("Of those, within the country")),
        Measure("routing_made", _("Routing requests made")),
        Measure("routing_received", _("Routing requests received"), per_country=True),
        Measure("routing_days_median", _("Asked to answered, median days"), "days"),
        Measure("routing_days_p90", _("Asked to answered, 90th percentile"), "days"),
        Measure(
            "routing_overdue",
            _("Routing requests received, open past the answer time"),
            per_country=True,
        ),
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
        _("Clues, claims and deconfliction"),
        ("clues_posted", "claims_made", "conflicts_detected", "restricted_match_notices"),
    ),
    Section(
        "assessments",
        _("Assessments, by the assessor's country"),
        ("assessments_given", "assessments_cross_border"),
    ),
    Section(
        "routing",
        _("Routing requests: made by the asking agency, received by the asked country"),
        ("routing_made", "routing_received", "routing_days_median", "routing_days_p90"),
    ),
    Section("security", _("Account security"), ("lockouts",)),
    Section("people", _("Users, as of the last refresh"), ("users_vetted", "users_pending"), False),
    Section(
        "routing_now",
        _("Routing requests overdue, as of the last refresh"),
        ("routing_overdue",),
        False,
    ),
)

# Counted by one query, protected as one family.
_SERIES_MEASURES = (
    "series_new",
    "series_active",
    "series_identified",
    "series_closed",
    "series_with_identified_child",
    "series_without_identified_child",
)

FAMILIES: tuple[Family, ...] = (
    Family(
        _SERIES_MEASURES,
        sums=(
            ("series_new", ("series_active", "series_identified", "series_closed")),
            ("series_new", ("series_with_identified_child", "series_without_identified_child")),
        ),
        implied=("series_without_identified_child",),
    ),
    Family(
        ("assessments_given", "assessments_cross_border", "assessments_domestic"),
        sums=(("assessments_given", ("assessments_cross_border", "assessments_domestic")),),
        implied=("assessments_domestic",),
    ),
    Family(
        ("routing_made", "routing_received"),
        same_world_total=(("routing_made", "routing_received"),),
    ),
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


_HAS_IDENTIFIED_CHILD = f"""EXISTS (
    SELECT 1 FROM cases_victimseries vs
    JOIN cases_identificationevent e ON e.victim_id = vs.victim_id
    WHERE vs.series_id = s.id AND e.kind = 'identified' AND {_STANDING})"""  # noqa: S608 - constants of this module only


def _monthly(table: str, key: str = "agency_id", at: str = "created_at") -> str:
    """Rows of ``table`` counted by ``key`` and the month of ``at`` (names of this module)."""
    return f"""SELECT {key}, date_trunc('month', {at})::date, count(*)
               FROM {table} GROUP BY 1, 2"""  # noqa: S608 - constants of this module only


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
        _SERIES_MEASURES,
        f"""SELECT s.agency_id,
                   date_trunc('month', coalesce(s.first_seen, s.created_at::date))::date,
                   count(*),
                   count(*) FILTER (WHERE s.status = 'active'),
                   count(*) FILTER (WHERE s.status = 'identified'),
                   count(*) FILTER (WHERE s.status = 'closed'),
                   count(*) FILTER (WHERE {_HAS_IDENTIFIED_CHILD}),
                   count(*) FILTER (WHERE NOT {_HAS_IDENTIFIED_CHILD})
            FROM cases_series s WHERE s.status <> 'merged' GROUP BY 1, 2""",  # noqa: S608 - constants of this module only
    ),
    CountSource(("clues_posted",), _monthly("cases_clue")),
    CountSource(
        ("restricted_match_notices",),
        _monthly("cases_deconflictionnotice", "requesting_agency_id"),
    ),
    CountSource(("claims_made",), _monthly("cases_claim")),
    # Two agencies working the same series are each told of the other: a conflict counts
    # for each agency told (the world's figure is twice the number of agency pairs).
    CountSource(("conflicts_detected",), _monthly("cases_coordinationnotice")),
    # By the assessor's agency; cross-border when the assessor's country (as it was when
    # they assessed) is not the country of the agency that posted the clue.
    CountSource(
        ("assessments_given", "assessments_cross_border", "assessments_domestic"),
        """SELECT a.agency_id, date_trunc('month', a.created_at)::date, count(*),
                  count(*) FILTER (WHERE a.assessor_country <> owner.country),
                  count(*) FILTER (WHERE a.assessor_country = owner.country)
           FROM cases_assessment a JOIN cases_clue c ON c.id = a.clue_id
           JOIN victimid_agency owner ON owner.id = c.agency_id
           GROUP BY 1, 2""",
    ),
    # A routing request is made by the asking agency and received by the asked country,
    # both in the month it was asked (withdrawn ones included).
    CountSource(
        ("routing_made",), _monthly("cases_routingrequest", "asking_agency_id", "asked_at")
    ),
    CountSource(("routing_received",), _monthly("cases_routingrequest", "country", "asked_at")),
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
    # From asking to answering a routing request, for the agency that answered (its
    # country is the asked one), in the month of the answer; in days, to a tenth.
    DurationSource(
        "routing_days_median",
        "routing_days_p90",
        """SELECT a.agency_id, (r.answered_at AT TIME ZONE 'UTC')::date,
                  extract(epoch FROM r.answered_at - r.asked_at) / 86400.0
           FROM cases_routingrequest r JOIN cases_assessment a ON a.id = r.answer_id
           WHERE r.status = 'answered' AND r.answered_at IS NOT NULL""",
    ),
)

STOCK_SOURCES: tuple[StockSource, ...] = (
    StockSource(
        ("routing_overdue",),
        """SELECT country, count(*) FROM cases_routingrequest
           WHERE status = 'open' AND asked_at < now() - make_interval(days => %(overdue_days)s)
           GROUP BY 1""",
    ),
    StockSource(
        ("users_vetted", "users_pending"),
        """SELECT agency_id,
                  count(*) FILTER (WHERE vetting_status = 'vetted' AND is_active
                                   AND locked_at IS NULL AND vetted_until > now()),
                  count(*) FILTER (WHERE vetting_status = 'pending')
           FROM victimid_user WHERE agency_id IS NOT NULL GROUP BY 1""",
    ),
)
