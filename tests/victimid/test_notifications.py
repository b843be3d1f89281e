import pytest
from django.core import mail

from tests.conftest import api_client_for, signed_in_client
from victimid.models import Notification, NotificationKind
from victimid.services.notifications import notifications_create
from victimid.tasks import send_notification_email


def _notify(users):
    return notifications_create(
        recipients=users,
        kind=NotificationKind.CHILD_IDENTIFIED,
        subject_type="series",
        subject_ref="SER-2026-000001",
        message="A child in SER-2026-000001 was identified",
    )


def test_it_emails_each_recipient_once_after_commit(actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([actors.owner, actors.colleague, actors.owner])
    assert len(created) == 2
    assert sorted(m.to[0] for m in mail.outbox) == [actors.colleague.email, actors.owner.email]
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_sending_twice_sends_nothing_more(actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([actors.owner])
    assert send_notification_email(created[0].pk) is False
    assert len(mail.outbox) == 1


def test_each_user_sees_only_their_own_notifications(actors):
    _notify([actors.owner])
    assert len(api_client_for(actors.owner).get("/api/v1/notifications").json()["results"]) == 1
    assert api_client_for(actors.abroad).get("/api/v1/notifications").json()["results"] == []
    assert api_client_for(None).get("/api/v1/notifications").status_code == 401
    page = signed_in_client(actors.abroad).get("/notifications/")
    assert b"SER-2026-000001" not in page.content
    page = signed_in_client(actors.owner).get("/notifications/")
    assert b"SER-2026-000001" in page.content


@pytest.fixture
def eager_retries(monkeypatch):
    """Eager tasks retry in place (as a worker would, later) instead of raising the retry."""
    from config.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def test_a_mail_server_failure_is_retried_and_loses_no_email(
    actors, django_capture_on_commit_callbacks, monkeypatch, eager_retries
):
    from victimid.services import email

    calls = []
    original = email.send_mail

    def flaky(**kwargs):
        calls.append(kwargs["recipient_list"])
        if len(calls) == 1:
            raise ConnectionRefusedError("mail server down")
        return original(**kwargs)

    monkeypatch.setattr(email, "send_mail", flaky)
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([actors.owner])
    # The eager task retried after the refused connection; the second attempt sent it.
    assert len(calls) == 2
    assert [m.to for m in mail.outbox] == [[actors.owner.email]]
    created[0].refresh_from_db()
    assert created[0].emailed_at is not None and created[0].email_failed_at is None


def test_an_email_that_never_leaves_is_marked_not_dropped(
    actors, django_capture_on_commit_callbacks, monkeypatch, eager_retries
):
    from victimid.services import email

    def down(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(email, "send_mail", down)
    monkeypatch.setattr(send_notification_email, "max_retries", 2)
    with django_capture_on_commit_callbacks(execute=True):
        created = _notify([actors.owner])
    notification = Notification.objects.get(pk=created[0].pk)
    assert notification.emailed_at is None
    assert notification.email_failed_at is not None
    assert mail.outbox == []


def test_a_notification_links_to_its_subject_while_the_reader_may_see_it(actors):
    from cases.services import series_update
    from tests.factories import SeriesFactory

    series = SeriesFactory(actor=actors.owner, distribution="country")
    notifications_create(
        recipients=[actors.same_country],
        kind=NotificationKind.CHILD_IDENTIFIED,
        subject_type="series",
        subject_ref=series.code,
        message=f"A child seen in series {series.code} was identified.",
    )
    page = signed_in_client(actors.same_country).get("/notifications/").content.decode()
    assert f'href="/series/{series.code}/"' in page
    api = api_client_for(actors.same_country).get("/api/v1/notifications").json()["results"]
    assert api[0]["url"] == f"/api/v1/series/{series.code}"

    # Once the series is no longer shared with their country, the code stays, the link goes.
    series_update(actor=actors.owner, series=series, version=series.version, distribution="agency")
    page = signed_in_client(actors.same_country).get("/notifications/").content.decode()
    assert series.code in page and f'href="/series/{series.code}/"' not in page
    api = api_client_for(actors.same_country).get("/api/v1/notifications").json()["results"]
    assert api[0]["url"] is None
