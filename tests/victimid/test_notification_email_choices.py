"""Each user chooses which kinds of notification are e-mailed; every one still shows in-app."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.conftest import api_client_for, signed_in_client
from tests.victimid.support import audit_events
from victimid import audit_actions
from victimid.models import Notification, NotificationKind, NotificationPreference
from victimid.selectors.notifications import notification_email_choices
from victimid.services.notifications import notification_email_choices_set, notifications_create
from victimid.tasks import send_notification_email

pytestmark = pytest.mark.django_db

EVERY_KIND = [kind.value for kind in NotificationKind]
IDENTIFIED = NotificationKind.CHILD_IDENTIFIED
DECONFLICTION = NotificationKind.DECONFLICTION


def _notify(users, kind=IDENTIFIED):
    return notifications_create(
        recipients=users,
        kind=kind,
        subject_type="series",
        subject_ref="SER-2026-000007",
        message="A child in SER-2026-000007 was identified",
    )


def _switch_off(user, *kinds):
    notification_email_choices_set(
        actor=user, emailed_kinds=[kind for kind in EVERY_KIND if kind not in kinds]
    )


# --- The e-mail path ---------------------------------------------------------------------


def test_every_kind_is_emailed_until_the_user_chooses_otherwise(actors):
    assert notification_email_choices(user=actors.owner) == dict.fromkeys(EVERY_KIND, True)
    assert not NotificationPreference.objects.exists()


def test_a_kind_switched_off_is_not_emailed_but_still_shows_in_the_app(
    actors, django_capture_on_commit_callbacks
):
    _switch_off(actors.owner, IDENTIFIED)

    with django_capture_on_commit_callbacks(execute=True):
        [notice, colleagues] = _notify([actors.owner, actors.colleague])

    assert [m.to for m in mail.outbox] == [[actors.colleague.email]]
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.email_skipped_at is not None
    assert notice.email_failed_at is None
    colleagues.refresh_from_db()
    assert colleagues.emailed_at is not None and colleagues.email_skipped_at is None
    listed = api_client_for(actors.owner).get("/api/v1/notifications").json()["results"]
    assert len(listed) == 1
    assert b"SER-2026-000007" in signed_in_client(actors.owner).get("/notifications/").content


def test_other_kinds_are_still_emailed(actors, django_capture_on_commit_callbacks):
    _switch_off(actors.owner, IDENTIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        _notify([actors.owner], kind=DECONFLICTION)
    assert [m.to for m in mail.outbox] == [[actors.owner.email]]


def test_switching_off_after_queuing_and_before_sending_sends_nothing(
    actors, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        [notice] = _notify([actors.owner])
    _switch_off(actors.owner, IDENTIFIED)
    for send in queued:
        send()

    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.email_skipped_at is not None


def test_a_skipped_notification_is_never_sent_later(actors, django_capture_on_commit_callbacks):
    _switch_off(actors.owner, IDENTIFIED)
    with django_capture_on_commit_callbacks(execute=True):
        [notice] = _notify([actors.owner])
    notification_email_choices_set(actor=actors.owner, emailed_kinds=EVERY_KIND)

    assert send_notification_email(notice.pk) is False  # a second delivery of the task
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _notify([actors.owner])  # switched on again: new ones are e-mailed
    assert [m.to for m in mail.outbox] == [[actors.owner.email]]


def test_a_retry_after_the_user_switched_the_kind_off_sends_nothing(
    actors, django_capture_on_commit_callbacks, monkeypatch
):
    from victimid.services import email

    def down(**kwargs):
        raise ConnectionRefusedError("mail server down")

    with django_capture_on_commit_callbacks() as queued:
        [notice] = _notify([actors.owner])
    monkeypatch.setattr(email, "send_mail", down)
    with pytest.raises(ConnectionRefusedError):  # the first attempt; the worker retries later
        send_notification_email(notice.pk)
    monkeypatch.undo()
    _switch_off(actors.owner, IDENTIFIED)  # meanwhile, on the account page

    assert send_notification_email(notice.pk) is False  # the retry
    assert len(queued) == 1
    assert mail.outbox == []
    notice.refresh_from_db()
    assert notice.emailed_at is None
    assert notice.email_skipped_at is not None
    assert notice.email_failed_at is None


def test_a_notification_cannot_be_both_emailed_and_skipped(actors):
    [notice] = _notify([actors.owner])
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.filter(pk=notice.pk).update(
            emailed_at=timezone.now(), email_skipped_at=timezone.now()
        )


# --- The service ----------------------------------------------------------------------------


def test_choosing_writes_only_what_changed_and_audits_it(actors):
    changed = notification_email_choices_set(actor=actors.owner, emailed_kinds=[DECONFLICTION])

    switched_off = {kind: False for kind in EVERY_KIND if kind != DECONFLICTION}
    assert changed == switched_off
    assert notification_email_choices(user=actors.owner) == switched_off | {DECONFLICTION: True}
    event = audit_events(audit_actions.NOTIFICATION_EMAILS_CHOSEN, target=actors.owner).get()
    assert event.actor == actors.owner
    assert event.details == {"email": switched_off}
    assert notification_email_choices(user=actors.colleague) == dict.fromkeys(EVERY_KIND, True)


def test_choosing_the_same_again_writes_and_audits_nothing(actors):
    assert notification_email_choices_set(actor=actors.owner, emailed_kinds=EVERY_KIND) == {}
    assert not NotificationPreference.objects.exists()
    assert not audit_events(audit_actions.NOTIFICATION_EMAILS_CHOSEN).exists()


def test_an_unknown_kind_is_refused_and_nothing_is_written(actors):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        notification_email_choices_set(actor=actors.owner, emailed_kinds=["gossip"])
    assert list(caught.value.message_dict) == ["emailed_kinds"]
    assert not NotificationPreference.objects.exists()


# --- The account page -------------------------------------------------------------------------


def _ticked(response) -> list[str]:
    import re

    boxes = re.findall(
        r'<input type="checkbox" name="emailed_kinds"[^>]*>', response.content.decode()
    )
    return [re.search(r'value="(\w+)"', box)[1] for box in boxes if " checked" in box]


def test_the_account_page_shows_every_kind_ticked_by_default(actors):
    response = signed_in_client(actors.owner).get("/account/")
    assert response.status_code == 200
    assert _ticked(response) == EVERY_KIND
    assert b"<legend>E-mail me when</legend>" in response.content


def test_unticking_a_kind_on_the_account_page_saves_it(actors):
    client = signed_in_client(actors.owner)
    kept = [kind for kind in EVERY_KIND if kind != IDENTIFIED]

    response = client.post("/account/notification-emails/", {"emailed_kinds": kept})

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    page = client.get("/account/")
    assert b"Your choice of e-mailed notifications is saved." in page.content
    assert _ticked(page) == kept
    assert notification_email_choices(user=actors.owner)[IDENTIFIED] is False


def test_unticking_everything_keeps_every_notification_in_app_only(actors):
    client = signed_in_client(actors.owner)
    assert client.post("/account/notification-emails/", {}).status_code == 302
    assert notification_email_choices(user=actors.owner) == dict.fromkeys(EVERY_KIND, False)
    assert _ticked(client.get("/account/")) == []


def test_an_unknown_kind_on_the_page_answers_400_and_saves_nothing(actors):
    response = signed_in_client(actors.owner).post(
        "/account/notification-emails/", {"emailed_kinds": ["gossip"]}
    )
    assert response.status_code == 400
    assert list(response.context["email_form"].errors) == ["emailed_kinds"]
    assert not NotificationPreference.objects.exists()
    assert not audit_events(audit_actions.NOTIFICATION_EMAILS_CHOSEN).exists()


def test_a_user_changes_only_their_own_choices(actors):
    signed_in_client(actors.colleague).post("/account/notification-emails/", {})
    assert notification_email_choices(user=actors.owner) == dict.fromkeys(EVERY_KIND, True)
