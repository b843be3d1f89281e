"""E-mail digests: each user chooses per kind how often e-mails leave; a worker sends them."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from config.celery import app as celery_app
from tests.conftest import signed_in_client
from tests.victimid.test_worker_integration import _database_url, _worker_log, worker  # noqa: F401
from victimid.models import Notification, NotificationKind
from victimid.services.email import notification_digests_send
from victimid.services.notifications import (
    notification_email_frequencies_set,
    notifications_create,
)
from victimid.tasks import send_notification_digests, send_notification_email

ASSESSED = NotificationKind.CLUE_ASSESSED
IDENTIFIED = NotificationKind.CHILD_IDENTIFIED


def _notify(user, kind=ASSESSED, text="Clue 7 was assessed"):
    return notifications_create(
        recipients=[user], kind=kind, subject_type="clue", subject_ref="7", message=text
    )


@pytest.mark.django_db
def test_a_daily_kind_waits_for_the_digest_and_leaves_in_one_email(actors):
    notification_email_frequencies_set(actor=actors.owner, frequencies={ASSESSED: "daily"})
    first, second = _notify(actors.owner)[0], _notify(actors.owner, text="Clue 8 was assessed")[0]
    immediate = _notify(actors.owner, kind=IDENTIFIED, text="A child was identified")[0]
    for notification in (first, second, immediate):
        send_notification_email(notification.pk)
    assert len(mail.outbox) == 1  # only the immediate kind left at once
    assert "Clue 7" not in mail.outbox[0].body
    first.refresh_from_db()
    assert first.emailed_at is None and first.email_skipped_at is None
    assert notification_digests_send(frequency="weekly") == 0
    assert notification_digests_send(frequency="daily") == 1
    digest = mail.outbox[-1]
    assert "Clue 7 was assessed" in digest.body and "Clue 8 was assessed" in digest.body
    assert digest.to == [actors.owner.email]
    assert not Notification.objects.filter(kind=ASSESSED, emailed_at__isnull=True).exists()
    assert notification_digests_send(frequency="daily") == 0  # sent once


@pytest.mark.django_db
def test_a_kind_switched_off_is_in_no_digest(actors):
    from victimid.services.notifications import notification_email_choices_set

    notification_email_frequencies_set(actor=actors.owner, frequencies={ASSESSED: "weekly"})
    _notify(actors.owner)
    notification_email_choices_set(actor=actors.owner, emailed_kinds=[IDENTIFIED])
    assert notification_digests_send(frequency="weekly") == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_account_page_sets_the_frequency_and_the_header_counts_unread(actors):
    client = signed_in_client(actors.owner)
    body = {"emailed_kinds": [ASSESSED, IDENTIFIED], f"frequency_{ASSESSED}": "weekly"}
    assert client.post(reverse("notification-emails"), body).status_code == 302
    from victimid.selectors.notifications import notification_email_frequency

    assert notification_email_frequency(recipient=actors.owner, kind=ASSESSED) == "weekly"
    _notify(actors.owner)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Notifications (1 unread)" in page
    client.post(reverse("notifications-read"))
    assert "Notifications (1 unread)" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.django_db
def test_bad_frequencies_are_refused(actors):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        notification_email_frequencies_set(actor=actors.owner, frequencies={ASSESSED: "hourly"})
    with pytest.raises(ValidationError):
        notification_email_frequencies_set(actor=actors.owner, frequencies={"nope": "daily"})


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_digest(
    actors, transactional_db, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
):
    monkeypatch.setenv("DATABASE_URL", _database_url())
    started: dict[str, Any] = request.getfixturevalue("worker")
    task = celery_app.tasks[send_notification_digests.name]
    notification_email_frequencies_set(actor=actors.owner, frequencies={ASSESSED: "daily"})
    _notify(actors.owner)
    send_notification_digests.apply_async(("daily",), queue=started["queue"])
    deadline = time.monotonic() + 60
    while Notification.objects.filter(kind=ASSESSED, emailed_at__isnull=True).exists():
        log = _worker_log(started)
        assert time.monotonic() < deadline, f"no digest; the worker's log:\n{log}"
        assert started["process"].poll() is None, f"the worker died:\n{log}"
        time.sleep(0.3)
    assert task.name == "victimid.tasks.send_notification_digests"
