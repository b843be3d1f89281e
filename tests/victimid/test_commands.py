"""Operator commands: the value an operator needs is on the last line of output."""

from __future__ import annotations

import base64
from io import StringIO
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import AgencyFactory
from victimid import audit_actions
from victimid.choices import VettingStatus
from victimid.models import Agency, AuditEvent, User, VettingDecision

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-operator-chosen-password-9"


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def _code_from_uri(uri: str) -> str:
    query = parse_qs(urlparse(uri).query)
    secret = query["secret"][0]
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key, step=int(query.get('period', ['30'])[0]), digits=6).token():06d}"


def test_create_agency_prints_the_new_agencys_id():
    agency_id = _run("create_agency", "--name", "Politie Eenheid", "--country", "nl")

    agency = Agency.objects.get(pk=int(agency_id))
    assert agency.name == "Politie Eenheid"
    assert agency.country.code == "NL"
    event = AuditEvent.objects.get(action=audit_actions.AGENCY_CREATED)
    assert event.actor is None
    assert event.target_id == agency_id


@pytest.mark.parametrize("country", ["XX", "Netherlands", "N"])
def test_create_agency_refuses_a_country_that_is_not_an_iso_code(country):
    with pytest.raises(CommandError, match="country"):
        call_command("create_agency", "--name", "Somewhere", "--country", country)
    assert not Agency.objects.exists()


def test_create_agency_refuses_a_duplicate_name():
    AgencyFactory(name="Politie Eenheid")
    with pytest.raises(CommandError, match="name"):
        call_command("create_agency", "--name", "Politie Eenheid", "--country", "NL")


def test_create_user_prints_an_otpauth_uri_that_signs_the_user_in():
    agency = AgencyFactory(country="NL")

    uri = _run(
        "create_user",
        "--email", "Operator.Made@nl.example.org",
        "--agency", str(agency.pk),
        "--role", "investigator",
        "--password", PASSWORD,
        "--vetted",
    )  # fmt: skip

    assert uri.startswith("otpauth://totp/")
    user = User.objects.get(email="operator.made@nl.example.org")
    assert user.is_vetted
    assert user.role_names == {"investigator"}
    assert TOTPDevice.objects.get(user=user).config_url == uri
    decision = VettingDecision.objects.get(subject=user)
    assert decision.decided_by is None
    client = Client()
    client.post("/login/", {"username": user.email, "password": PASSWORD})
    assert client.post("/mfa/verify/", {"token": _code_from_uri(uri)}).status_code == 302
    assert client.get("/account/").status_code == 200


def test_create_user_without_vetted_leaves_the_user_pending():
    agency = AgencyFactory()
    _run("create_user", "--email", "p@example.org", "--agency", str(agency.pk), "--role", "auditor")
    user = User.objects.get(email="p@example.org")
    assert user.vetting_status == VettingStatus.PENDING
    assert not user.has_usable_password()


def test_create_user_makes_a_platform_admin_without_an_agency():
    _run("create_user", "--email", "root@example.org", "--role", "admin", "--vetted")
    admin = User.objects.get(email="root@example.org")
    assert admin.is_platform_admin and admin.is_vetted
    assert AuditEvent.objects.filter(action=audit_actions.USER_CREATED).count() == 1


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--role", "investigator"], "agency"),
        (["--role", "investigator", "--agency", "999999"], "No agency"),
        (["--role", "superhero"], "superhero"),
        (["--role", "investigator", "--agency", "{agency}", "--password", "short"], "short"),
    ],
    ids=["no-agency", "unknown-agency", "unknown-role", "weak-password"],
)
def test_create_user_refuses_bad_input_and_creates_nothing(arguments, message):
    agency = AgencyFactory()
    arguments = [a.format(agency=agency.pk) for a in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("create_user", "--email", "x@example.org", *arguments)
    assert not User.objects.exists()
    assert not TOTPDevice.objects.exists()


def test_create_user_refuses_an_address_already_in_use(actors):
    with pytest.raises(CommandError):
        call_command(
            "create_user", "--email", "OWNER@nl.example.org", "--role", "investigator",
            "--agency", str(actors.agency.pk),
        )  # fmt: skip


def test_issue_token_prints_the_token_on_its_last_line(actors):
    token = _run("issue_token", "--email", actors.owner.email)
    assert token.startswith("vid_")
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_issue_token_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("issue_token", "--email", "nobody@example.org")


def test_unlock_user_reports_the_released_address(actors):
    assert _run("unlock_user", "--email", actors.owner.email) == "released owner@nl.example.org"
