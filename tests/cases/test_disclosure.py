"""The attacker's proof: no hidden figure can be worked out from every figure a user can get.

The figures are made by the refresh's own code (``cases.services.stats._count_rows``, the
step after the SQL) from generated records. The records are counted here into *atoms*:
the finest counts the figures are sums of — for series, the count of an agency's series
first seen in a month with a given status and with or without a child identified; for
assessments, an assessor's agency's assessments of a month, cross-border or not; for
routing requests, the requests of an asking agency to an asked country in a month.

The attacker is a user of one scope. They can request every year, every level (month,
quarter, year), every area (world, region, country) and every agency kind, on the page,
in the API and in the CSV, all of which show figures of the scope's published table
(``tests/cases/test_stats_pages.py`` checks that they show nothing else). So the attacker
is given *every* published cell of the scope, each written here as a linear equation over
the atoms: its value is the sum of the atoms it covers (independently of
``cases.suppression``: which atoms a cell covers follows from the records' country,
kind and month alone). A published zero also tells them that each atom it covers is zero
(counts are never negative).

A hidden figure ("<5" or "[c]") is recovered by adding and subtracting published figures
exactly when its own equation lies in the span of the published ones. The test shows,
with exact rational arithmetic (``fractions.Fraction``, no modulus), that none does, and
that no atom from 1 to 4 does either — for seeded random datasets, for datasets designed
to tempt a differencing attack (a total whose every part but one is published), and it
shows that the attacker does find the leak when the measures are protected one by one.

Not proven here: bounds. A reader who also uses that every hidden count is 0 or more,
every "<5" between 1 and 4 and every "[c]" at least 0 (a linear program) may narrow a
hidden figure to a range; only its exact value is proven out of reach.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pytest

from cases.measures import (
    ALL_KINDS,
    FAMILIES,
    KIND_HIERARCHY,
    MEASURES,
    WORLD_SCOPE,
    Family,
    agency_scope,
    area_hierarchy,
    year_hierarchy,
)
from cases.regions import WORLD, region_of
from cases.services.stats import _count_rows
from cases.suppression import SMALL
from victimid.choices import AgencyKind

THRESHOLD = 5
YEAR = 2025
MONTHS = [date(YEAR, month, 1) for month in range(1, 13)]

# Six agencies in five countries of two regions, two kinds.
AGENCIES: dict[int, tuple[str, str]] = {
    1: ("NL", AgencyKind.POLICE),
    2: ("NL", AgencyKind.HOTLINE),
    3: ("BE", AgencyKind.POLICE),
    4: ("DE", AgencyKind.POLICE),
    5: ("KE", AgencyKind.POLICE),
    6: ("NG", AgencyKind.HOTLINE),
}
COUNTRIES = sorted({country for country, _kind in AGENCIES.values()})


@dataclass(frozen=True)
class Atom:
    """The finest count: records alike in everything a figure can tell apart."""

    family: str
    agency: int  # the acting agency (the asking one for a routing request)
    month: date
    traits: tuple[str, ...]  # series: (status, child); assessment: (border,); routing: (asked,)


def _family(key: str) -> Family:
    return next(family for family in FAMILIES if key in family.measures)


SERIES = _family("series_new")
ASSESSMENTS = _family("assessments_given")
ROUTING = _family("routing_made")
CHILDREN = Family(("children_identified",))

# Which atoms each measure counts, and where (country, kind) an atom is counted.
COUNTS: dict[str, Callable[[Atom], bool]] = {
    "series_new": lambda a: a.family == "series",
    "series_active": lambda a: a.family == "series" and a.traits[0] == "active",
    "series_identified": lambda a: a.family == "series" and a.traits[0] == "identified",
    "series_closed": lambda a: a.family == "series" and a.traits[0] == "closed",
    "series_with_identified_child": lambda a: a.family == "series" and a.traits[1] == "child",
    "series_without_identified_child": lambda a: a.family == "series" and a.traits[1] == "no child",
    "assessments_given": lambda a: a.family == "assessment",
    "assessments_cross_border": lambda a: a.family == "assessment" and a.traits[0] == "abroad",
    "assessments_domestic": lambda a: a.family == "assessment" and a.traits[0] == "home",
    "routing_made": lambda a: a.family == "routing",
    "routing_received": lambda a: a.family == "routing",
    "children_identified": lambda a: a.family == "children",
}


def _where(measure: str, atom: Atom) -> tuple[str, str]:
    """The country and kind an atom is counted in for ``measure``."""
    if measure == "routing_received":
        return atom.traits[0], ALL_KINDS
    return AGENCIES[atom.agency]


TRAITS: dict[str, list[tuple[str, ...]]] = {
    "series": [
        (status, child)
        for status in ("active", "identified", "closed")
        for child in ("child", "no child")
    ],
    "assessment": [("abroad",), ("home",)],
    "routing": [(country,) for country in COUNTRIES],
    "children": [()],
}
FAMILY_OF_MEASURES = {SERIES: "series", ASSESSMENTS: "assessment", ROUTING: "routing"}


def _random_atoms(family: str, seed: int, sparse: float = 0.45) -> dict[Atom, int]:
    rng = random.Random(f"{family}-{seed}")
    atoms = {}
    for agency in AGENCIES:
        for month in MONTHS:
            for traits in TRAITS[family]:
                draw = rng.random()
                if draw < sparse:
                    continue
                atoms[Atom(family, agency, month, traits)] = (
                    rng.randint(1, 4) if draw < sparse + 0.3 else rng.randint(5, 30)
                )
    return atoms


def _counts(atoms: Mapping[Atom, int], measures: Iterable[str]) -> dict:
    """What the refresh's SQL would return: per measure, ``(agency or country, month)``."""
    counts: dict[str, dict[tuple[object, date], int]] = {}
    for measure in measures:
        found: dict[tuple[object, date], int] = defaultdict(int)
        for atom, number in atoms.items():
            if COUNTS[measure](atom):
                key = atom.traits[0] if MEASURES[measure].per_country else atom.agency
                found[(key, atom.month)] += number
        counts[measure] = dict(found)
    return counts


