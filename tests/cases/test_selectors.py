"""Reading casework: filters, search, counts and read auditing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from cases.models import ClueTaxonomyNode
from cases.selectors import (
    clue_get,
    clue_list,
    clue_queryset,
    known_hash_list,
    series_get,
    series_list,
    taxonomy_tree,
)
from cases.selectors.clues import clue_status_counts
from cases.selectors.series import series_status_counts
from tests.factories import ClueFactory, KnownHashFactory, SeriesFactory
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_series_list_counts_hashes_and_only_visible_clues(actors, series, clue):
    KnownHashFactory(series=series, algorithm="sha1", value="a" * 40)
    ClueFactory(series=series, title="Private detail", description="Only for us.")
    mine = series_list(actor=actors.owner).get()
    assert (mine.hash_count, mine.clue_count) == (1, 2)
    theirs = series_list(actor=actors.abroad).get()
    assert (theirs.hash_count, theirs.clue_count) == (1, 1)


def test_series_filters(actors, series):
    other = SeriesFactory(actor=actors.owner, title="Green hall")
    assert list(series_list(actor=actors.owner, filters={"q": "green"})) == [other]
    assert list(series_list(actor=actors.owner, filters={"q": series.code})) == [series]
    assert list(series_list(actor=actors.owner, filters={"distribution": "network"})) == [series]
    assert list(series_list(actor=actors.owner, filters={"agency": actors.agency_abroad.pk})) == []
    with pytest.raises(ValidationError):
        series_list(actor=actors.owner, filters={"status": "bogus"})
    with pytest.raises(ValidationError):
        series_list(actor=actors.owner, filters={"colour": "blue"})


def test_reads_are_audited_and_the_queryset_helpers_are_not(actors, series, clue):
    AuditEvent.objects.all().count()
    before = len(_actions())
    series_get(actor=actors.abroad, code=series.code)
    series_list(actor=actors.abroad)
    clue_get(actor=actors.abroad, pk=clue.pk)
    clue_list(actor=actors.abroad, filters={"status": "open"})
    clue_list(actor=actors.abroad, filters={"q": "socket"})
    known_hash_list(actor=actors.abroad, series=series)
    clue_queryset(actor=actors.abroad, filters={"q": "socket"})
    series_list(actor=actors.abroad, audit=False)
    assert _actions()[before:] == [
        "series.viewed",
        "series.listed",
        "clue.viewed",
        "clue.listed",
        "clue.searched",
        "hashes.listed",
    ]
    searched = AuditEvent.objects.get(action="clue.searched")
    assert searched.details == {"filters": {"q": "socket"}}
    assert searched.actor == actors.abroad


def test_invisible_records_are_404(actors):
    hidden = SeriesFactory(actor=actors.owner, title="Hidden")
    with pytest.raises(Http404):
        series_get(actor=actors.abroad, code=hidden.code)
    with pytest.raises(Http404):
        known_hash_list(actor=actors.abroad, series=hidden)
    with pytest.raises(Http404):
        clue_get(actor=actors.abroad, pk="not-a-number")


def test_clue_filters_and_search(actors, series, clue):
    electrical = ClueTaxonomyNode.objects.get(slug="sockets").parent
    palm = ClueFactory(
        series=series,
        taxonomy="flora",
        title="Coconut palm",
        description="Palm trees seen through a window; humid light.",
        languages=["tgl"],
        country_hypotheses=[("PH", "medium")],
        distribution="network",
    )

    def found(**filters):
        return list(clue_list(actor=actors.abroad, filters=filters))

    assert found(taxonomy=electrical.slug) == [clue]
    assert found(taxonomy="flora") == [palm]
    assert found(country="ph") == [palm]
    assert found(language="nld") == [clue]
    assert found(series=series.code) == [palm, clue]
    assert found(q="palm -socket") == [palm]
    assert found(q='"earthing clips"') == [clue]
    assert found(q="socket OR palm") == [palm, clue]
    assert found(created_after="2000-01-01", created_before="2999-12-31") == [palm, clue]
    assert found(created_before="2000-01-01") == []
    for bad in ({"taxonomy": "nope"}, {"created_after": "yesterday"}, {"status": "x"}):
        with pytest.raises(ValidationError):
            found(**bad)


def test_taxonomy_tree_puts_parents_first(db):
    nodes = taxonomy_tree()
    seen: set[int] = set()
    for node in nodes:
        assert node.parent_id is None or node.parent_id in seen
        seen.add(node.pk)
    assert len(nodes) > 20


def _counted(counts):
    return [(entry.status, entry.count) for entry in counts]


def test_status_counts_list_every_status_and_count_only_what_the_reader_may_see(
    actors, series, clue, django_assert_num_queries
):
    SeriesFactory(actor=actors.owner, title="Closed room", distribution="network", status="closed")
    SeriesFactory(actor=actors.owner, title="Our own room")
    ClueFactory(series=series, distribution="agency", status="discarded")

    assert _counted(series_status_counts(actor=actors.owner)) == [
        ("active", 2),
        ("identified", 0),
        ("closed", 1),
        ("merged", 0),
    ]
    abroad = series_status_counts(actor=actors.abroad)
    assert _counted(abroad) == [("active", 1), ("identified", 0), ("closed", 1), ("merged", 0)]
    with django_assert_num_queries(1):  # one GROUP BY, whatever the number of series
        only_closed = series_status_counts(actor=actors.abroad, filters={"status": "closed"})
    assert _counted(only_closed)[:3] == [("active", 0), ("identified", 0), ("closed", 1)]

    filters = {"series": series.code}
    assert _counted(clue_status_counts(actor=actors.owner, filters=filters)) == [
        ("open", 1),
        ("in_progress", 0),
        ("resolved", 0),
        ("discarded", 1),
    ]
    with django_assert_num_queries(1):
        abroad = clue_status_counts(actor=actors.abroad, filters=filters)
    assert _counted(abroad) == [("open", 1), ("in_progress", 0), ("resolved", 0), ("discarded", 0)]
    assert [entry.label for entry in abroad] == ["Open", "In progress", "Resolved", "Discarded"]
