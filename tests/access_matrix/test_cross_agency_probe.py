"""The cross-agency probe: an investigator of another agency, another country and outside
the sharing group calls every reading route of the URL configuration — lists, details,
searches, lookups, exports, suggestions, notifications, the dashboard, the audit trail,
pages and API — and no answer carries anything of an agency's restricted records.

The matrix checks statuses and listings route by route; this reads every answer's body
for the records' text and codes, so a route that leaks through a side panel, a count
label, a suggestion or a notification is caught even where the matrix has no `listed`.
"""

from __future__ import annotations

import pytest

from tests.access_matrix.rows import ROWS, Case
from tests.access_matrix.world import HASH_VALUE, build_world
from tests.factories import SeriesFactory

pytestmark = pytest.mark.django_db

RESTRICTED = ("agency", "country", "group")
PROBE = "abroad"  # another agency, another country, not in the sharing group
# The API's schema is generated from the code, never from records, and its examples carry
# fixed codes (SER-2026-000140): a world whose sequence reached that number "leaked" it.
DOCUMENTATION = {"api-schema"}


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def _traces(case: Case) -> list[str]:
    records = case.records
    return [
        records.series.title,
        records.series.code,
        records.clue.title,
        records.victim.code,
        HASH_VALUE,
    ]


def _probe_queries(case: Case) -> list[dict[str, str] | None]:
    """No filter, then a search for the record's own words and code (a lookup by value)."""
    return [None, {"q": case.records.clue.title}, {"series": case.records.series.code}]


@pytest.mark.parametrize("level", RESTRICTED)
def test_an_outsider_reads_nothing_of_restricted_records_on_any_route(level):
    world = build_world()
    # The forms' placeholder reads SER-2026-000001; the record probed for must not be that.
    SeriesFactory(actor=world.users["abroad"], title="Abroad's own", distribution="agency")
    case = Case(world=world, records=world.records_at(level), actor=PROBE, level=level, scratch={})
    traces = _traces(case)
    leaks: list[str] = []
    reading = [
        row
        for row in ROWS
        if row.method == "get" and not row.last and row.route not in DOCUMENTATION
    ]
    assert len(reading) >= 40  # every GET route of pages and API has a row
    for row in reading:
        client = world.page_client(PROBE) if row.surface == "page" else world.api_client(PROBE)
        path = row.path(case)
        for query in _probe_queries(case):
            body = _body(client.get(path, query))
            # What the probe typed itself (in the address or a search box) may be shown
            # back to it; anything else of the records never may.
            typed = path + " " + " ".join((query or {}).values())
            for trace in traces:
                if trace in body and trace not in typed:
                    leaks.append(f"{row.name} {query or ''} shows {trace!r}")
    assert not leaks, "\n".join(sorted(set(leaks)))