def _published(family: Family, atoms: Mapping[Atom, int]) -> list[tuple]:
    areas = area_hierarchy(COUNTRIES)
    counts = _counts(atoms, family.measures)
    return _count_rows(family, counts, AGENCIES, areas, [YEAR], THRESHOLD)


# --- What a user of one scope can see, as equations over the atoms -----------------------


def _contains(area: str, country: str) -> bool:
    return area in (WORLD, country, region_of(country))


def _period_contains(period: str, month: date) -> bool:
    return period in (str(month.year), f"{month.year}-Q{(month.month - 1) // 3 + 1}") or (
        period == f"{month.year}-{month.month:02d}"
    )


def _cells(scope: str, family: Family) -> Iterable[tuple[str, str, str, str]]:
    """Every cell the scope's reader can request, by any filter on any page, API or CSV."""
    periods = year_hierarchy(YEAR).nodes
    for measure in family.measures:
        if measure in family.implied:
            continue
        per_country = MEASURES[measure].per_country
        if scope == WORLD_SCOPE:
            areas = area_hierarchy(COUNTRIES).nodes
            kinds = [ALL_KINDS] if per_country else KIND_HIERARCHY.nodes
        elif per_country:
            continue  # an agency's reader sees "–" for a country's figure
        else:
            areas, kinds = ("",), (ALL_KINDS,)
        for area in areas:
            for period in periods:
                for kind in kinds:
                    yield (measure, area, period, kind)


def _covers(scope: str, cell: tuple[str, str, str, str], atom: Atom) -> bool:
    measure, area, period, kind = cell
    if not COUNTS[measure](atom) or not _period_contains(period, atom.month):
        return False
    if scope != WORLD_SCOPE:
        return scope == agency_scope(atom.agency)
    country, atom_kind = _where(measure, atom)
    return _contains(area, country) and kind in (ALL_KINDS, atom_kind)


