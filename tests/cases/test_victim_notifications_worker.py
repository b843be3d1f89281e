"""A real Celery worker sends the e-mails of an identification, after the commit."""

from __future__ import annotations

import datetime
import re
import time
from typing import Any

import pytest

from cases.services import identification_event_record
from config.celery import app as celery_app
from tests.factories import SeriesFactory, SeriesFollowerFactory, VictimFactory
from tests.victimid.test_worker_integration import _database_url, _worker_log, worker  # noqa: F401
from victimid.models import Notification, NotificationKind
from victimid.tasks import send_notification_email

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def victims_worker(
    transactional_db: None, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> dict[str, Any]:
    """The shared worker fixture, joined to this test's database and consuming the e-mails."""
    # The worker must read the test database this process writes, not the configured one.
    monkeypatch.setenv("DATABASE_URL", _database_url())
    started: dict[str, Any] = request.getfixturevalue("worker")
    task = celery_app.tasks[send_notification_email.name]
    monkeypatch.setattr(task, "queue", started["queue"], raising=False)
    monkeypatch.setattr(task, "_exec_options", None)  # drop the cached routing options
    return started


def test_a_real_worker_emails_the_owners_and_followers(actors, victims_worker):
    series = SeriesFactory(actor=actors.owner, distribution="network")
    victim = VictimFactory(actor=actors.owner, series=[series], distribution="network")
    VictimFactory(actor=actors.owner, series=[series])
    SeriesFollowerFactory(actor=actors.abroad, series=series)

    identification_event_record(  # commits: the test is transactional
        actor=actors.same_country,
        victim=victim,
        kind="identified",
        occurred_on=datetime.date(2026, 11, 1),
    )

    notices = Notification.objects.filter(kind=NotificationKind.CHILD_IDENTIFIED)
    expected = {actors.owner.email, actors.colleague.email, actors.abroad.email}
    assert set(notices.values_list("recipient__email", flat=True)) == expected
    deadline = time.monotonic() + 60
    while notices.filter(emailed_at__isnull=True).exists():
        log = _worker_log(victims_worker)
        assert time.monotonic() < deadline, f"the worker sent nothing; its log:\n{log}"
        assert victims_worker["process"].poll() is None, f"the worker died; its log:\n{log}"
        time.sleep(0.3)
    # The row is marked as the e-mail leaves; the worker logs success a moment later.
    succeeded = re.compile(r"Task victimid\.tasks\.send_notification_email\[[^\]]+\] succeeded")
    while not succeeded.search(_worker_log(victims_worker)):
        assert time.monotonic() < deadline + 15, _worker_log(victims_worker)
        time.sleep(0.2)
