"""Changing one's own password on the account page: the current password and a code prove it."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.conftest import signed_in_client
from tests.factories import PASSWORD
from tests.victimid.support import attempt_login, audit_events, fresh_code
from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import RecoveryCode
from victimid.services import mfa

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-new-and-long-passphrase-2027"


def _change(client: Client, user, **fields: str):
    data = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
        "token": fresh_code(user),
    } | fields
    return client.post("/account/password/", data)


def _password_unchanged(user) -> bool:
    user.refresh_from_db()
    return user.check_password(PASSWORD) and not user.check_password(NEW_PASSWORD)


def test_the_account_page_offers_a_password_change(actors):
    page = signed_in_client(actors.owner).get("/account/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/account/password/"' in html
    assert 'id="id_password_current_password"' in html
    assert 'autocomplete="current-password"' in html
    assert "at least 12 characters" in html  # the configured validators, in their own words


def test_the_right_password_and_code_change_it_and_the_new_one_signs_in(actors):
    client = signed_in_client(actors.owner)

    response = _change(client, actors.owner)

    assert response.status_code == 302
    assert response["Location"] == "/account/"
    page = client.get("/account/")
    assert page.status_code == 200  # still signed in, second factor still verified
    assert b"Your password is changed." in page.content
    assert attempt_login(actors.owner.email, NEW_PASSWORD)["Location"] == "/mfa/verify/"
    assert attempt_login(actors.owner.email, PASSWORD).status_code == 200  # refused


def test_a_change_writes_an_audit_event(actors):
    _change(signed_in_client(actors.owner), actors.owner)

    event = audit_events(audit_actions.PASSWORD_CHANGED, target=actors.owner).get()
    assert event.actor == actors.owner
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.details == {"second_factor": "TOTPDevice"}
    assert NEW_PASSWORD not in str(event.details) and PASSWORD not in str(event.details)


def test_a_change_ends_the_users_other_sessions_and_leaves_others_alone(actors):
    other_browser = signed_in_client(actors.owner)
    colleague = signed_in_client(actors.colleague)
    this_browser = signed_in_client(actors.owner)
    assert other_browser.get("/account/").status_code == 200

    assert _change(this_browser, actors.owner).status_code == 302

    ended = other_browser.get("/account/")
    assert ended.status_code == 302
    assert ended["Location"].startswith("/login/")
    assert this_browser.get("/account/").status_code == 200
    assert colleague.get("/account/").status_code == 200


def test_a_wrong_current_password_answers_400_on_that_field_and_spends_no_recovery_code(actors):
    codes = mfa.recovery_codes_regenerate(user=actors.owner)
    client = signed_in_client(actors.owner)

    response = _change(client, actors.owner, current_password="not-my-password", token=codes[0])

    assert response.status_code == 400
    assert response.context["password_form"].errors == {
        "current_password": ["That is not your current password."]
    }
    assert _password_unchanged(actors.owner)
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()
    failed = audit_events(audit_actions.PASSWORD_CHANGE_FAILED, target=actors.owner).get()
    assert failed.outcome == AuditOutcome.FAILURE
    assert not audit_events(audit_actions.PASSWORD_CHANGED).exists()


def test_a_wrong_code_answers_400_on_the_code_field(actors):
    client = signed_in_client(actors.owner)

    response = _change(client, actors.owner, token="000000")

    assert response.status_code == 400
    [error] = response.context["password_form"].errors["token"]
    assert error.startswith("That code is not valid.")
    assert list(response.context["password_form"].errors) == ["token"]
    assert _password_unchanged(actors.owner)
    assert audit_events(audit_actions.MFA_FAILED, target=actors.owner).exists()
    assert not audit_events(audit_actions.PASSWORD_CHANGED).exists()
    assert client.get("/account/").status_code == 200  # nothing ended


def test_a_recovery_code_works_as_the_second_factor_and_is_spent(actors):
    codes = mfa.recovery_codes_regenerate(user=actors.owner)
    client = signed_in_client(actors.owner)

    assert _change(client, actors.owner, token=codes[0]).status_code == 302

    assert RecoveryCode.objects.filter(used_at__isnull=False).count() == 1
    event = audit_events(audit_actions.PASSWORD_CHANGED, target=actors.owner).get()
    assert event.details == {"second_factor": "RecoveryCodeDevice"}


@pytest.mark.parametrize(
    ("weak", "message"),
    [
        ("short-pw-1", "This password is too short. It must contain at least 12 characters."),
        ("123456789012345", "This password is entirely numeric."),
        ("owner-nl-example-org", "The password is too similar to the e-mail address."),
    ],
    ids=["short", "numeric", "like-the-address"],
)
def test_a_weak_new_password_answers_400_with_the_validators_words(actors, weak, message):
    codes = mfa.recovery_codes_regenerate(user=actors.owner)
    client = signed_in_client(actors.owner)

    response = _change(
        client, actors.owner, new_password=weak, new_password_again=weak, token=codes[0]
    )

    assert response.status_code == 400
    errors = response.context["password_form"].errors
    assert list(errors) == ["new_password"]
    assert message in errors["new_password"]
    assert weak.encode() not in response.content  # never echoed back
    assert _password_unchanged(actors.owner)
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()


def test_a_wrong_current_password_and_a_weak_new_one_are_both_named(actors):
    response = _change(
        signed_in_client(actors.owner),
        actors.owner,
        current_password="not-my-password",
        new_password="short",
        new_password_again="short",
    )
    assert response.status_code == 400
    assert set(response.context["password_form"].errors) == {"current_password", "new_password"}
    assert _password_unchanged(actors.owner)


def test_the_same_password_again_is_refused(actors):
    response = _change(
        signed_in_client(actors.owner),
        actors.owner,
        new_password=PASSWORD,
        new_password_again=PASSWORD,
    )
    assert response.status_code == 400
    assert response.context["password_form"].errors == {
        "new_password": ["Choose a password different from your current one."]
    }


def test_two_different_new_passwords_are_refused_before_anything_is_checked(actors):
    response = _change(
        signed_in_client(actors.owner), actors.owner, new_password_again=NEW_PASSWORD + "x"
    )
    assert response.status_code == 400
    assert response.context["password_form"].errors == {
        "new_password_again": ["This is not the same as the new password above."]
    }
    assert _password_unchanged(actors.owner)
    assert not audit_events(audit_actions.MFA_FAILED).exists()


def test_empty_fields_are_each_named(actors):
    response = signed_in_client(actors.owner).post("/account/password/", {})
    assert response.status_code == 400
    assert set(response.context["password_form"].errors) == {
        "current_password",
        "new_password",
        "new_password_again",
        "token",
    }


def test_the_password_change_only_answers_a_post(actors):
    assert signed_in_client(actors.owner).get("/account/password/").status_code == 405
