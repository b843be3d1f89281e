"""Two investigators writing the same child at the same moment: exactly one wins."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.choices import IdentificationEventKind
from cases.exceptions import VersionConflict
from cases.models import IdentificationEvent, Victim
from cases.services.victims import identification_event_record, victim_update
from tests.factories import VictimFactory

# Real commits on two connections.
pytestmark = pytest.mark.django_db(transaction=True)


def _race(first: Callable[[], object], second: Callable[[], object]) -> list[str]:
    """Run both at once, each on its own database connection; return their outcomes."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(action: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=60)
            action()
            outcomes.append("ok")
        except (ValidationError, VersionConflict) as refused:
            outcomes.append(type(refused).__name__)
        except Exception as unexpected:  # reported in the assertion, not lost in a thread
            outcomes.append(f"unexpected {unexpected!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(outcomes)


def test_two_identifications_at_once_leave_one(actors):
    victim = VictimFactory(actor=actors.owner)
    identified = {
        "victim": victim,
        "kind": IdentificationEventKind.IDENTIFIED,
        "occurred_on": datetime.date(2026, 11, 1),
    }
    outcomes = _race(
        lambda: identification_event_record(actor=actors.owner, **identified),
        lambda: identification_event_record(actor=actors.colleague, **identified),
    )
    assert outcomes == ["ValidationError", "ok"]
    assert IdentificationEvent.objects.filter(kind=identified["kind"]).count() == 1


def test_two_updates_with_the_same_version_give_one_conflict(actors):
    victim = VictimFactory(actor=actors.owner)
    outcomes = _race(
        lambda: victim_update(actor=actors.owner, victim=victim, version=1, age_band="3-6"),
        lambda: victim_update(actor=actors.colleague, victim=victim, version=1, age_band="7-10"),
    )
    assert outcomes == ["VersionConflict", "ok"]
    assert Victim.objects.get(pk=victim.pk).version == 2
