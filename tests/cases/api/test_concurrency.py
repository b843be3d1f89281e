"""Two investigators save the same version at the same moment: exactly one gets 409."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from cases.choices import Distribution
from cases.models import Clue, Series
from tests.conftest import api_client_for
from tests.factories import ClueFactory, SeriesFactory

# Real commits, two database connections (one per thread).
pytestmark = pytest.mark.django_db(transaction=True)


def _race(requests: list) -> list[int]:
    """Run the requests in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []
    lock = threading.Lock()

    def run(send):
        try:
            barrier.wait(timeout=10)
            status = send().status_code
            with lock:
                statuses.append(status)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(send,)) for send in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(statuses)


def test_two_updates_of_one_clue_with_the_same_version_one_conflicts(actors):
    series = SeriesFactory(actor=actors.owner, title="Race", distribution=Distribution.NETWORK)
    clue = ClueFactory(
        series=series,
        title="Socket",
        description="Cream socket.",
        distribution=Distribution.AGENCY,
    )
    url = f"/api/v1/clues/{clue.pk}"
    alice, bob = api_client_for(actors.owner), api_client_for(actors.colleague)

    statuses = _race(
        [
            lambda: alice.patch(url, {"version": 1, "title": "Alice's title"}, format="json"),
            lambda: bob.patch(url, {"version": 1, "title": "Bob's title"}, format="json"),
        ]
    )

    assert statuses == [200, 409]
    stored = Clue.objects.get(pk=clue.pk)
    assert stored.version == 2
    assert stored.title in ("Alice's title", "Bob's title")


def test_two_updates_of_one_series_with_the_same_version_one_conflicts(actors):
    series = SeriesFactory(actor=actors.owner, title="Race", distribution=Distribution.AGENCY)
    url = f"/api/v1/series/{series.code}"
    alice, bob = api_client_for(actors.owner), api_client_for(actors.colleague)

    statuses = _race(
        [
            lambda: alice.patch(url, {"version": 1, "summary": "Alice"}, format="json"),
            lambda: bob.patch(url, {"version": 1, "summary": "Bob"}, format="json"),
        ]
    )

    assert statuses == [200, 409]
    assert Series.objects.get(pk=series.pk).version == 2
