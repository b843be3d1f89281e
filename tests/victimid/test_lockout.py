"""Five failed sign-ins lock an account until a coordinator of its country or an admin frees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.conftest import signed_in_client
from tests.victimid.support import attempt_login, audit_events
from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "not-the-password-at-all"


def _fail_five_times(user):
    return [attempt_login(user.email, WRONG) for _ in range(5)]


def test_four_failures_do_not_lock(actors):
    for _ in range(4):
        assert attempt_login(actors.owner.email, WRONG).status_code == 200
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is None
    assert audit_events(audit_actions.LOGIN_FAILED, target=actors.owner).count() == 4
    assert attempt_login(actors.owner.email).status_code == 302


def test_five_failures_lock_the_account_and_say_so(actors):
    responses = _fail_five_times(actors.owner)

    assert [r.status_code for r in responses] == [200, 200, 200, 200, 403]
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is not None
    locked = audit_events(audit_actions.LOCKED, target=actors.owner).get()
    assert locked.outcome == AuditOutcome.DENIED
    assert locked.actor_email == actors.owner.email
    failures = audit_events(audit_actions.LOGIN_FAILED, target=actors.owner)
    assert failures.count() == 5
    assert set(failures.values_list("outcome", flat=True)) == {AuditOutcome.FAILURE}


def test_a_locked_account_refuses_even_the_right_password_and_names_who_can_release(actors):
    _fail_five_times(actors.owner)

    response = attempt_login(actors.owner.email)

    assert response.status_code == 403
    assert b"This account is locked" in response.content
    assert b"A national coordinator of your country or a platform admin" in response.content
    assert b"Netherlands" not in response.content  # the page must not reveal where it is
    assert not response.wsgi_request.user.is_authenticated
    assert "_auth_user_id" not in response.wsgi_request.session


def test_locking_ends_the_users_open_sessions(actors):
    client = signed_in_client(actors.owner)
    _fail_five_times(actors.owner)  # someone else guessing at the password
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_locked_users_tokens_stop_working(actors):
    from tests.conftest import api_client_for

    client = api_client_for(actors.owner)
    _fail_five_times(actors.owner)
    assert client.get("/api/v1/me").status_code == 401


def test_failures_on_one_account_do_not_lock_another(actors):
    _fail_five_times(actors.owner)
    assert attempt_login(actors.colleague.email).status_code == 302


def test_a_coordinator_of_the_same_country_releases_the_account(actors):
    _fail_five_times(actors.owner)
    coordinator = signed_in_client(actors.coordinator)

    response = coordinator.post(f"/vetting/users/{actors.owner.pk}/release/")

    assert response.status_code == 302
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is None
    released = audit_events(audit_actions.RELEASED, target=actors.owner).get()
    assert released.actor == actors.coordinator
    assert attempt_login(actors.owner.email).status_code == 302


def test_a_released_account_gets_five_fresh_attempts(actors):
    _fail_five_times(actors.owner)
    signed_in_client(actors.coordinator).post(f"/vetting/users/{actors.owner.pk}/release/")
    for _ in range(4):
        attempt_login(actors.owner.email, WRONG)
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is None


def test_the_vetting_queue_lists_locked_accounts_for_the_coordinator(actors):
    _fail_five_times(actors.owner)
    response = signed_in_client(actors.coordinator).get("/vetting/")
    assert list(response.context["locked"]) == [actors.owner]


def test_a_coordinator_abroad_cannot_release_and_learns_nothing(actors):
    _fail_five_times(actors.owner)
    coordinator_abroad = signed_in_client(actors.coordinator_abroad)

    response = coordinator_abroad.post(f"/vetting/users/{actors.owner.pk}/release/")

    assert response.status_code == 404
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is not None
    assert not audit_events(audit_actions.RELEASED).exists()


def test_an_investigator_cannot_release_a_colleague(actors):
    _fail_five_times(actors.owner)
    response = signed_in_client(actors.colleague).post(f"/vetting/users/{actors.owner.pk}/release/")
    assert response.status_code == 403
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is not None


def test_an_admin_releases_an_account_of_any_country(actors):
    _fail_five_times(actors.abroad)
    response = signed_in_client(actors.admin).post(f"/vetting/users/{actors.abroad.pk}/release/")
    assert response.status_code == 302
    actors.abroad.refresh_from_db()
    assert actors.abroad.locked_at is None


def test_the_unlock_user_command_releases_the_account(actors, capsys):
    _fail_five_times(actors.owner)

    call_command("unlock_user", "--email", actors.owner.email.upper())

    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is None
    released = audit_events(audit_actions.RELEASED, target=actors.owner).get()
    assert released.actor is None
    assert attempt_login(actors.owner.email).status_code == 302


def test_the_unlock_user_command_refuses_an_unknown_address(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("unlock_user", "--email", "nobody@example.org")


def test_failures_from_different_addresses_and_browsers_still_add_up(actors):
    for attempt in range(5):
        Client(REMOTE_ADDR=f"192.0.2.{attempt + 1}", HTTP_USER_AGENT=f"guesser/{attempt}").post(
            "/login/", {"username": actors.owner.email, "password": WRONG}
        )
    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is not None


def test_failures_older_than_the_window_do_not_count(actors):
    for _ in range(4):
        attempt_login(actors.owner.email, WRONG)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    attempt_login(actors.owner.email, WRONG)

    actors.owner.refresh_from_db()
    assert actors.owner.locked_at is None


def test_an_unknown_address_locks_after_five_failures_too(db):
    responses = [attempt_login("nobody@nl.example.org", WRONG) for _ in range(6)]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 403, 403]
    assert b"A national coordinator of your country" in responses[-1].content
    locked = AuditEvent.objects.filter(action=audit_actions.LOCKED)
    assert locked.exists()
    assert set(locked.values_list("actor_email", "actor")) == {("nobody@nl.example.org", None)}


def test_the_locked_page_is_the_same_for_a_real_and_an_unknown_address(actors):
    _fail_five_times(actors.owner)
    for _ in range(5):
        attempt_login("nobody@nl.example.org", WRONG)

    real = attempt_login(actors.owner.email, WRONG)
    unknown = attempt_login("nobody@nl.example.org", WRONG)

    assert real.status_code == unknown.status_code == 403
    assert real.context["release_text"] == unknown.context["release_text"]
    assert b"Netherlands" not in real.content
