"""Small-cell protection, proven on generated tables.

Every sum relation of a table (a parent equals the sum of its children, in every
dimension: a year and its quarters, a region and its countries, all agency kinds and
each) is written out again here, apart from ``cases.suppression``. The published cells
turn them into a linear system in the hidden cells; a hidden cell can be recovered by
adding and subtracting published figures — in one view or across every view a reader
can request, since all views are cells of the one protected table — exactly when the
unit vector of that cell lies in the row space of the system. A dense rank test over the
rationals proves, for each generated table, that no hidden cell does. A relation whose
hidden cells are all "<5" must not pin them by their sum (1 + 1 = 2).
"""

from __future__ import annotations

import random
from fractions import Fraction
from itertools import product

import pytest

from cases.suppression import SMALL, SUPPRESSED, Hierarchy, ProtectedTable, protect, rollup

THRESHOLD = 5

GEO = Hierarchy(
    "geo",
    {"world": None, "r1": "world", "r2": "world", "NL": "r1", "BE": "r1", "DE": "r1",
     "KE": "r2", "NG": "r2"},
)  # fmt: skip
TIME = Hierarchy(
    "time",
    {"all": None, "2025": "all", "2026": "all", "2025-Q1": "2025", "2025-Q2": "2025",
     "2026-Q1": "2026", "2025-01": "2025-Q1", "2025-02": "2025-Q1", "2025-04": "2025-Q2",
     "2025-05": "2025-Q2", "2026-01": "2026-Q1", "2026-02": "2026-Q1"},
)  # fmt: skip
KIND = Hierarchy("kind", {"all": None, "police": "all", "hotline": "all"})
DIMENSIONS = (GEO, TIME, KIND)


def _independent_relations(dimensions):
    """Every parent = sum of children, written out without cases.suppression."""
    out = []
    nodes = [d.nodes for d in dimensions]
    for index, dimension in enumerate(dimensions):
        kids_of: dict[str, list[str]] = {}
        for node, parent in dimension.parents.items():
            if parent is not None:
                kids_of.setdefault(parent, []).append(node)
        for parent, kids in kids_of.items():
            for rest in product(*(n for i, n in enumerate(nodes) if i != index)):

                def cell(node, rest=rest, index=index):
                    return (*rest[:index], node, *rest[index:])

                out.append((cell(parent), [cell(kid) for kid in kids]))
    return out


def _generated(seed: int, dimensions=DIMENSIONS) -> dict:
    rng = random.Random(seed)
    leaves = product(*(sorted(d.leaves) for d in dimensions))
    counts = {}
    for cell in leaves:
        draw = rng.random()
        counts[cell] = 0 if draw < 0.3 else rng.randint(1, 4) if draw < 0.65 else rng.randint(5, 40)
    return rollup(dimensions, counts)


def _reduced(rows: list[list[Fraction]], columns: int) -> list[list[Fraction]]:
    """Dense reduced row echelon form over the rationals."""
    rows = [list(row) for row in rows]
    rank = 0
    for column in range(columns):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        lead = rows[rank][column]
        rows[rank] = [value / lead for value in rows[rank]]
        for r in range(len(rows)):
            if r != rank and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[rank], strict=True)]
        rank += 1
    return rows[:rank]


def _check(table, dimensions) -> list[str]:
    """Problems: a hidden cell that the published figures determine, or that a relation
    pins by the bounds "<5" states."""
    relations = _independent_relations(dimensions)
    hidden = sorted(table.hidden)
    column = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    problems = []
    for parent, kids in relations:
        row = [Fraction(0)] * len(hidden)
        for cell, sign in [(parent, 1), *((kid, -1) for kid in kids)]:
            if cell in column:
                row[column[cell]] += sign
        if any(row):
            rows.append(row)
        # What a reader computes from this relation alone: the sum of its hidden children.
        hidden_kids = [kid for kid in kids if kid in table.hidden]
        if parent not in table.hidden and len(hidden_kids) == 1:
            problems.append(f"{hidden_kids[0]} = {parent} minus its published siblings")
        if parent in table.hidden and not hidden_kids:
            problems.append(f"{parent} = the sum of its published children")
        all_small = all(table.hidden[kid] == SMALL for kid in hidden_kids)
        if parent not in table.hidden and hidden_kids and all_small:
            rest = table.values[parent] - sum(
                table.values[kid] for kid in kids if kid not in table.hidden
            )
            if rest in (len(hidden_kids), len(hidden_kids) * (THRESHOLD - 1)):
                problems.append(f"{hidden_kids} are pinned by their sum {rest}")
    # The unit vector of a cell is in the row space exactly when the reduced form has a
    # row holding that cell alone.
    for row in _reduced(rows, len(hidden)):
        support = [i for i, value in enumerate(row) if value != 0]
        if len(support) == 1:
            problems.append(f"{hidden[support[0]]} is determined by the published figures")
    return problems


