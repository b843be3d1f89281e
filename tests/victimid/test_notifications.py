from django.core import mail

from tests.conftest import api_client_for, signed_in_client
from victimid.models import Notification, NotificationKind
from victimid.services.notifications import notifications_create
from victimid.tasks import send_notification_emails


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
    assert send_notification_emails([n.pk for n in created]) == 0
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
