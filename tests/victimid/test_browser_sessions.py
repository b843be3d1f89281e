"""Users see where they are signed in and end any of those sessions (after typing a fresh
one-time code: ASVS 7.5.2); a platform admin ends all of a user's sessions at once; an ended
session is signed out at its next request."""

from __future__ import annotations

import pytest

from tests.conftest import signed_in_client
from tests.victimid.support import audit_events, fresh_code
from victimid import audit_actions
from victimid.models import AuditEvent, UserSession

pytestmark = pytest.mark.django_db


def test_the_account_page_lists_the_sessions_and_marks_this_one(actors):
    here = signed_in_client(actors.owner)
    signed_in_client(actors.owner)  # another browser
    page = here.get("/account/").content.decode()
    assert page.count('action="/account/sessions/') == 2  # one End button, plus end-others
    assert "this session" in page
    assert UserSession.objects.filter(user=actors.owner, ended_at__isnull=True).count() == 2


def test_ending_another_session_signs_that_browser_out(actors):
    here = signed_in_client(actors.owner)
    elsewhere = signed_in_client(actors.owner)
    other = UserSession.objects.filter(user=actors.owner).order_by("-id").first()
    response = here.post(f"/account/sessions/{other.pk}/end/", {"token": fresh_code(actors.owner)})
    assert response.status_code == 302
    assert elsewhere.get("/account/").status_code == 302  # to the sign-in page
    assert here.get("/account/").status_code == 200
    assert AuditEvent.objects.filter(action=audit_actions.SESSION_ENDED).count() == 1


def test_nobody_ends_a_session_of_someone_else(actors):
    signed_in_client(actors.owner)
    theirs = UserSession.objects.get(user=actors.owner)
    assert (
        signed_in_client(actors.colleague)
        .post(f"/account/sessions/{theirs.pk}/end/", {"token": fresh_code(actors.colleague)})
        .status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.ended_at is None


def test_ending_every_other_session_keeps_this_one(actors):
    here = signed_in_client(actors.owner)
    elsewhere = signed_in_client(actors.owner)
    response = here.post("/account/sessions/end-others/", {"token": fresh_code(actors.owner)})
    assert response.status_code == 302
    assert elsewhere.get("/account/").status_code == 302
    assert here.get("/account/").status_code == 200


def test_an_admin_ends_every_session_of_a_user_at_once(actors):
    first, second = signed_in_client(actors.owner), signed_in_client(actors.owner)
    admin = signed_in_client(actors.admin)
    assert admin.post(f"/vetting/users/{actors.owner.pk}/end-sessions/").status_code == 302
    assert first.get("/account/").status_code == 302
    assert second.get("/account/").status_code == 302
    event = AuditEvent.objects.get(action=audit_actions.SESSIONS_ENDED_ALL)
    assert event.actor == actors.admin and event.details["sessions"] == 2


def test_a_coordinator_cannot_end_a_users_sessions(actors):
    client = signed_in_client(actors.coordinator)
    assert client.post(f"/vetting/users/{actors.owner.pk}/end-sessions/").status_code == 403


def test_signing_out_removes_the_session_from_the_list(actors):
    client = signed_in_client(actors.owner)
    client.post("/logout/")
    assert not UserSession.objects.filter(user=actors.owner, ended_at__isnull=True).exists()


@pytest.mark.parametrize("code", ["", "000000", "abcde-fghij"], ids=["none", "wrong", "unknown"])
def test_ending_a_session_without_a_valid_fresh_code_ends_nothing(actors, code):
    here = signed_in_client(actors.owner)
    elsewhere = signed_in_client(actors.owner)
    other = UserSession.objects.filter(user=actors.owner).order_by("-id").first()

    response = here.post(f"/account/sessions/{other.pk}/end/", {"token": code})

    assert response.status_code == 400
    assert "not valid" in response.content.decode() or "required" in response.content.decode()
    assert elsewhere.get("/account/").status_code == 200
    other.refresh_from_db()
    assert other.ended_at is None
    assert not AuditEvent.objects.filter(action=audit_actions.SESSION_ENDED).exists()
    if code:  # a code typed and refused is an authentication failure on the record
        assert audit_events(audit_actions.MFA_FAILED, target=actors.owner).exists()


def test_ending_every_other_session_with_a_wrong_code_ends_none(actors):
    here = signed_in_client(actors.owner)
    elsewhere = signed_in_client(actors.owner)
    response = here.post("/account/sessions/end-others/", {"token": "000000"})
    assert response.status_code == 400
    assert elsewhere.get("/account/").status_code == 200
    assert not AuditEvent.objects.filter(action=audit_actions.SESSIONS_ENDED_ALL).exists()


def test_the_code_that_ended_one_session_cannot_end_another(actors):
    here = signed_in_client(actors.owner)
    signed_in_client(actors.owner)
    signed_in_client(actors.owner)
    first, second = UserSession.objects.filter(user=actors.owner).order_by("-id")[:2]
    code = fresh_code(actors.owner)
    assert here.post(f"/account/sessions/{first.pk}/end/", {"token": code}).status_code == 302
    assert here.post(f"/account/sessions/{second.pk}/end/", {"token": code}).status_code == 400
    second.refresh_from_db()
    assert second.ended_at is None


def test_a_recovery_code_confirms_ending_a_session_once(actors):
    from victimid.services.mfa import recovery_codes_regenerate

    (code, *_others) = recovery_codes_regenerate(user=actors.owner)
    here = signed_in_client(actors.owner)
    signed_in_client(actors.owner)
    signed_in_client(actors.owner)
    first, second = UserSession.objects.filter(user=actors.owner).order_by("-id")[:2]
    assert here.post(f"/account/sessions/{first.pk}/end/", {"token": code}).status_code == 302
    assert here.post(f"/account/sessions/{second.pk}/end/", {"token": code}).status_code == 400
