"""Tasks queued by name after a commit, from processes that never imported them."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from tests.victimid.test_worker_integration import _database_url
from victimid.jobs import enqueue_after_commit, outbox_backlog, outbox_relay
from victimid.models import OutboxMessage

REPO_ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter, as in a web process or a management command such as seed_demo:
# nothing has imported victimid.tasks, which only a worker's start-up does for it.
_QUEUE_BY_NAME = """
import django
django.setup()
import sys
from celery import current_app
from victimid.jobs import enqueue_after_commit
assert "victimid.tasks.ping" not in current_app.tasks, "the check needs a fresh process"
enqueue_after_commit("victimid.tasks.ping", "hello")  # eager: runs at once, outside a transaction
print("queued")
"""


def test_a_process_that_never_imported_the_task_queues_it_by_name(transactional_db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        # on_commit asks the connection whether a transaction is open: the test database.
        "DATABASE_URL": _database_url(),
    }
    result = subprocess.run(
        [sys.executable, "-c", _QUEUE_BY_NAME],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "queued"


# --- The transactional outbox ---------------------------------------------------------------


@pytest.fixture
def broker(monkeypatch):
    """A real (not eager) hand-over to a broker that the test switches off and on."""
    from config.celery import app
    from victimid import jobs, tasks

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setattr(jobs, "_broker_refused_at", [])  # no refusal left by another test
    state = {"up": True, "sent": []}

    def apply_async(args=None, **options):
        if not state["up"]:
            raise OperationalError("Error 111 connecting to the broker. Connection refused.")
        state["sent"].append(tuple(args or ()))

    monkeypatch.setattr(tasks.ping, "apply_async", apply_async)
    return state


def _ping_messages():
    return OutboxMessage.objects.filter(task_name="victimid.tasks.ping")


def test_work_is_written_with_its_transaction_and_leaves_after_the_commit(
    db, broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_after_commit("victimid.tasks.ping", "one")
        assert _ping_messages().get().sent_at is None
        assert broker["sent"] == []  # nothing leaves before the commit
    assert broker["sent"] == [("one",)]
    assert _ping_messages().get().sent_at is not None


def test_work_of_a_rolled_back_transaction_never_leaves(db, broker):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_after_commit("victimid.tasks.ping", "never")
        raise RuntimeError("the record was refused")
    assert not _ping_messages().exists()
    assert broker["sent"] == []


def test_with_the_broker_down_the_work_waits_and_leaves_once_it_is_back(
    db, broker, django_capture_on_commit_callbacks
):
    broker["up"] = False
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit("victimid.tasks.ping", "later")  # the caller sees no error
    message = _ping_messages().get()
    assert message.sent_at is None and message.attempts == 1
    assert "Connection refused" in message.last_error
    assert outbox_backlog() >= 1

    assert outbox_relay(older_than=timedelta(0)) == 0  # still down: stays pending
    broker["up"] = True
    assert outbox_relay(older_than=timedelta(0)) >= 1
    assert outbox_relay(older_than=timedelta(0)) == 0  # handed over exactly once
    assert broker["sent"] == [("later",)]
    assert _ping_messages().get().sent_at is not None


def test_the_relay_leaves_fresh_work_to_the_hand_over_after_its_commit(db, broker):
    broker["up"] = False
    enqueue_after_commit("victimid.tasks.ping", "fresh")  # autocommit: hand-over fails
    broker["up"] = True
    assert outbox_relay() == 0  # younger than the grace period
    assert outbox_relay(older_than=timedelta(0)) == 1


def test_after_a_refusal_commits_leave_their_work_to_the_relay_for_a_while(
    db, broker, django_capture_on_commit_callbacks
):
    """A broker that is down costs one request one slow attempt, not every request each."""
    broker["up"] = False
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit("victimid.tasks.ping", "first")
    broker["up"] = True  # back, but this process does not ask again for a while
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit("victimid.tasks.ping", "second")
    assert broker["sent"] == []
    assert _ping_messages().filter(sent_at__isnull=True).count() == 2
    assert _ping_messages().get(args=["second"]).attempts == 0  # not even tried
    assert outbox_relay(older_than=timedelta(0)) == 2  # the relay always asks
    assert broker["sent"] == [("first",), ("second",)]
    with django_capture_on_commit_callbacks(execute=True):
        enqueue_after_commit("victimid.tasks.ping", "third")  # the relay got through
    assert broker["sent"][-1] == ("third",)