class Span:
    """The row space of equations over the atoms, kept in reduced row echelon form with
    exact fractions: a vector is in it exactly when reducing it leaves nothing."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, Fraction]] = {}  # pivot column -> row (pivot 1)

    def reduce(self, vector: Mapping[int, Fraction]) -> dict[int, Fraction]:
        row = {column: Fraction(value) for column, value in vector.items() if value}
        for pivot in sorted(self.rows):
            factor = row.get(pivot)
            if not factor:
                continue
            for column, value in self.rows[pivot].items():
                updated = row.get(column, Fraction(0)) - factor * value
                if updated:
                    row[column] = updated
                else:
                    row.pop(column, None)
        return row

    def add(self, vector: Mapping[int, Fraction]) -> None:
        row = self.reduce(vector)
        if not row:
            return
        lead = min(row)
        inverse = 1 / row[lead]
        row = {column: value * inverse for column, value in row.items()}
        for other in self.rows.values():
            factor = other.get(lead)
            if factor:
                for column, value in row.items():
                    updated = other.get(column, Fraction(0)) - factor * value
                    if updated:
                        other[column] = updated
                    else:
                        other.pop(column, None)
        self.rows[lead] = row

    def holds(self, vector: Mapping[int, Fraction]) -> bool:
        return not self.reduce(vector)


def _recoverable(scope: str, family: Family, atoms: Mapping[Atom, int], rows) -> list[str]:
    """Every hidden figure and every atom from 1 to 4 that the scope's reader can compute."""
    kind = FAMILY_OF_MEASURES.get(family, "children")
    universe = [
        Atom(kind, agency, month, traits)
        for agency in AGENCIES
        for month in MONTHS
        for traits in TRAITS[kind]
    ]
    column = {atom: number for number, atom in enumerate(universe)}
    published = {(r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in rows if r[0] == scope}
    span = Span()
    hidden: list[tuple[tuple[str, str, str, str], dict[int, Fraction]]] = []
    for cell in _cells(scope, family):
        equation = {column[a]: Fraction(1) for a in universe if _covers(scope, cell, a)}
        value, state = published.get(cell, (0, "shown"))
        truth = sum(atoms.get(a, 0) for a in universe if _covers(scope, cell, a))
        if state == "shown":
            assert value == truth, (cell, value, truth)  # the figure is the records' count
            assert not 0 < truth < THRESHOLD, cell
            span.add(equation)
            if value == 0:  # no count is negative: each atom it covers is zero
                for atom_column in equation:
                    span.add({atom_column: Fraction(1)})
        else:
            assert value is None
            assert (state == SMALL) == (0 < truth < THRESHOLD), cell
            hidden.append((cell, equation))
    found = [f"{cell} = {sum(1 for _ in eq)} atoms" for cell, eq in hidden if span.holds(eq)]
    found += [
        f"atom {atom} = {atoms[atom]}"
        for atom in universe
        if 0 < atoms.get(atom, 0) < THRESHOLD
        and (scope == WORLD_SCOPE or scope == agency_scope(atom.agency))
        and span.holds({column[atom]: Fraction(1)})
    ]
    return found


def _scopes() -> list[str]:
    return [WORLD_SCOPE, *(agency_scope(agency) for agency in AGENCIES)]


@pytest.mark.parametrize(
    "family", [SERIES, ASSESSMENTS, ROUTING], ids=["series", "assess", "route"]
)
@pytest.mark.parametrize("seed", range(3))
def test_no_hidden_figure_is_recoverable_from_every_figure_a_user_can_get(family, seed):
    atoms = _random_atoms(FAMILY_OF_MEASURES[family], seed)
    rows = _published(family, atoms)
    assert any(row[6] == "small" for row in rows)  # there is something to protect
    for scope in _scopes():
        assert _recoverable(scope, family, atoms, rows) == [], scope


def test_a_single_measure_with_a_sparse_dataset():
    atoms = _random_atoms("children", 7, sparse=0.7)
    rows = _published(CHILDREN, atoms)
    for scope in _scopes():
        assert _recoverable(scope, CHILDREN, atoms, rows) == [], scope


def _tempting_series() -> dict[Atom, int]:
    """Police in the Netherlands, March: 30 new series, 20 active, 8 identified and 2
    closed — the closed ones are new minus active minus identified; 27 with a child
    identified, so 3 without (new minus with). Every other agency and month is large."""
    atoms = {}
    for agency in AGENCIES:
        for month in MONTHS:
            for traits in TRAITS["series"]:
                atoms[Atom("series", agency, month, traits)] = 12
    march = date(YEAR, 3, 1)
    for traits in TRAITS["series"]:
        atoms[Atom("series", 1, march, traits)] = 0
    atoms[Atom("series", 1, march, ("active", "child"))] = 17
    atoms[Atom("series", 1, march, ("active", "no child"))] = 3
    atoms[Atom("series", 1, march, ("identified", "child"))] = 8
    atoms[Atom("series", 1, march, ("closed", "child"))] = 2
    return atoms


def _tempting_routing() -> dict[Atom, int]:
    """Every agency asks every country 6 times a month, except that in May only the
    Netherlands' police ask Kenya, twice: Kenya's May is the world's May minus the
    other countries' (all published unless protected), and the world's requests made
    equal those received."""
    atoms = {}
    for agency in AGENCIES:
        for month in MONTHS:
            for country in COUNTRIES:
                atoms[Atom("routing", agency, month, (country,))] = 6
    for agency in AGENCIES:
        atoms[Atom("routing", agency, date(YEAR, 5, 1), ("KE",))] = 0
    atoms[Atom("routing", 1, date(YEAR, 5, 1), ("KE",))] = 2
    return atoms


def _tempting_assessments() -> dict[Atom, int]:
    """Twelve assessments by the Netherlands' police in June, nine cross-border: three
    domestic ones, not a published figure but given − cross-border."""
    atoms = {
        Atom("assessment", agency, month, traits): 9
        for agency in AGENCIES
        for month in MONTHS
        for traits in TRAITS["assessment"]
    }
    atoms[Atom("assessment", 1, date(YEAR, 6, 1), ("abroad",))] = 9
    atoms[Atom("assessment", 1, date(YEAR, 6, 1), ("home",))] = 3
    return atoms


TEMPTING = [
    (SERIES, _tempting_series),
    (ASSESSMENTS, _tempting_assessments),
    (ROUTING, _tempting_routing),
]


@pytest.mark.parametrize(("family", "make"), TEMPTING, ids=["series", "assess", "route"])
def test_a_dataset_built_for_a_differencing_attack_gives_nothing_away(family, make):
    atoms = make()
    rows = _published(family, atoms)
    for scope in _scopes():
        assert _recoverable(scope, family, atoms, rows) == [], scope


@pytest.mark.parametrize(("family", "make"), TEMPTING[:2], ids=["series", "assess"])
def test_the_attacker_finds_the_leak_when_measures_are_protected_one_by_one(family, make):
    # The same figures, each measure protected alone (as before families): the attacker
    # must find what the differencing attack was built for — it is not vacuous.
    atoms = make()
    rows = [
        row
        for measure in family.measures
        for row in _published(Family((measure,)), atoms)
        if measure not in family.implied
    ]
    assert _recoverable(WORLD_SCOPE, family, atoms, rows)
    # And the same dataset protected as a family gives nothing away.
    rows = _published(family, atoms)
    assert _recoverable(WORLD_SCOPE, family, atoms, rows) == []


def test_the_attacker_uses_that_the_world_makes_the_requests_it_receives():
    # Published as protected, then one change: the world's requests received in a month
    # whose requests made are hidden as a complement are shown. The attacker must recover the hidden
    # figure (the same records), and the other figures it protected.
    atoms = _tempting_routing()
    for agency in AGENCIES:  # July: three requests in the whole world
        for country in COUNTRIES:
            atoms[Atom("routing", agency, date(YEAR, 7, 1), (country,))] = 0
        for country in COUNTRIES:  # August: six
            atoms[Atom("routing", agency, date(YEAR, 8, 1), (country,))] = 0
    atoms[Atom("routing", 2, date(YEAR, 7, 1), ("BE",))] = 3
    atoms[Atom("routing", 1, date(YEAR, 8, 1), ("DE",))] = 6
    rows = _published(ROUTING, atoms)
    hidden_world = [
        row
        for row in rows
        if row[:2] == (WORLD_SCOPE, "routing_made")
        and row[2] == WORLD
        and row[4] == ALL_KINDS
        and row[5] is None
    ]
    totals = {
        row[3]: sum(n for atom, n in atoms.items() if _period_contains(row[3], atom.month))
        for row in hidden_world
    }
    # A complement (the smaller of August and September hides July's three).
    period, truth = next((p, n) for p, n in totals.items() if n >= THRESHOLD)
    shown = [
        (*row[:5], truth, "shown")
        if row[:5] == (WORLD_SCOPE, "routing_received", WORLD, period, ALL_KINDS)
        else row
        for row in rows
    ]
    found = _recoverable(WORLD_SCOPE, ROUTING, atoms, shown)
    assert f"('routing_made', '{WORLD}', '{period}', '')" in " ".join(found)