@pytest.mark.parametrize("seed", range(12))
def test_no_hidden_count_can_be_recovered_from_the_published_figures(seed):
    values = _generated(seed)
    table = protect(DIMENSIONS, values, THRESHOLD)
    assert any(state == SMALL for state in table.hidden.values())
    for cell, value in values.items():
        # Every count from 1 to 4 is hidden and shown as "<5"; every other count shown or
        # suppressed, never "<5".
        assert (table.hidden.get(cell) == SMALL) == (0 < value < THRESHOLD)
    assert _check(table, DIMENSIONS) == []


def test_a_year_with_one_small_quarter_hides_a_second_quarter():
    geo = Hierarchy("geo", {"NL": None})
    time = Hierarchy("time", {"2025": None, "Q1": "2025", "Q2": "2025", "Q3": "2025"})
    values = rollup((geo, time), {("NL", "Q1"): 3, ("NL", "Q2"): 40, ("NL", "Q3"): 12})
    table = protect((geo, time), values, THRESHOLD)
    assert table.state(("NL", "Q1")) == SMALL
    # The year stays published; the smallest other quarter goes with the small one.
    assert table.published(("NL", "2025")) == 55
    assert table.state(("NL", "Q3")) == SUPPRESSED
    assert table.published(("NL", "Q2")) == 40


def test_a_region_with_one_small_country_hides_another_country_not_the_region():
    geo = Hierarchy("geo", {"world": None, "r": "world", "NL": "r", "BE": "r", "DE": "r"})
    values = rollup((geo,), {("NL",): 2, ("BE",): 9, ("DE",): 30})
    table = protect((geo,), values, THRESHOLD)
    assert [table.published((c,)) for c in ("world", "r", "NL", "BE", "DE")] == [
        41,
        41,
        None,
        None,
        30,
    ]


def test_a_small_cell_alone_under_its_total_hides_the_total_chain():
    # One child of 3 and empty siblings: the region and world are 3 as well, all "<5";
    # they stay hidden, and the equations (all three equal) give none of them a value.
    geo = Hierarchy("geo", {"world": None, "r": "world", "NL": "r", "BE": "r"})
    values = rollup((geo,), {("NL",): 3})
    table = protect((geo,), values, THRESHOLD)
    assert table.published(("BE",)) == 0
    assert {cell for cell in table.hidden} == {("world",), ("r",), ("NL",)}
    assert _check(table, (geo,)) == []


def test_pairs_that_would_be_pinned_by_their_bounds_are_protected_further():
    # Two "<5" cells adding up to 2 would both be 1 (each is at least 1): a third is hidden.
    geo = Hierarchy("geo", {"world": None, "NL": "world", "BE": "world", "DE": "world"})
    values = rollup((geo,), {("NL",): 1, ("BE",): 1, ("DE",): 50})
    table = protect((geo,), values, THRESHOLD)
    assert table.published(("DE",)) is None or table.published(("world",)) is None
    assert _check(table, (geo,)) == []


def test_the_check_finds_a_leak_when_only_small_cells_are_hidden():
    # Without complements the check must catch recoverable cells: it is not vacuous.
    values = _generated(3)
    leaky = ProtectedTable(
        DIMENSIONS,
        values,
        {cell: SMALL for cell, value in values.items() if 0 < value < THRESHOLD},
        THRESHOLD,
    )
    assert any("minus its published siblings" in p for p in _check(leaky, DIMENSIONS))
