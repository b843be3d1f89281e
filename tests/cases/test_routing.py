"""Routing a clue to other countries: the rule that shares it, queues, pass-on, overdue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cases import access
from cases.choices import Distribution, Verdict
from cases.models import Assessment, RoutingRequest
from cases.selectors import routing_queue
from cases.services import (
    assessment_create,
    clue_route,
    routing_pass,
    routing_proposed_countries,
    routing_withdraw,
)
from tests.conftest import api_client_for, signed_in_client
from tests.factories import ClueFactory, UserFactory
from victimid.choices import Role
from victimid.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db


def _sees(user, clue) -> bool:
    return access.can_view(user, clue)


def test_countries_are_proposed_from_hypotheses_then_languages(actors, clue):
    # The clue: Dutch, NL (high) and BE (low); NL is the owner's own country.
    assert routing_proposed_countries(clue) == ["BE", "SR"]


def test_routing_shares_the_clue_with_the_asked_countrys_coordinators_only(actors, hidden_clue):
    assert not _sees(actors.coordinator_abroad, hidden_clue)
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["es"])
    assert (str(request.country), request.status, request.asked_by) == ("ES", "open", actors.owner)
    assert _sees(actors.coordinator_abroad, hidden_clue)
    # Not its series, not an investigator of the same country, not another country's coordinator.
    assert not _sees(actors.coordinator_abroad, hidden_clue.series)
    assert not _sees(actors.abroad, hidden_clue)
    assert not _sees(actors.coordinator, hidden_clue)
    assert list(routing_queue(actor=actors.coordinator_abroad)) == [request]
    assert list(routing_queue(actor=actors.coordinator)) == []


def test_passing_shares_it_with_the_investigator_and_answering_withdraws_it(
    actors, hidden_clue, django_capture_on_commit_callbacks
):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.abroad)
    request.refresh_from_db()
    assert request.assignee == actors.abroad and request.passed_at is not None
    assert _sees(actors.abroad, hidden_clue)
    assert list(routing_queue(actor=actors.abroad)) == [request]
    with django_capture_on_commit_callbacks(execute=True):
        assessment = assessment_create(
            actor=actors.abroad,
            clue=hidden_clue,
            verdict=Verdict.RECOGNISED,
            attributions=[("ES", "Seville", "high")],
        )
    request.refresh_from_db()
    assert request.status == "answered" and request.answer == assessment
    assert request.asked_at <= request.answered_at == request.closed_at
    # The request that shared the clue is closed: withdrawn from both.
    assert not _sees(actors.abroad, hidden_clue)
    assert not _sees(actors.coordinator_abroad, hidden_clue)
    # Its author sees the answer and hears of it once, as an answer.
    assert _sees(actors.owner, assessment)
    told = Notification.objects.filter(recipient=actors.owner)
    assert [n.kind for n in told] == [NotificationKind.ROUTING_ANSWERED]
    assert "Spain answered your request" in told[0].message


def test_withdrawing_a_request_withdraws_the_access(actors, hidden_clue):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.abroad)
    routing_withdraw(actor=actors.colleague, request=request)
    request.refresh_from_db()
    assert request.status == "withdrawn" and request.closed_at is not None
    assert not _sees(actors.coordinator_abroad, hidden_clue)
    assert not _sees(actors.abroad, hidden_clue)
    with pytest.raises(ValidationError):
        routing_withdraw(actor=actors.owner, request=request)


def test_an_assessment_by_someone_else_of_the_country_does_not_answer(actors, clue):
    (request,) = clue_route(actor=actors.owner, clue=clue, countries=["ES"])
    # The network-level clue is visible to the investigator abroad, who was not asked.
    assessment_create(actor=actors.abroad, clue=clue, verdict=Verdict.UNSURE)
    request.refresh_from_db()
    assert request.status == "open"
    assessment_create(actor=actors.coordinator_abroad, clue=clue, verdict=Verdict.UNSURE)
    request.refresh_from_db()
    assert request.status == "answered"


def test_only_the_owning_agency_routes_its_clue(actors, clue, hidden_clue):
    with pytest.raises(PermissionDenied):
        clue_route(actor=actors.abroad, clue=clue, countries=["ES"])
    with pytest.raises(Http404):
        clue_route(actor=actors.abroad, clue=hidden_clue, countries=["ES"])
    with pytest.raises(PermissionDenied):
        clue_route(actor=actors.oversight, clue=clue, countries=["ES"])
    assert not RoutingRequest.objects.exists()


@pytest.mark.parametrize(
    "countries",
    [[], ["XX"], ["PT"], ["ES", "es", "xx"]],
    ids=["none", "unknown", "no-coordinator-there", "one-bad"],
)
def test_bad_routing_is_refused_and_nothing_written(actors, clue, countries):
    with pytest.raises(ValidationError) as refused:
        clue_route(actor=actors.owner, clue=clue, countries=countries)
    assert "countries" in refused.value.message_dict
    assert not RoutingRequest.objects.exists()


def test_a_country_is_asked_once_while_open(actors, clue):
    clue_route(actor=actors.owner, clue=clue, countries=["ES"])
    with pytest.raises(ValidationError):
        clue_route(actor=actors.owner, clue=clue, countries=["ES"])
    assert RoutingRequest.objects.count() == 1


def test_only_a_coordinator_of_the_asked_country_passes_to_one_of_its_own(actors, hidden_clue):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    with pytest.raises(Http404):  # the NL coordinator does not even see it
        routing_pass(actor=actors.coordinator, request=request, assignee=actors.abroad)
    with pytest.raises(ValidationError):
        routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.owner)
    network = ClueFactory(actor=actors.owner, distribution=Distribution.NETWORK)
    (visible,) = clue_route(actor=actors.owner, clue=network, countries=["ES"])
    with pytest.raises(PermissionDenied):  # sees it, but is no coordinator of Spain
        routing_pass(actor=actors.abroad, request=visible, assignee=actors.abroad)


def test_overdue_requests_stand_out_after_the_set_period(actors, hidden_clue, settings):
    settings.ROUTING_OVERDUE_DAYS = 14
    old, fresh = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES", "NL"])
    RoutingRequest.objects.filter(pk=old.pk).update(asked_at=timezone.now() - timedelta(days=15))
    old.refresh_from_db()
    assert old.is_overdue and not fresh.is_overdue
    page = signed_in_client(actors.coordinator_abroad).get(reverse("routing-queue"))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-overdue="yes"' in text and "1 request is overdue." in text
    settings.ROUTING_OVERDUE_DAYS = 30
    old.refresh_from_db()
    assert not old.is_overdue


# --- Who hears of it: every kind, with outsiders -------------------------------------------


def test_only_the_asked_countrys_coordinators_hear_of_a_request(
    actors, hidden_clue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    told = Notification.objects.filter(kind=NotificationKind.ROUTING_REQUESTED)
    assert {n.recipient for n in told} == {actors.coordinator_abroad}
    # Outsiders (the investigator abroad, another country's coordinator) hear nothing.
    assert not Notification.objects.filter(
        recipient__in=[actors.abroad, actors.coordinator, actors.same_country]
    ).exists()
    assert "Attic room" not in told[0].message  # the series stays hidden from them


def test_only_the_investigator_passed_to_hears_of_it(
    actors, hidden_clue, django_capture_on_commit_callbacks
):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    spanish_colleague = UserFactory(agency=actors.agency_abroad)
    with django_capture_on_commit_callbacks(execute=True):
        routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.abroad)
    told = Notification.objects.filter(kind=NotificationKind.ROUTING_PASSED)
    assert [n.recipient for n in told] == [actors.abroad]
    assert not Notification.objects.filter(recipient=spanish_colleague).exists()
    assert "Attic room" not in told[0].message


def test_an_answer_reaches_only_the_asker(actors, clue, django_capture_on_commit_callbacks):
    (request,) = clue_route(actor=actors.colleague, clue=clue, countries=["ES"])
    with django_capture_on_commit_callbacks(execute=True):
        assessment_create(actor=actors.coordinator_abroad, clue=clue, verdict=Verdict.UNSURE)
    answered = Notification.objects.filter(kind=NotificationKind.ROUTING_ANSWERED)
    assert [n.recipient for n in answered] == [actors.colleague]
    assert not Notification.objects.filter(
        kind=NotificationKind.ROUTING_ANSWERED, recipient__in=[actors.abroad, actors.coordinator]
    ).exists()


# --- Pages and API -------------------------------------------------------------------------


def test_the_owner_asks_from_the_clue_page_and_sees_it_in_the_grant_section(actors, hidden_clue):
    client = signed_in_client(actors.owner)
    url = reverse("clue-detail", args=[hidden_clue.pk])
    assert b"Ask other countries" in client.get(url).content
    response = client.post(
        reverse("clue-route", args=[hidden_clue.pk]), {"countries": ["ES"], "question": "Stove?"}
    )
    assert response.status_code == 302
    text = client.get(url).content.decode()
    assert 'data-testid="routing-grants"' in text and "The coordinators of Spain see" in text
    refused = client.post(reverse("clue-route", args=[hidden_clue.pk]), {"other_country": "PT"})
    assert refused.status_code == 400
    assert "no coordinator on VictimID" in refused.content.decode()


def test_the_routed_coordinator_reads_the_clue_but_not_its_series_title(actors, hidden_clue):
    clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    client = signed_in_client(actors.coordinator_abroad)
    page = client.get(reverse("clue-detail", args=[hidden_clue.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert hidden_clue.title in text and "Attic room" not in text
    assert 'data-testid="routed-clue"' in text
    assert client.get(reverse("series-detail", args=[hidden_clue.series.code])).status_code == 404
    answer = client.post(
        reverse("clue-assess", args=[hidden_clue.pk]),
        {"verdict": "unsure", **{f"confidence_{n}": "low" for n in (1, 2, 3)}},
    )
    assert answer.status_code == 302 and answer["Location"] == reverse("routing-queue")
    assert client.get(reverse("clue-detail", args=[hidden_clue.pk])).status_code == 404


def test_the_api_routes_queues_passes_and_withdraws(actors, hidden_clue):
    owner = api_client_for(actors.owner)
    url = reverse("api-clue-routing", args=[hidden_clue.pk])
    assert owner.get(url).json()["proposed_countries"][:2] == ["ES", "MX"]
    created = owner.post(url, {"countries": ["ES"]}, format="json")
    assert created.status_code == 201, created.content
    (request,) = created.json()
    coordinator = api_client_for(actors.coordinator_abroad)
    queue = coordinator.get(reverse("api-routing-queue")).json()
    assert [r["id"] for r in queue["results"]] == [request["id"]]
    assert queue["results"][0]["clue_title"] == hidden_clue.title
    passed = coordinator.post(
        reverse("api-routing-pass", args=[request["id"]]), {"user": actors.abroad.pk}, format="json"
    )
    assert passed.status_code == 200 and passed.json()["passed_to"] == actors.abroad.email
    bad = coordinator.post(
        reverse("api-routing-pass", args=[request["id"]]), {"user": 10**9}, format="json"
    )
    assert bad.status_code == 400
    assert (
        coordinator.post(reverse("api-routing-withdraw", args=[request["id"]])).status_code == 403
    )
    withdrawn = owner.post(reverse("api-routing-withdraw", args=[request["id"]]))
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert coordinator.get(reverse("api-routing-queue")).json()["results"] == []
    assert coordinator.get(reverse("api-clue-detail", args=[hidden_clue.pk])).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"countries": "ES"},
        {"countries": [1]},
        {"countries": ["ES"], "extra": 1},
        {"countries": ["XX"]},
    ],
)
def test_the_api_refuses_bad_routing_with_400(actors, clue, body):
    response = api_client_for(actors.owner).post(
        reverse("api-clue-routing", args=[clue.pk]), body, format="json"
    )
    assert response.status_code == 400, response.content
    assert not RoutingRequest.objects.exists()


def test_a_bad_queue_status_is_a_400(actors):
    response = api_client_for(actors.coordinator).get(reverse("api-routing-queue"), {"status": "x"})
    assert response.status_code == 400


def test_the_routing_rule_is_a_row_of_the_access_table():
    from cases.access.rules import rule_for

    routes = rule_for("cases.Clue").routes
    assert routes is not None and routes.link == "cases.RoutingRequest"
    assert rule_for("cases.RoutingRequest").parents[0].parent == "cases.Clue"
    assert Role.COORDINATOR  # the role that holds the routed keys
    assert Assessment  # answers are assessments
