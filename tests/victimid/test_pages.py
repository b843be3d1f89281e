"""The people-and-trust pages as the right role, the wrong role, abroad, and anonymous."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import signed_in_client
from tests.factories import PendingUserFactory
from tests.victimid.support import attempt_login, audit_events
from tests.victimid.test_second_factor_gate import ROUTES
from victimid import audit_actions
from victimid.choices import VettingStatus
from victimid.models import User, VettingDecision

pytestmark = pytest.mark.django_db


# --- Vetting queue ------------------------------------------------------------------


def test_a_coordinator_sees_the_pending_users_of_their_country_only(actors):
    spanish_applicant = PendingUserFactory(agency=actors.agency_abroad)

    response = signed_in_client(actors.coordinator).get("/vetting/")

    assert response.status_code == 200
    assert list(response.context["pending"]) == [actors.unvetted]
    everyone = set(response.context["everyone"])
    assert actors.owner in everyone
    assert not everyone & {spanish_applicant, actors.abroad, actors.admin, actors.coordinator}
    assert actors.abroad.email.encode() not in response.content


@pytest.mark.parametrize("who", ["owner", "oversight", "auditor", "unvetted"])
def test_the_vetting_queue_is_forbidden_to_other_roles(actors, who):
    response = signed_in_client(getattr(actors, who)).get("/vetting/")
    assert response.status_code == 403
    assert b"Not allowed" in response.content


def test_a_coordinator_whose_vetting_lapsed_loses_the_vetting_queue(actors):
    from datetime import timedelta

    from django.utils import timezone

    actors.coordinator.vetted_until = timezone.now() - timedelta(days=1)
    actors.coordinator.save(update_fields=["vetted_until"])
    assert signed_in_client(actors.coordinator).get("/vetting/").status_code == 403


def test_an_admin_sees_every_country_in_the_vetting_queue(actors):
    spanish_applicant = PendingUserFactory(agency=actors.agency_abroad)
    response = signed_in_client(actors.admin).get("/vetting/")
    assert response.status_code == 200
    assert set(response.context["pending"]) == {actors.unvetted, spanish_applicant}


def test_the_dashboard_tells_a_coordinator_how_many_accounts_await_vetting(actors):
    response = signed_in_client(actors.coordinator).get("/")
    assert b"1 account awaits vetting" in response.content
    assert signed_in_client(actors.coordinator_abroad).get("/").context["pending_count"] == 0


# --- One user's page and decisions --------------------------------------------------


def _decide(client, subject, decision: str, reason: str, *, follow: bool = False):
    return client.post(
        f"/vetting/users/{subject.pk}/decide/",
        {"decision": decision, "reason": reason},
        follow=follow,
    )


def test_a_coordinator_opens_a_user_of_their_country(actors):
    response = signed_in_client(actors.coordinator).get(f"/vetting/users/{actors.owner.pk}/")
    assert response.status_code == 200
    assert response.context["subject"] == actors.owner


@pytest.mark.parametrize("subject", ["owner", "admin", "coordinator"])
def test_a_coordinator_gets_404_for_users_they_do_not_manage(actors, subject):
    # abroad (owner is Dutch), a platform admin, or oneself
    client = signed_in_client(
        actors.coordinator if subject != "owner" else actors.coordinator_abroad
    )
    response = client.get(f"/vetting/users/{getattr(actors, subject).pk}/")
    assert response.status_code == 404


def test_a_coordinator_abroad_cannot_decide_about_a_dutch_user(actors):
    client = signed_in_client(actors.coordinator_abroad)
    response = _decide(client, actors.unvetted, "approve", "ok")
    assert response.status_code == 404
    actors.unvetted.refresh_from_db()
    assert actors.unvetted.vetting_status == VettingStatus.PENDING
    assert not VettingDecision.objects.exists()


def test_an_investigator_cannot_decide_at_all(actors):
    client = signed_in_client(actors.colleague)
    response = _decide(client, actors.unvetted, "approve", "ok")
    assert response.status_code == 403
    assert not VettingDecision.objects.exists()


@pytest.mark.parametrize("reason", ["", "  \n "], ids=["empty", "blank"])
def test_a_decision_without_a_reason_answers_400_naming_the_reason_field(actors, reason):
    client = signed_in_client(actors.coordinator)
    response = _decide(client, actors.unvetted, "approve", reason)
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert form.errors == {"reason": ["Give the reason for this decision."]}
    html = response.content.decode()
    # The message sits with the reason field and the field points at it.
    assert re.search(r'aria-describedby="[^"]*id_reason_error', html)
    assert re.search(r'id="id_reason_error"><p class="error" role="alert">Give the reason', html)
    assert not VettingDecision.objects.exists()
    actors.unvetted.refresh_from_db()
    assert actors.unvetted.vetting_status == VettingStatus.PENDING


def test_a_decision_with_nothing_chosen_asks_for_a_decision(actors):
    response = _decide(signed_in_client(actors.coordinator), actors.unvetted, "", "ok")
    assert response.status_code == 400
    assert response.context["decision_form"].errors == {"decision": ["Choose a decision."]}
    assert not VettingDecision.objects.exists()


def test_a_coordinator_approves_on_the_users_page_and_sees_the_history(actors):
    client = signed_in_client(actors.coordinator)
    response = _decide(
        client, actors.unvetted, "approve", "Confirmed with the unit head", follow=True
    )
    assert b"Decision recorded." in response.content
    assert b"Confirmed with the unit head" in response.content
    actors.unvetted.refresh_from_db()
    assert actors.unvetted.is_vetted


def test_an_impossible_decision_shows_why_and_what_is_possible_and_changes_nothing(actors):
    client = signed_in_client(actors.coordinator)
    response = _decide(client, actors.unvetted, "renew", "annual")
    assert response.status_code == 400
    assert response.context["decision_form"].errors["decision"] == [
        "Not possible while the user's vetting is “Pending vetting”. "
        "Possible now: Approve, Reject, Suspend now."
    ]
    assert not VettingDecision.objects.exists()


def _in_state(actors, state: str) -> User:
    from datetime import timedelta

    from django.utils import timezone

    if state == "pending":
        return actors.unvetted
    subject = actors.owner
    if state == "expired":
        subject.vetted_until = timezone.now() - timedelta(days=1)
    elif state in ("rejected", "suspended"):
        subject.vetting_status = state
    subject.save()
    return subject


# What a coordinator may decide from each state, as the users' page offers it.
OFFERED = {
    "pending": ["approve", "reject", "suspend"],
    "vetted": ["renew", "suspend"],
    "expired": ["renew", "suspend"],
    "rejected": ["approve", "suspend"],
    "suspended": ["reinstate"],
}
ALL_DECISIONS = ["approve", "renew", "reject", "suspend", "reinstate"]


@pytest.mark.parametrize("state", OFFERED)
def test_the_users_page_offers_only_the_decisions_open_from_their_state(actors, state):
    subject = _in_state(actors, state)
    response = signed_in_client(actors.coordinator).get(f"/vetting/users/{subject.pk}/")
    assert response.status_code == 200
    radios = re.findall(r'<input type="radio" name="decision"[^>]*>', response.content.decode())
    assert [re.search(r'value="(\w+)"', radio)[1] for radio in radios] == OFFERED[state]
    assert not any("checked" in radio for radio in radios)  # nothing decided by default


@pytest.mark.parametrize(
    ("state", "decision"),
    [(s, d) for s in OFFERED for d in ALL_DECISIONS if d not in OFFERED[s]],
)
def test_a_decision_not_open_from_the_users_state_is_refused_with_400(actors, state, decision):
    subject = _in_state(actors, state)
    before = (subject.vetting_status, subject.vetted_until)
    response = _decide(signed_in_client(actors.coordinator), subject, decision, "a reason")
    assert response.status_code == 400
    [error] = response.context["decision_form"].errors["decision"]
    assert error.startswith("Not possible while the user's vetting is")
    subject.refresh_from_db()
    assert (subject.vetting_status, subject.vetted_until) == before
    assert not VettingDecision.objects.exists()


def test_the_roles_form_offers_a_coordinator_no_admin_role(actors):
    client = signed_in_client(actors.coordinator)
    page = client.get(f"/vetting/users/{actors.owner.pk}/")
    assert b'value="admin"' not in page.content

    client.post(f"/vetting/users/{actors.owner.pk}/roles/", {"roles": ["admin"]})

    actors.owner.refresh_from_db()
    assert not actors.owner.groups.filter(name="admin").exists()
    assert not audit_events(audit_actions.ROLE_GRANTED).exists()


# --- Invitations and registration ------------------------------------------------------


def test_an_invited_user_sets_a_password_through_the_emailed_link_and_signs_in(actors):
    coordinator = signed_in_client(actors.coordinator)
    response = coordinator.post(
        "/vetting/invite/",
        {
            "email": "invitee@nl.example.org",
            "full_name": "Invited Investigator",
            "agency": actors.agency.pk,
            "role": "investigator",
        },
    )
    invitee = User.objects.get(email="invitee@nl.example.org")
    assert response["Location"] == f"/vetting/users/{invitee.pk}/"
    assert mail.outbox[0].to == ["invitee@nl.example.org"]
    link = re.search(r"http://testserver(/set-password/\S+/)", mail.outbox[0].body)[1]

    browser = Client()
    form = browser.get(link, follow=True)
    assert form.context["validlink"]
    password = "a-brand-new-password-2026"
    done = browser.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done["Location"] == "/login/"
    assert attempt_login(invitee.email, password)["Location"] == "/mfa/verify/"
    assert browser.get(link, follow=True).context["validlink"] is False  # works once


def test_a_coordinator_cannot_invite_into_an_agency_abroad_on_the_page(actors):
    response = signed_in_client(actors.coordinator).post(
        "/vetting/invite/",
        {
            "email": "x@es.example.org",
            "full_name": "X",
            "agency": actors.agency_abroad.pk,
            "role": "investigator",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="x@es.example.org").exists()
    assert not mail.outbox


def test_self_registration_creates_a_pending_investigator(actors):
    response = Client().post(
        "/register/",
        {
            "email": "Applicant@NL.example.org",
            "full_name": "New Applicant",
            "agency": actors.agency.pk,
            "password": "a-long-enough-password-77",
        },
    )
    assert response["Location"] == "/login/"
    applicant = User.objects.get(email="applicant@nl.example.org")
    assert applicant.vetting_status == VettingStatus.PENDING
    assert applicant.role_names == {"investigator"}
    assert audit_events(audit_actions.USER_REGISTERED, target=applicant).exists()


def test_self_registration_refuses_a_weak_password(actors):
    response = Client().post(
        "/register/",
        {
            "email": "applicant@nl.example.org",
            "full_name": "New Applicant",
            "agency": actors.agency.pk,
            "password": "password",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="applicant@nl.example.org").exists()


# --- The Django admin --------------------------------------------------------------------


def test_a_platform_admin_with_a_verified_second_factor_reaches_the_admin_site(actors):
    response = signed_in_client(actors.admin).get("/admin/")
    assert response.status_code == 200
    assert b"VictimID administration" in response.content


def test_a_platform_admin_without_a_second_factor_is_sent_to_verify(actors):
    response = signed_in_client(actors.admin, verified=False).get("/admin/")
    assert response["Location"] == "/mfa/verify/"


@pytest.mark.parametrize("who", ["owner", "coordinator", "auditor"])
def test_other_roles_do_not_get_into_the_admin_site(actors, who):
    response = signed_in_client(getattr(actors, who)).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    users = signed_in_client(getattr(actors, who)).get("/admin/victimid/user/")
    assert users.status_code == 302


# --- No page breaks ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "coordinator"])
def test_no_route_answers_a_verified_user_with_a_server_error(actors, who):
    client = signed_in_client(getattr(actors, who))
    errors = {}
    for route in ROUTES:
        if route.name in ("logout",):
            continue
        status = client.get(route.path).status_code
        if status >= 500:
            errors[route.name] = status
    assert errors == {}


def test_not_even_a_superuser_can_read_an_investigators_totp_secret_in_the_admin(actors):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import UserFactory

    superuser = UserFactory(email="root@example.org", agency=None, roles=[], is_superuser=True)
    device = TOTPDevice.objects.get(user=actors.owner)
    client = signed_in_client(superuser)

    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/").status_code == 403
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    change = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change.status_code == 200
    assert device.key.encode() not in change.content
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert b"qrcode" not in listing.content.lower()


def _queries_for_queue(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/vetting/").status_code == 200
    return len(queries)


def test_the_vetting_queue_costs_the_same_queries_for_many_users_as_for_few(actors):
    client = signed_in_client(actors.coordinator)
    client.get("/vetting/")  # warm caches (content types, sessions)
    few = _queries_for_queue(client)
    for _ in range(8):
        PendingUserFactory(agency=actors.agency)
    assert _queries_for_queue(client) == few
