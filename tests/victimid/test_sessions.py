"""Sessions end after 15 minutes idle or 12 hours in all, and sign-out deletes them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from tests.conftest import current_code, signed_in_client
from tests.factories import PASSWORD
from tests.victimid.support import audit_events
from victimid import audit_actions

pytestmark = pytest.mark.django_db


def _age_session(client, **seconds_ago):
    session = client.session
    now = timezone.now().timestamp()
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def _assert_sent_to_login(response):
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not response.wsgi_request.user.is_authenticated


def test_a_session_idle_for_longer_than_the_limit_ends(actors):
    client = signed_in_client(actors.owner)
    _age_session(client, last_activity_at=settings.SESSION_IDLE_SECONDS + 5)

    response = client.get("/account/")

    _assert_sent_to_login(response)
    assert client.get("/account/").status_code == 302  # and stays ended


def test_the_login_page_says_why_the_session_ended(actors):
    client = signed_in_client(actors.owner)
    _age_session(client, last_activity_at=settings.SESSION_IDLE_SECONDS + 5)

    response = client.get("/account/", follow=True)

    assert response.redirect_chain[-1][0].startswith("/login/")
    assert b"Your session ended" in response.content


def test_a_session_used_within_the_idle_limit_continues(actors):
    client = signed_in_client(actors.owner)
    _age_session(client, last_activity_at=settings.SESSION_IDLE_SECONDS - 30)
    assert client.get("/account/").status_code == 200


def test_activity_restarts_the_idle_clock(actors):
    client = signed_in_client(actors.owner)
    _age_session(client, last_activity_at=settings.SESSION_IDLE_SECONDS - 30)
    client.get("/account/")
    assert client.session["last_activity_at"] > timezone.now().timestamp() - 5


def test_a_session_older_than_the_absolute_limit_ends_even_when_active(actors):
    client = signed_in_client(actors.owner)
    _age_session(client, auth_started_at=settings.SESSION_ABSOLUTE_SECONDS + 5, last_activity_at=10)
    _assert_sent_to_login(client.get("/account/"))


def test_an_idle_session_on_the_api_answers_401(actors):
    client = signed_in_client(actors.owner)
    _age_session(client, last_activity_at=settings.SESSION_IDLE_SECONDS + 5)
    response = client.get("/api/v1/me")
    assert response.status_code == 401


def test_the_limits_are_fifteen_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_SECONDS == 15 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert settings.SESSION_COOKIE_AGE <= settings.SESSION_IDLE_SECONDS


def test_signing_out_deletes_the_session_on_the_server(actors):
    client = signed_in_client(actors.owner)
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()

    response = client.post("/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert not Session.objects.filter(session_key=session_key).exists()
    assert audit_events(audit_actions.LOGOUT, target=actors.owner).count() == 1
    assert client.get("/account/").status_code == 302


def test_signing_out_needs_a_post(actors):
    client = signed_in_client(actors.owner)
    assert client.get("/logout/").status_code == 405
    assert client.get("/account/").status_code == 200


def test_a_replayed_session_cookie_is_useless_after_sign_out(actors):
    client = signed_in_client(actors.owner)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.post("/logout/")

    replay = type(client)()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    response = replay.get("/account/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_session_key_changes_when_the_second_factor_is_verified(actors):
    client = Client()
    client.post("/login/", {"username": actors.owner.email, "password": PASSWORD})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post("/mfa/verify/", {"token": current_code(actors.owner)})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    # The key from before the second factor opens nothing now.
    planted = Client()
    planted.cookies[settings.SESSION_COOKIE_NAME] = before
    assert planted.get("/").status_code == 302
    assert client.get("/").status_code == 200
