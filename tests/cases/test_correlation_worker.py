"""A real Celery worker correlates a clue after its transaction commits, with the cap."""

from __future__ import annotations

import time
from typing import Any

import pytest

from cases.models import CorrelationSuggestion
from cases.tasks import correlate_clue
from config.celery import app as celery_app
from tests.factories import ClueFactory, SeriesFactory
from tests.victimid.test_worker_integration import _database_url, _worker_log, worker  # noqa: F401

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def correlation_worker(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> dict[str, Any]:
    monkeypatch.setenv("DATABASE_URL", _database_url())
    started: dict[str, Any] = request.getfixturevalue("worker")
    task = celery_app.tasks[correlate_clue.name]
    monkeypatch.setattr(task, "queue", started["queue"], raising=False)
    monkeypatch.setattr(task, "_exec_options", None)
    return started


def test_a_real_worker_correlates_a_new_clue(actors, correlation_worker):
    words = {
        "title": "Recessed wall socket with earthing clips",
        "languages": ["nld"],
        "description": "Cream recessed socket, two earthing clips.",
        "distribution": "network",
    }
    first = ClueFactory(
        actor=actors.owner,
        series=SeriesFactory(actor=actors.owner, distribution="network"),
        **words,
    )
    second = ClueFactory(  # commits: the test is transactional; the outbox hands it over
        actor=actors.abroad,
        series=SeriesFactory(actor=actors.abroad, distribution="network"),
        **words,
    )
    pair = sorted((first.pk, second.pk))
    deadline = time.monotonic() + 60
    while not CorrelationSuggestion.objects.filter(clue_a_id=pair[0], clue_b_id=pair[1]).exists():
        log = _worker_log(correlation_worker)
        assert time.monotonic() < deadline, f"no suggestion; the worker's log:\n{log}"
        assert correlation_worker["process"].poll() is None, f"the worker died:\n{log}"
        time.sleep(0.3)
    suggestion = CorrelationSuggestion.objects.get(clue_a_id=pair[0], clue_b_id=pair[1])
    assert "similar wording" in suggestion.reasons
