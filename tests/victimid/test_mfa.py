"""Second factor: enrolment at first sign-in, verification, single-use hashed recovery codes."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import current_code, signed_in_client
from tests.factories import PASSWORD, UserFactory
from tests.victimid.support import attempt_login, audit_events, tables_containing
from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import AuditEvent, RecoveryCode
from victimid.services.mfa import totp_secret_text

pytestmark = pytest.mark.django_db

RECOVERY_CODE = re.compile(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>")


def _code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _enrol(client: Client, user) -> list[str]:
    client.get("/mfa/enrol/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/mfa/enrol/", {"token": _code_of(device)})
    assert response.status_code == 200
    return RECOVERY_CODE.findall(response.content.decode())


@pytest.fixture
def newcomer(db):
    """A vetted investigator signing in for the first time, with no authenticator yet."""
    return UserFactory(email="newcomer@nl.example.org", totp=False)


def test_first_sign_in_leads_to_enrolment(newcomer):
    client = Client()
    response = attempt_login(newcomer.email, client=client)
    assert response["Location"] == "/mfa/verify/"
    assert client.get("/mfa/verify/")["Location"] == "/mfa/enrol/"


def test_the_enrolment_page_shows_an_inline_qr_code_and_the_secret(newcomer):
    client = signed_in_client(newcomer, verified=False)

    response = client.get("/mfa/enrol/")

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=newcomer, confirmed=False)
    html = response.content.decode()
    assert "<svg" in html
    assert "<img" not in html  # the QR code is inline, not a fetched or data: image
    assert totp_secret_text(device) in html
    assert response["Cache-Control"].count("no-store") == 1


def test_reloading_the_enrolment_page_keeps_the_same_secret(newcomer):
    client = signed_in_client(newcomer, verified=False)
    client.get("/mfa/enrol/")
    client.get("/mfa/enrol/")
    assert TOTPDevice.objects.filter(user=newcomer).count() == 1


def test_a_correct_code_confirms_enrolment_and_shows_ten_recovery_codes(newcomer):
    client = signed_in_client(newcomer, verified=False)

    codes = _enrol(client, newcomer)

    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert TOTPDevice.objects.get(user=newcomer).confirmed
    assert client.get("/account/").status_code == 200  # the session is verified now
    event = audit_events(audit_actions.MFA_ENROLLED).get()
    assert event.actor == newcomer


def test_a_wrong_code_leaves_enrolment_unconfirmed_and_is_audited(newcomer):
    client = signed_in_client(newcomer, verified=False)
    client.get("/mfa/enrol/")

    response = client.post("/mfa/enrol/", {"token": "000000"})

    assert response.status_code == 200
    assert b"That code does not match" in response.content
    assert not TOTPDevice.objects.filter(user=newcomer, confirmed=True).exists()
    failed = AuditEvent.objects.get(action=audit_actions.MFA_FAILED)
    assert failed.outcome == AuditOutcome.FAILURE
    assert failed.details == {"stage": "enrolment"}
    assert client.get("/account/")["Location"] == "/mfa/enrol/"


def test_a_user_with_an_authenticator_cannot_enrol_another_before_verifying(actors):
    client = signed_in_client(actors.owner, verified=False)
    response = client.get("/mfa/enrol/")
    assert response["Location"] == "/mfa/verify/"
    assert not TOTPDevice.objects.filter(user=actors.owner, confirmed=False).exists()


def test_recovery_codes_are_stored_only_as_hashes(newcomer):
    codes = _enrol(signed_in_client(newcomer, verified=False), newcomer)

    assert RecoveryCode.objects.filter(device__user=newcomer).count() == 10
    for code in codes:
        assert tables_containing(code) == []
        assert tables_containing(code.replace("-", "")) == []


def test_a_recovery_code_signs_in_once_only(newcomer):
    code = _enrol(signed_in_client(newcomer, verified=False), newcomer)[0]

    first = signed_in_client(newcomer, verified=False)
    response = first.post("/mfa/verify/", {"token": code.upper()})
    assert response.status_code == 302
    assert first.get("/account/").status_code == 200
    assert audit_events(audit_actions.MFA_RECOVERY_USED).count() == 1

    second = signed_in_client(newcomer, verified=False)
    response = second.post("/mfa/verify/", {"token": code})
    assert response.status_code == 200
    assert b"That code is not valid" in response.content
    assert second.get("/account/")["Location"] == "/mfa/verify/"
    assert RecoveryCode.objects.filter(used_at__isnull=True).count() == 9


def test_a_failed_verification_is_audited_and_leaves_the_session_unverified(actors):
    client = signed_in_client(actors.owner, verified=False)

    response = client.post("/mfa/verify/", {"token": "123456"})

    assert response.status_code == 200
    failed = audit_events(audit_actions.MFA_FAILED, target=actors.owner).get()
    assert failed.actor == actors.owner
    assert failed.outcome == AuditOutcome.FAILURE
    assert failed.details == {"stage": "verification"}
    assert client.get("/account/")["Location"] == "/mfa/verify/"


def test_a_successful_verification_is_audited(actors):
    signed_in_client(actors.owner)
    verified = audit_events(audit_actions.MFA_VERIFIED, target=actors.owner).get()
    assert verified.details == {"device": "TOTPDevice"}


def test_a_one_time_code_cannot_be_replayed_in_another_session(actors):
    signed_in_client(actors.owner)  # spends the current code
    code = current_code(actors.owner)

    replay = signed_in_client(actors.owner, verified=False)
    response = replay.post("/mfa/verify/", {"token": code})

    assert response.status_code == 200
    assert replay.get("/account/")["Location"] == "/mfa/verify/"


def _verify_after_login_with_next(user, next_url: str):
    client = Client()
    client.post(f"/login/?next={next_url}", {"username": user.email, "password": PASSWORD})
    device = TOTPDevice.objects.get(user=user)
    device.last_t = -1
    device.save()
    return client.post("/mfa/verify/", {"token": current_code(user)})


def test_verification_returns_to_the_page_asked_for_before_sign_in(actors):
    response = _verify_after_login_with_next(actors.owner, "/vetting/")
    assert response["Location"] == "/vetting/"


def test_verification_never_returns_to_another_site(actors):
    response = _verify_after_login_with_next(actors.owner, "https://evil.example.com/")
    assert response["Location"] == "/"


def test_regenerating_recovery_codes_retires_the_old_ones(newcomer):
    client = signed_in_client(newcomer, verified=False)
    old_codes = _enrol(client, newcomer)
    device = TOTPDevice.objects.get(user=newcomer)
    device.last_t = -1
    device.save()

    response = client.post("/account/recovery-codes/", {"token": _code_of(device)})

    new_codes = RECOVERY_CODE.findall(response.content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert audit_events(audit_actions.MFA_RECOVERY_REGENERATED, target=newcomer).exists()
    stale = signed_in_client(newcomer, verified=False)
    assert stale.post("/mfa/verify/", {"token": old_codes[0]}).status_code == 200
    assert stale.get("/account/")["Location"] == "/mfa/verify/"


def test_the_page_showing_new_recovery_codes_is_never_cached(newcomer):
    client = signed_in_client(newcomer, verified=False)
    _enrol(client, newcomer)
    device = TOTPDevice.objects.get(user=newcomer)
    device.last_t = -1
    device.save()

    response = client.post("/account/recovery-codes/", {"token": _code_of(device)})

    assert len(RECOVERY_CODE.findall(response.content.decode())) == 10
    assert "no-store" in response["Cache-Control"]


def test_a_session_verified_by_a_recovery_code_survives_regenerating_the_codes(newcomer):
    codes = _enrol(signed_in_client(newcomer, verified=False), newcomer)
    client = signed_in_client(newcomer, verified=False)
    assert client.post("/mfa/verify/", {"token": codes[0]}).status_code == 302

    response = client.post("/account/recovery-codes/", {"token": codes[1]})

    assert len(RECOVERY_CODE.findall(response.content.decode())) == 10
    assert client.get("/account/").status_code == 200
