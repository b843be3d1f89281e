"""Suspension takes effect at once: open sessions end, tokens stop working, no new sign-in."""

from __future__ import annotations

import pytest

from tests.conftest import api_client_for, signed_in_client
from tests.victimid.support import attempt_login
from victimid.models import ApiToken
from victimid.services.vetting import vetting_reinstate, vetting_suspend

pytestmark = pytest.mark.django_db


def test_a_suspended_user_is_signed_out_of_the_web_on_the_next_request(actors):
    client = signed_in_client(actors.owner)
    assert client.get("/account/").status_code == 200

    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="internal inquiry")

    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not response.wsgi_request.user.is_authenticated


def test_a_suspended_users_old_session_stays_dead_after_reinstatement(actors):
    client = signed_in_client(actors.owner)
    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="internal inquiry")
    vetting_reinstate(actor=actors.coordinator, subject=actors.owner, reason="cleared")

    response = client.get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_suspended_users_bearer_token_answers_401_at_once(actors):
    client = api_client_for(actors.owner)
    assert client.get("/api/v1/me").status_code == 200

    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="internal inquiry")

    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
    assert not ApiToken.objects.filter(user=actors.owner, revoked_at__isnull=True).exists()


def test_a_suspended_user_cannot_sign_in(actors):
    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="internal inquiry")

    response = attempt_login(actors.owner.email)

    assert response.status_code == 200
    assert b"not right" in response.content
    assert "_auth_user_id" not in response.wsgi_request.session


def test_a_suspended_user_with_a_session_on_the_api_gets_401(actors):
    client = signed_in_client(actors.owner)
    assert client.get("/api/v1/me").status_code == 200

    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="internal inquiry")

    assert client.get("/api/v1/me").status_code == 401


def test_suspending_someone_else_leaves_other_sessions_alone(actors):
    client = signed_in_client(actors.colleague)
    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="internal inquiry")
    assert client.get("/account/").status_code == 200
