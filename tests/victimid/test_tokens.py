"""Personal API tokens: issued after re-entering a code, shown once, stored hashed, expiring."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import signed_in_client
from tests.victimid.support import audit_events, fresh_code, tables_containing
from victimid import audit_actions
from victimid.models import ApiToken, AuditEvent
from victimid.services.tokens import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db

NEW_TOKEN = re.compile(r'data-testid="new-token">(vid_[^<]+)<')


def _bearer(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _create_on_account_page(client, user, **fields):
    data = {"name": "VICS import script", "days": 30, "token": fresh_code(user)} | fields
    return client.post("/account/tokens/", data)


def test_a_wrong_one_time_code_issues_no_token(actors):
    client = signed_in_client(actors.owner)

    response = _create_on_account_page(client, actors.owner, token="000000")

    assert response.status_code == 200
    assert b"That code is not valid." in response.content
    assert not NEW_TOKEN.search(response.content.decode())
    assert not ApiToken.objects.exists()
    assert audit_events(audit_actions.MFA_FAILED, target=actors.owner).exists()


def test_the_right_code_issues_a_token_shown_once_and_stored_only_as_its_hash(actors):
    client = signed_in_client(actors.owner)

    response = _create_on_account_page(client, actors.owner)

    assert response.status_code == 200
    token = NEW_TOKEN.search(response.content.decode())[1]
    record = ApiToken.objects.get(user=actors.owner)
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(record.prefix) and len(record.prefix) < len(token)
    assert tables_containing(token) == []
    assert token.encode() not in client.get("/account/").content
    issued = AuditEvent.objects.get(action=audit_actions.TOKEN_ISSUED)
    assert issued.actor == actors.owner
    assert issued.target_id == str(record.pk)
    assert _bearer(token).get("/api/v1/me").status_code == 200


def test_a_token_lasts_at_most_ninety_days_on_the_account_page(actors):
    client = signed_in_client(actors.owner)
    response = _create_on_account_page(client, actors.owner, days=91)
    assert response.status_code == 200
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [0, 91, 365])
def test_the_service_refuses_a_lifetime_outside_one_to_ninety_days(actors, days):
    with pytest.raises(ValidationError):
        api_token_issue(user=actors.owner, name="x", days=days)
    assert not ApiToken.objects.exists()


def test_a_ninety_day_token_expires_ninety_days_from_now(actors):
    record, _token = api_token_issue(user=actors.owner, name="x", days=90)
    assert abs(record.expires_at - (timezone.now() + timedelta(days=90))) < timedelta(minutes=1)


def test_an_unvetted_user_gets_no_token(actors):
    with pytest.raises(PermissionDenied):
        api_token_issue(user=actors.unvetted, name="x", days=30)


def test_an_expired_token_answers_401(actors):
    record, token = api_token_issue(user=actors.owner, name="x", days=30)
    ApiToken.objects.filter(pk=record.pk).update(
        created_at=timezone.now() - timedelta(days=31),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    response = _bearer(token).get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_token_revoked_on_the_account_page_answers_401(actors):
    record, token = api_token_issue(user=actors.owner, name="x", days=30)
    assert _bearer(token).get("/api/v1/me").status_code == 200

    response = signed_in_client(actors.owner).post(
        f"/account/tokens/{record.pk}/revoke/", {"token": fresh_code(actors.owner)}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert _bearer(token).get("/api/v1/me").status_code == 401
    assert AuditEvent.objects.get(action=audit_actions.TOKEN_REVOKED).actor == actors.owner


@pytest.mark.parametrize("code", ["", "000000"], ids=["none", "wrong"])
def test_revoking_a_token_without_a_valid_fresh_code_leaves_it_working(actors, code):
    record, token = api_token_issue(user=actors.owner, name="x", days=30)

    response = signed_in_client(actors.owner).post(
        f"/account/tokens/{record.pk}/revoke/", {"token": code}
    )

    assert response.status_code == 400
    record.refresh_from_db()
    assert record.revoked_at is None
    assert _bearer(token).get("/api/v1/me").status_code == 200
    assert not AuditEvent.objects.filter(action=audit_actions.TOKEN_REVOKED).exists()


def test_nobody_revokes_someone_elses_token_on_the_account_page(actors):
    record, token = api_token_issue(user=actors.owner, name="x", days=30)
    response = signed_in_client(actors.colleague).post(
        f"/account/tokens/{record.pk}/revoke/", {"token": fresh_code(actors.colleague)}
    )
    assert response.status_code == 404
    assert _bearer(token).get("/api/v1/me").status_code == 200


def test_the_service_refuses_to_revoke_someone_elses_token(actors):
    record, _token = api_token_issue(user=actors.owner, name="x", days=30)
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=actors.colleague, token=record)
    record.refresh_from_db()
    assert record.revoked_at is None


def test_an_admin_may_revoke_anyones_token(actors):
    record, token = api_token_issue(user=actors.owner, name="x", days=30)
    api_token_revoke(actor=actors.admin, token=record)
    assert _bearer(token).get("/api/v1/me").status_code == 401


def test_the_issue_token_command_prints_a_usable_token_on_its_last_line(actors, capsys):
    call_command("issue_token", "--email", actors.owner.email, "--days", "7")

    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert _bearer(token).get("/api/v1/me").json()["email"] == actors.owner.email
    assert tables_containing(token) == []


@pytest.mark.parametrize(
    "arguments",
    [["--email", "pending@nl.example.org"], ["--email", "owner@nl.example.org", "--days", "91"]],
    ids=["unvetted", "too-long"],
)
def test_the_issue_token_command_refuses_what_the_service_refuses(actors, arguments):
    with pytest.raises(CommandError):
        call_command("issue_token", *arguments)
    assert not ApiToken.objects.exists()


def test_the_page_showing_a_new_token_is_never_cached(actors):
    client = signed_in_client(actors.owner)
    response = _create_on_account_page(client, actors.owner)
    assert NEW_TOKEN.search(response.content.decode())
    assert "no-store" in response["Cache-Control"]
