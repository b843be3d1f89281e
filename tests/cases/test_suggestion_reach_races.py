"""Two transactions changing what one entry's reach is made of, at once: it is not left stale.

Each side derives the reach from the rows it can read; without locks, the one that
commits last would leave the reach derived from the other's rows as they were before.
Two real connections: one holds its change uncommitted while the other writes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from django.db import connection

from cases.access.keys import stale_reach
from cases.models import Clue, CorrelationSuggestion, SuggestionInbox
from tests.casework_fixtures import clues_across_borders

# Real commits, and connections of our own beside Django's.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connect() -> Iterator:
    opened: list[psycopg.Connection] = []
    settings = connection.settings_dict

    def open_one() -> psycopg.Connection:
        one = psycopg.connect(
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"] or None,
            port=settings["PORT"] or None,
        )
        opened.append(one)
        return one

    yield open_one
    for one in opened:
        one.close()


def _clues(actors) -> tuple[Clue, Clue]:
    mine, theirs = clues_across_borders(actors)
    # The correlation task ran after each commit; the tests make their own suggestion.
    CorrelationSuggestion.objects.all().delete()
    return mine, theirs


def _in_thread(work) -> tuple[threading.Thread, list[BaseException]]:
    failed: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - reported by the test
            failed.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failed


def _reach(suggestion_id: int, agency_id: int) -> int:
    return SuggestionInbox.objects.get(suggestion_id=suggestion_id, agency_id=agency_id).reach


def test_a_suggestion_made_while_its_clue_s_level_changes_gets_the_new_reach(actors, connect):
    mine, theirs = _clues(actors)
    widening, suggesting = connect(), connect()
    widening.execute(
        "UPDATE cases_clue SET distribution = 'network' WHERE id = %s", [mine.pk]
    )  # uncommitted: Spain may see it once this commits

    def suggest() -> None:
        suggesting.execute(
            "INSERT INTO cases_correlationsuggestion"
            " (clue_a_id, clue_b_id, score, reasons, status, created_at, updated_at)"
            " VALUES (%s, %s, 5, '[]', 'open', now(), now())",
            sorted([mine.pk, theirs.pk]),
        )
        suggesting.commit()

    thread, failed = _in_thread(suggest)
    time.sleep(0.5)
    waited = thread.is_alive()
    widening.commit()
    thread.join(timeout=10)
    assert not failed and not thread.is_alive()
    suggestion = CorrelationSuggestion.objects.get()
    assert _reach(suggestion.pk, actors.agency_abroad.pk) == 2
    assert stale_reach() == {"cases.SuggestionInbox": 0}
    assert waited  # for the level change, before it read the clue


def test_both_clues_of_a_suggestion_changed_at_once_leave_the_reach_of_both(actors, connect):
    mine, theirs = _clues(actors)
    suggestion = CorrelationSuggestion.objects.create(
        clue_a=min(mine, theirs, key=lambda clue: clue.pk),
        clue_b=max(mine, theirs, key=lambda clue: clue.pk),
        score=5.0,
    )
    assert _reach(suggestion.pk, actors.agency_abroad.pk) == 0
    assert _reach(suggestion.pk, actors.agency.pk) == 2
    widening, narrowing = connect(), connect()
    # Spain may see the owner's clue once this commits ...
    widening.execute("UPDATE cases_clue SET distribution = 'network' WHERE id = %s", [mine.pk])

    def narrow() -> None:
        # ... and the Netherlands no longer Spain's.
        narrowing.execute(
            "UPDATE cases_clue SET distribution = 'agency' WHERE id = %s", [theirs.pk]
        )
        narrowing.commit()

    thread, failed = _in_thread(narrow)
    time.sleep(0.5)
    waited = thread.is_alive()
    widening.commit()
    thread.join(timeout=10)
    assert not failed and not thread.is_alive()
    assert _reach(suggestion.pk, actors.agency_abroad.pk) == 2
    assert _reach(suggestion.pk, actors.agency.pk) == 0
    assert stale_reach() == {"cases.SuggestionInbox": 0}
    assert waited  # to derive the entry the first was deriving
