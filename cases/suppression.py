"""Small-cell protection: no published figure lets a reader work out a count under the threshold.

The oversight figures form one table in several dimensions, each a hierarchy (a country in
its region in the world; a month in its quarter in its year; an agency kind among all
kinds). Every cell of every level is a count and every parent is the sum of its children,
so a reader who sees some cells may add and subtract them. ``protect`` decides, for the
whole table at once, which cells are published:

1. **Primary suppression**: a count from 1 to ``threshold - 1`` is shown as "<5" (zero is
   shown: an absence discloses no child).
2. **Complementary suppression**: wherever a sum relation (a parent and its children)
   would have a single hidden cell, a second cell of it is hidden too — the smallest
   child above zero, the parent only when no child can be — until no relation has
   exactly one hidden cell. A zero is never hidden: a reader may know it is zero
   without seeing it (a kind of agency a country has none of, or a published zero above
   it, since no count is negative), so hiding it would protect nothing.
3. **Exact check**: the published cells and every sum relation are a linear system in the
   hidden cells. A hidden cell is safe only if that system does not determine it
   (reduced row echelon form: no row of the reduced system holds the cell alone), and
   no relation whose hidden cells are all "<5" pins them by their bounds (two "<5" cells
   that must add up to 2 are both 1). Any cell that fails gets a further
   complement in one of its relations, and the steps repeat until every hidden cell
   passes.

   Not covered: bounds combined across several relations (a reader who runs a linear
   program over every relation with each "<5" cell between 1 and 4 may narrow a hidden
   cell to a shorter range than "<5" says, though never to one value by the equations
   alone). docs/oversight.md says so.

``protect_cells`` protects any cells with any sum relations between them: the measures
of a family (``cases.measures.FAMILIES``: new series = active + identified + closed, ...)
are one table, so that one measure's figures never give away what another's hide.

Because the protection is computed over every level of every dimension together, any
selection of cells a reader can request — a year and its quarters, a region and its
countries, one agency kind and all kinds, in one view or across many — is a subset of
one protected table: fewer published equations can only leave the hidden cells less
determined, never more.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import product

__all__ = [
    "SHOWN",
    "SMALL",
    "SUPPRESSED",
    "Cell",
    "Hierarchy",
    "ProtectedTable",
    "protect",
    "protect_cells",
    "relations",
    "rollup",
]

SHOWN = "shown"
SMALL = "small"  # under the threshold: shown as "<5"
SUPPRESSED = "suppressed"  # hidden so that a small cell cannot be worked out

Cell = tuple[str, ...]


@dataclass(frozen=True)
class Hierarchy:
    """One dimension of a table: every node and its parent (``None`` for the top)."""

    name: str
    parents: Mapping[str, str | None]

    @cached_property
    def nodes(self) -> tuple[str, ...]:
        return tuple(self.parents)

    @cached_property
    def children(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, list[str]] = {}
        for node, parent in self.parents.items():
            if parent is not None:
                found.setdefault(parent, []).append(node)
        return {parent: tuple(kids) for parent, kids in found.items()}

    @cached_property
    def leaves(self) -> frozenset[str]:
        return frozenset(node for node in self.parents if node not in self.children)

    def lineage(self, node: str) -> list[str]:
        """The node and every node above it."""
        chain = [node]
        while (parent := self.parents[chain[-1]]) is not None:
            chain.append(parent)
        return chain


@dataclass(frozen=True)
class ProtectedTable:
    """A table with the state of each cell: shown, small ("<5") or suppressed."""

    dimensions: tuple[Hierarchy, ...]
    values: dict[Cell, int]
    hidden: dict[Cell, str]
    threshold: int
    rounds: int = 0
    checked_cells: int = field(default=0)

    def state(self, cell: Cell) -> str:
        return self.hidden.get(cell, SHOWN)

    def published(self, cell: Cell) -> int | None:
        """The count a reader may see, or None when it is hidden."""
        return None if cell in self.hidden else self.values.get(cell, 0)


def rollup(dimensions: tuple[Hierarchy, ...], leaf_counts: Mapping[Cell, int]) -> dict[Cell, int]:
    """Every cell of every level, each parent the sum of its children (zeros included)."""
    values: dict[Cell, int] = dict.fromkeys(product(*(d.nodes for d in dimensions)), 0)
    for cell, count in leaf_counts.items():
        if not count:
            continue
        for target in product(*(d.lineage(node) for d, node in zip(dimensions, cell, strict=True))):
            values[target] += count
    return values


def relations(dimensions: tuple[Hierarchy, ...]) -> Iterator[tuple[Cell, ...]]:
    """Every sum relation of the table: (parent cell, child cells...)."""
    for index, dimension in enumerate(dimensions):
        others = [d.nodes for i, d in enumerate(dimensions) if i != index]
        for parent, kids in dimension.children.items():
            for rest in product(*others):
                yield tuple((*rest[:index], node, *rest[index:]) for node in (parent, *kids))


def protect(
    dimensions: tuple[Hierarchy, ...], values: Mapping[Cell, int], threshold: int
) -> ProtectedTable:
    """Decide which cells of the table are published (see the module's docstring).

    ``values`` must hold every cell of every level (``rollup`` makes them from the leaves).
    """
    return protect_cells(values, list(relations(dimensions)), threshold, dimensions)


def protect_cells(
    values: Mapping[Cell, int],
    rels: list[tuple[Cell, ...]],
    threshold: int,
    dimensions: tuple[Hierarchy, ...] = (),
) -> ProtectedTable:
    """``protect`` for any cells and sum relations (parent, children...) between them.

    Several measures counted from the same records are protected together this way: their
    own tables' relations and the ones between the measures (new series = active +
    identified + closed; requests made in the world = requests received in the world), so
    that no measure's published figures give away what another's hide.
    """
    of_cell: dict[Cell, list[int]] = {}
    for number, rel in enumerate(rels):
        for cell in rel:
            of_cell.setdefault(cell, []).append(number)
    hidden: dict[Cell, str] = {
        cell: SMALL for cell, value in values.items() if 0 < value < threshold
    }
    rounds = 0
    while True:
        rounds += 1
        _close(rels, of_cell, values, hidden, range(len(rels)))
        unsafe, pinned = _unsafe_cells(rels, values, hidden, threshold)
        if not unsafe:
            return ProtectedTable(
                dimensions, dict(values), hidden, threshold, rounds, checked_cells=len(hidden)
            )
        added = []
        for number in pinned:
            # A cell above the threshold of the pinning relation itself goes: the sum a
            # reader computes then holds an unknown besides the "<5" cells.
            choice = _complement(rels[number], values, hidden)
            if choice is not None:
                hidden[choice] = SUPPRESSED
                added.append(choice)
        for cell in unsafe:
            # In a relation of the cell; when every cell above zero of those is hidden
            # already, in a relation of the hidden cells next to it, and so on outwards:
            # an equation of the chain that determines it goes.
            choice = _complement_for(cell, rels, of_cell, values, hidden)
            if choice is None:
                choice = _complement_near(cell, rels, of_cell, values, hidden)
            if choice is not None and choice not in hidden:
                hidden[choice] = SUPPRESSED
                added.append(choice)
        if not added:
            # Every cell above zero near the unsafe cells is hidden: nothing is determined
            # (a value worked out from published zeros alone would be zero).
            return ProtectedTable(
                dimensions, dict(values), hidden, threshold, rounds, checked_cells=len(hidden)
            )
        _close(rels, of_cell, values, hidden, {n for cell in added for n in of_cell[cell]})


def _close(
    rels: list[tuple[Cell, ...]],
    of_cell: dict[Cell, list[int]],
    values: Mapping[Cell, int],
    hidden: dict[Cell, str],
    start: Iterable[int],
) -> None:
    """Hide complements until no relation has exactly one hidden cell."""
    queue = deque(start)
    while queue:
        rel = rels[queue.popleft()]
        hidden_here = [cell for cell in rel if cell in hidden]
        if len(hidden_here) != 1:
            continue
        choice = _complement(rel, values, hidden)
        if choice is not None:
            hidden[choice] = SUPPRESSED
            queue.extend(of_cell[choice])


def _complement(
    rel: tuple[Cell, ...], values: Mapping[Cell, int], hidden: Mapping[Cell, str]
) -> Cell | None:
    """The cell of a relation to hide next: the smallest child above zero, else the parent.

    A zero is never hidden: the reader may know it is zero without seeing it (an agency
    kind a country has no agency of; a published zero above it, since no count is
    negative), so hiding it protects nothing. With consistent counts a relation with a
    hidden cell above zero always has another cell above zero."""
    parent = rel[0]
    candidates = [cell for cell in rel if cell not in hidden and values[cell] != 0]
    if not candidates:
        return None
    return min(candidates, key=lambda cell: (cell == parent, values[cell], cell))


def _complement_for(
    cell: Cell,
    rels: list[tuple[Cell, ...]],
    of_cell: dict[Cell, list[int]],
    values: Mapping[Cell, int],
    hidden: Mapping[Cell, str],
) -> Cell | None:
    """A further cell to hide in the relation of ``cell`` with the fewest hidden cells."""
    options = []
    for number in of_cell.get(cell, []):
        rel = rels[number]
        choice = _complement(rel, values, hidden)
        if choice is not None:
            options.append((sum(1 for c in rel if c in hidden), values[choice], choice))
    return min(options)[2] if options else None


def _complement_near(
    cell: Cell,
    rels: list[tuple[Cell, ...]],
    of_cell: dict[Cell, list[int]],
    values: Mapping[Cell, int],
    hidden: Mapping[Cell, str],
) -> Cell | None:
    """A further cell to hide in a relation of the hidden cells nearest ``cell`` (those
    sharing a relation with it, then theirs, and so on)."""
    seen = {cell}
    frontier = [cell]
    while frontier:
        nearer = []
        for near in frontier:
            for number in of_cell.get(near, []):
                for other in rels[number]:
                    if other in hidden and other not in seen:
                        seen.add(other)
                        nearer.append(other)
        for near in nearer:
            choice = _complement_for(near, rels, of_cell, values, hidden)
            if choice is not None:
                return choice
        frontier = nearer
    return None


# --- The exact check ---------------------------------------------------------------------


def _unsafe_cells(
    rels: list[tuple[Cell, ...]],
    values: Mapping[Cell, int],
    hidden: Mapping[Cell, str],
    threshold: int,
) -> tuple[list[Cell], list[int]]:
    """Hidden cells that the published figures give away: determined by the linear system
    of every relation, or pinned by the sum of a relation whose hidden cells are all "<5"
    (two of them adding up to 2 are both 1; to 8, both 4); and the pinning relations."""
    index = {cell: number for number, cell in enumerate(hidden)}
    cells = list(hidden)
    equations: list[dict[int, int]] = []
    unsafe: set[Cell] = set()
    pinned: list[int] = []
    for number, rel in enumerate(rels):
        row: dict[int, int] = {}
        for position, cell in enumerate(rel):
            if cell in index:
                row[index[cell]] = 1 if position == 0 else -1
        if not row:
            continue
        equations.append(row)
        hidden_here = [cell for cell in rel if cell in hidden]
        if len(hidden_here) > 1 and all(hidden[cell] == SMALL for cell in hidden_here):
            # What a reader can compute: the hidden cells' signed sum.
            known = sum(int(sign) * values[cells[column]] for column, sign in row.items())
            parent_hidden = rel[0] in hidden
            if not parent_hidden and known in (
                -len(hidden_here),
                -len(hidden_here) * (threshold - 1),
            ):
                unsafe.update(hidden_here)
                pinned.append(number)
    pivots, _occurs = _reduce(equations)
    unsafe.update(cells[pivot] for pivot, row in pivots.items() if len(row) == 1)
    return sorted(unsafe), pinned


# The elimination runs modulo a large prime: whole numbers instead of fractions, many
# times faster. A cell that the equations determine over the rationals is determined
# modulo the prime as well (the combination that isolates it has a denominator, a
# determinant of a 0/±1 matrix, that the prime would have to divide); a cell that looks
# determined only modulo the prime is hidden further, which is safe. The test suite checks
# the published tables over the rationals, independently (tests/cases/test_suppression.py).
PRIME = (1 << 61) - 1


def _reduce(
    equations: Iterable[dict[int, int]],
) -> tuple[dict[int, dict[int, int]], dict[int, set[int]]]:
    """Reduced row echelon form of sparse rows modulo ``PRIME``: pivot column -> its row
    (pivot 1, no other pivot column in it), and for each column the pivots whose rows
    hold it."""
    pivots: dict[int, dict[int, int]] = {}
    occurs: dict[int, set[int]] = {}
    for equation in equations:
        row = {column: value % PRIME for column, value in equation.items()}
        for pivot in [column for column in row if column in pivots]:
            factor = row.pop(pivot)
            for column, value in pivots[pivot].items():
                if column == pivot:
                    continue
                updated = (row.get(column, 0) - factor * value) % PRIME
                if updated:
                    row[column] = updated
                else:
                    row.pop(column, None)
        row = {column: value for column, value in row.items() if value}
        if not row:
            continue
        lead = min(row)
        inverse = pow(row[lead], PRIME - 2, PRIME)
        row = {column: value * inverse % PRIME for column, value in row.items()}
        # Take the new pivot out of every earlier row, so each row stays fully reduced.
        for other in list(occurs.get(lead, ())):
            other_row = pivots[other]
            factor = other_row.pop(lead)
            for column, value in row.items():
                if column == lead:
                    continue
                updated = (other_row.get(column, 0) - factor * value) % PRIME
                if updated:
                    other_row[column] = updated
                    occurs.setdefault(column, set()).add(other)
                else:
                    other_row.pop(column, None)
                    occurs.get(column, set()).discard(other)
        occurs.pop(lead, None)
        pivots[lead] = row
        for column in row:
            if column != lead:
                occurs.setdefault(column, set()).add(lead)
    return pivots, occurs
