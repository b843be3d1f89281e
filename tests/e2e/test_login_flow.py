"""The first sign-in of a new account, end to end in a real browser."""

from __future__ import annotations

import base64
import re

import pytest
from django_otp.oath import totp

from tests.e2e.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def _code_from_secret(secret_text: str) -> str:
    """The current 6-digit TOTP code for the secret shown on the enrolment page."""
    secret = secret_text.replace(" ", "").strip().upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6):06d}"


def test_a_new_user_enrols_a_second_factor_signs_out_and_is_asked_for_a_code_next_time(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    page = browser_page
    user = UserFactory(email="first.login@nl.example.org", full_name="Fenna Eerste", totp=False)

    sign_in(page, live_server.url, user.email)
    expect(page).to_have_url(re.compile(r"/mfa/enrol/$"))
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()

    secret_text = page.get_by_test_id("totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})*", secret_text), secret_text
    page.get_by_label("Code shown by your app").fill(_code_from_secret(secret_text))
    page.get_by_role("button", name="Confirm").click()

    codes = page.get_by_test_id("recovery-codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    recovery_code = codes.first.inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", recovery_code), recovery_code

    page.get_by_role("link", name="I have stored them").click()
    expect(page.get_by_role("heading", name="Welcome, Fenna Eerste")).to_be_visible()

    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    # Signed out on the server too: the dashboard sends us back to the login page.
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/login/\?next=(/|%2F)$"))

    sign_in(page, live_server.url, user.email)
    expect(page).to_have_url(re.compile(r"/mfa/verify/$"))
    expect(page.get_by_role("heading", name="Enter your one-time code")).to_be_visible()
    # The code just used is spent for this time step; a recovery code gets us in.
    page.get_by_label("One-time code").fill(recovery_code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name="Welcome, Fenna Eerste")).to_be_visible()

    assert csp_violations == []
