"""Vetting rules: who may decide about whom, what a decision leaves behind, and expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from tests.conftest import api_client_for, signed_in_client
from tests.factories import AgencyFactory, PendingUserFactory
from tests.victimid.support import attempt_login, audit_events
from victimid import audit_actions
from victimid.choices import Role, VettingDecisionKind, VettingStatus
from victimid.gate import has_casework_access
from victimid.models import AuditEvent, VettingDecision
from victimid.services.accounts import user_invite, user_set_roles
from victimid.services.vetting import (
    vetting_approve,
    vetting_decide,
    vetting_decisions_open,
    vetting_reinstate,
    vetting_reject,
    vetting_renew,
    vetting_suspend,
)

pytestmark = pytest.mark.django_db


def _expire(user):
    user.vetted_until = timezone.now() - timedelta(minutes=1)
    user.save(update_fields=["vetted_until"])
    user.refresh_from_db()


def test_a_coordinator_approves_a_pending_user_of_their_country_with_who_when_and_why(actors):
    before = timezone.now()

    decision = vetting_approve(
        actor=actors.coordinator, subject=actors.unvetted, reason="Checked with the unit head"
    )

    actors.unvetted.refresh_from_db()
    assert actors.unvetted.vetting_status == VettingStatus.VETTED
    assert actors.unvetted.is_vetted
    stored = VettingDecision.objects.get(subject=actors.unvetted)
    assert stored == decision
    assert stored.decided_by == actors.coordinator
    assert stored.decision == VettingDecisionKind.APPROVE
    assert stored.reason == "Checked with the unit head"
    assert stored.decided_at >= before
    assert stored.vetted_until == actors.unvetted.vetted_until
    event = audit_events(audit_actions.VETTING_DECIDED, target=actors.unvetted).get()
    assert event.actor == actors.coordinator
    assert event.actor_agency == actors.coordinator.agency
    assert event.details == {"decision": "approve", "reason": "Checked with the unit head"}


def test_an_approval_lasts_the_vetting_period(actors):
    with override_settings(VETTING_PERIOD_DAYS=30):
        vetting_approve(actor=actors.coordinator, subject=actors.unvetted, reason="ok")
    actors.unvetted.refresh_from_db()
    expected = timezone.now() + timedelta(days=30)
    assert abs(actors.unvetted.vetted_until - expected) < timedelta(minutes=1)


def test_a_coordinator_cannot_vet_a_user_of_another_country(actors):
    spanish_applicant = PendingUserFactory(agency=actors.agency_abroad)

    with pytest.raises(PermissionDenied):
        vetting_approve(actor=actors.coordinator, subject=spanish_applicant, reason="looks fine")

    spanish_applicant.refresh_from_db()
    assert spanish_applicant.vetting_status == VettingStatus.PENDING
    assert not VettingDecision.objects.exists()
    assert not audit_events(audit_actions.VETTING_DECIDED).exists()


@pytest.mark.parametrize("decide", [vetting_renew, vetting_suspend], ids=["renew", "suspend"])
def test_a_coordinator_cannot_take_decisions_about_a_user_abroad(actors, decide):
    with pytest.raises(PermissionDenied):
        decide(actor=actors.coordinator, subject=actors.abroad, reason="no")
    actors.abroad.refresh_from_db()
    assert actors.abroad.vetting_status == VettingStatus.VETTED
    assert not VettingDecision.objects.exists()


def test_a_coordinator_cannot_vet_themselves(actors):
    with pytest.raises(PermissionDenied):
        vetting_renew(actor=actors.coordinator, subject=actors.coordinator, reason="me again")
    assert not VettingDecision.objects.exists()


def test_an_admin_cannot_vet_themselves(actors):
    with pytest.raises(PermissionDenied):
        vetting_renew(actor=actors.admin, subject=actors.admin, reason="me again")
    assert not VettingDecision.objects.exists()


def test_an_admin_can_vet_users_of_any_country(actors):
    spanish_applicant = PendingUserFactory(agency=actors.agency_abroad)
    vetting_approve(actor=actors.admin, subject=spanish_applicant, reason="ok")
    vetting_renew(actor=actors.admin, subject=actors.owner, reason="annual check")
    spanish_applicant.refresh_from_db()
    assert spanish_applicant.is_vetted
    assert VettingDecision.objects.filter(decided_by=actors.admin).count() == 2


def test_a_coordinator_cannot_vet_a_platform_admin(actors):
    with pytest.raises(PermissionDenied):
        vetting_suspend(actor=actors.coordinator, subject=actors.admin, reason="no")


def test_a_coordinator_whose_own_vetting_lapsed_cannot_vet_anyone(actors):
    _expire(actors.coordinator)
    with pytest.raises(PermissionDenied):
        vetting_approve(actor=actors.coordinator, subject=actors.unvetted, reason="ok")
    assert not VettingDecision.objects.exists()


def test_an_investigator_cannot_vet_a_colleague(actors):
    with pytest.raises(PermissionDenied):
        vetting_approve(actor=actors.owner, subject=actors.unvetted, reason="I know them")


@pytest.mark.parametrize("reason", ["", "   \n"], ids=["empty", "blank"])
def test_a_decision_needs_a_reason(actors, reason):
    with pytest.raises(ValidationError) as caught:
        vetting_approve(actor=actors.coordinator, subject=actors.unvetted, reason=reason)
    assert "reason" in caught.value.message_dict
    actors.unvetted.refresh_from_db()
    assert actors.unvetted.vetting_status == VettingStatus.PENDING
    assert not VettingDecision.objects.exists()


def test_a_rejected_user_cannot_sign_in(actors):
    vetting_reject(actor=actors.coordinator, subject=actors.unvetted, reason="not police staff")
    response = attempt_login(actors.unvetted.email)
    assert response.status_code == 200
    assert b"not right" in response.content


# --- Roles ------------------------------------------------------------------------


def test_a_coordinator_cannot_grant_the_admin_role(actors):
    with pytest.raises(PermissionDenied):
        user_set_roles(
            actor=actors.coordinator, subject=actors.owner, roles=[Role.INVESTIGATOR, Role.ADMIN]
        )
    actors.owner.refresh_from_db()
    assert set(actors.owner.groups.values_list("name", flat=True)) == {"investigator"}
    assert not audit_events(audit_actions.ROLE_GRANTED).exists()


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR, Role.OVERSIGHT])
def test_a_coordinator_cannot_invite_an_admin_auditor_or_oversight_user(actors, role):
    with pytest.raises(PermissionDenied):
        user_invite(
            actor=actors.coordinator,
            email="new.admin@nl.example.org",
            full_name="New Admin",
            agency=actors.agency,
            role=role,
        )
    assert not type(actors.owner).objects.filter(email="new.admin@nl.example.org").exists()


def test_a_coordinator_cannot_invite_into_an_agency_abroad(actors):
    with pytest.raises(PermissionDenied):
        user_invite(
            actor=actors.coordinator,
            email="new@es.example.org",
            full_name="Nuevo",
            agency=actors.agency_abroad,
            role=Role.INVESTIGATOR,
        )


def test_a_coordinator_invites_a_pending_investigator_of_their_country(actors):
    invited = user_invite(
        actor=actors.coordinator,
        email="New@NL.example.org",
        full_name="New Colleague",
        agency=actors.agency,
        role=Role.INVESTIGATOR,
    )
    assert invited.email == "new@nl.example.org"
    assert invited.vetting_status == VettingStatus.PENDING
    assert not invited.has_usable_password()
    assert invited.role_names == {"investigator"}
    event = AuditEvent.objects.get(action=audit_actions.USER_INVITED)
    assert event.actor == actors.coordinator
    assert event.details == {"role": "investigator"}


def test_an_admin_grants_the_admin_role(actors):
    user_set_roles(actor=actors.admin, subject=actors.owner, roles=[Role.ADMIN])
    actors.owner.refresh_from_db()
    assert actors.owner.is_platform_admin
    assert audit_events(audit_actions.ROLE_GRANTED, target=actors.owner).get().details == {
        "role": "admin"
    }
    assert audit_events(audit_actions.ROLE_REVOKED, target=actors.owner).get().details == {
        "role": "investigator"
    }


def test_nobody_changes_their_own_roles(actors):
    with pytest.raises(PermissionDenied):
        user_set_roles(
            actor=actors.coordinator,
            subject=actors.coordinator,
            roles=[Role.COORDINATOR, Role.AUDITOR],
        )


# --- Expiry and renewal ---------------------------------------------------------------


def test_a_user_whose_vetting_lapsed_is_no_longer_vetted(actors):
    _expire(actors.owner)
    assert actors.owner.vetting_status == VettingStatus.VETTED
    assert not actors.owner.is_vetted
    assert actors.owner.effective_vetting_status == "expired"
    assert not has_casework_access(actors.owner)


def test_a_user_whose_vetting_lapsed_sees_expired_in_the_api(actors):
    client = api_client_for(actors.owner)  # issued while still vetted
    _expire(actors.owner)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["vetting_status"] == "expired"


def test_a_user_whose_vetting_lapsed_gets_no_casework_on_the_dashboard(actors):
    _expire(actors.owner)
    response = signed_in_client(actors.owner).get("/")
    assert response.status_code == 200
    assert response.context["casework"] is False
    assert b"not vetted yet (or its vetting has lapsed)" in response.content


def test_a_vetted_investigator_has_casework_access(actors):
    assert has_casework_access(actors.owner)


def test_renewal_extends_an_expired_vetting_by_the_vetting_period(actors):
    _expire(actors.owner)
    with override_settings(VETTING_PERIOD_DAYS=200):
        decision = vetting_renew(actor=actors.coordinator, subject=actors.owner, reason="renewed")
    actors.owner.refresh_from_db()
    assert actors.owner.is_vetted
    assert actors.owner.effective_vetting_status == "vetted"
    expected = timezone.now() + timedelta(days=200)
    assert abs(actors.owner.vetted_until - expected) < timedelta(minutes=1)
    assert decision.decision == VettingDecisionKind.RENEW
    assert decision.vetted_until == actors.owner.vetted_until


def test_a_pending_user_cannot_be_renewed(actors):
    with pytest.raises(ValidationError):
        vetting_renew(actor=actors.coordinator, subject=actors.unvetted, reason="renew")


def test_reinstating_a_suspended_user_gives_a_fresh_period(actors):
    vetting_suspend(actor=actors.coordinator, subject=actors.owner, reason="inquiry")
    vetting_reinstate(actor=actors.coordinator, subject=actors.owner, reason="cleared")
    actors.owner.refresh_from_db()
    assert actors.owner.is_vetted
    assert list(
        VettingDecision.objects.filter(subject=actors.owner)
        .order_by("id")
        .values_list("decision", flat=True)
    ) == ["suspend", "reinstate"]


def test_a_user_in_a_new_agency_is_pending_until_vetted(db):
    applicant = PendingUserFactory(agency=AgencyFactory(country="BE"))
    assert applicant.effective_vetting_status == "pending"
    assert not applicant.is_vetted


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.OVERSIGHT, Role.ADMIN])
def test_a_coordinator_cannot_grant_a_role_that_reads_across_countries(actors, role):
    with pytest.raises(PermissionDenied):
        user_set_roles(actor=actors.coordinator, subject=actors.owner, roles=[role])
    actors.owner.refresh_from_db()
    assert set(actors.owner.groups.values_list("name", flat=True)) == {Role.INVESTIGATOR}


def test_a_coordinator_grants_the_coordinator_role_in_their_country(actors):
    user_set_roles(
        actor=actors.coordinator, subject=actors.owner, roles=[Role.INVESTIGATOR, Role.COORDINATOR]
    )
    assert Role.COORDINATOR in type(actors.owner).objects.get(pk=actors.owner.pk).role_names


def test_an_admin_grants_the_auditor_role(actors):
    user_set_roles(actor=actors.admin, subject=actors.owner, roles=[Role.AUDITOR])
    assert type(actors.owner).objects.get(pk=actors.owner.pk).role_names == {Role.AUDITOR}


# --- Which decisions are open from which state -----------------------------------------

DECIDE = {
    "approve": vetting_approve,
    "renew": vetting_renew,
    "reject": vetting_reject,
    "suspend": vetting_suspend,
    "reinstate": vetting_reinstate,
}
# state -> {open decision: the status it leaves}
OPEN = {
    "pending": {"approve": "vetted", "reject": "rejected", "suspend": "suspended"},
    "vetted": {"renew": "vetted", "suspend": "suspended"},
    "expired": {"renew": "vetted", "suspend": "suspended"},
    "rejected": {"approve": "vetted", "suspend": "suspended"},
    "suspended": {"reinstate": "vetted"},
}


def _subject_in(actors, state):
    if state == "pending":
        return actors.unvetted
    if state == "expired":
        _expire(actors.owner)
    elif state != "vetted":
        actors.owner.vetting_status = state
        actors.owner.save(update_fields=["vetting_status"])
    return actors.owner


@pytest.mark.parametrize(
    ("state", "decision"), [(s, d) for s in OPEN for d in DECIDE if d in OPEN[s]]
)
def test_an_open_decision_is_taken(actors, state, decision):
    subject = _subject_in(actors, state)
    assert subject.effective_vetting_status == state
    assert decision in vetting_decisions_open(subject)

    DECIDE[decision](actor=actors.coordinator, subject=subject, reason="checked")

    subject.refresh_from_db()
    assert subject.vetting_status == OPEN[state][decision]
    assert subject.is_vetted is (OPEN[state][decision] == "vetted")
    assert VettingDecision.objects.get(subject=subject).decision == decision


@pytest.mark.parametrize(
    ("state", "decision"), [(s, d) for s in OPEN for d in DECIDE if d not in OPEN[s]]
)
def test_a_decision_not_open_from_the_state_is_refused_on_the_decision(actors, state, decision):
    subject = _subject_in(actors, state)
    assert decision not in vetting_decisions_open(subject)
    before = (subject.vetting_status, subject.vetted_until)

    with pytest.raises(ValidationError) as caught:
        DECIDE[decision](actor=actors.coordinator, subject=subject, reason="checked")

    assert list(caught.value.message_dict) == ["decision"]
    subject.refresh_from_db()
    assert (subject.vetting_status, subject.vetted_until) == before
    assert not VettingDecision.objects.exists()
    assert not audit_events(audit_actions.VETTING_DECIDED).exists()


@pytest.mark.parametrize("state", OPEN)
def test_the_form_offers_exactly_what_the_service_accepts(actors, state):
    from victimid.forms import DecisionForm

    form = DecisionForm(subject=_subject_in(actors, state))
    assert [value for value, _label in form.fields["decision"].choices] == list(OPEN[state])


def test_a_decision_is_judged_on_the_state_stored_now_not_the_one_loaded(actors):
    stale = type(actors.unvetted).objects.get(pk=actors.unvetted.pk)  # loaded while pending
    vetting_approve(actor=actors.admin, subject=actors.unvetted, reason="checked")

    with pytest.raises(ValidationError) as caught:
        vetting_reject(actor=actors.coordinator, subject=stale, reason="not police staff")

    assert "Vetted" in caught.value.message_dict["decision"][0]
    actors.unvetted.refresh_from_db()
    assert actors.unvetted.is_vetted
    assert VettingDecision.objects.filter(subject=actors.unvetted).count() == 1


def test_a_missing_reason_and_a_closed_decision_are_both_named(actors):
    with pytest.raises(ValidationError) as caught:
        vetting_renew(actor=actors.coordinator, subject=actors.unvetted, reason=" ")
    assert set(caught.value.message_dict) == {"decision", "reason"}


def test_vetting_decide_refuses_an_unknown_decision_by_name(actors):
    with pytest.raises(ValidationError) as caught:
        vetting_decide(
            actor=actors.coordinator, subject=actors.unvetted, decision="promote", reason="x"
        )
    assert list(caught.value.message_dict) == ["decision"]
    assert not VettingDecision.objects.exists()
