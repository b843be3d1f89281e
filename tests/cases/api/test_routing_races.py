"""Routing requests closed at the same moment from two sides: one wins, no half state."""

from __future__ import annotations

import pytest

from cases.models import Assessment, RoutingRequest
from cases.services import clue_route, routing_pass
from tests.cases.api.test_concurrency import _race
from tests.conftest import api_client_for
from victimid.models import Notification, NotificationKind

# Real commits, two database connections (one per thread).
pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = {"verdict": "unsure", "attributions": [], "comment": ""}


def test_two_answers_at_once_close_the_request_once(actors, hidden_clue):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    routing_pass(actor=actors.coordinator_abroad, request=request, assignee=actors.abroad)
    url = f"/api/v1/clues/{hidden_clue.pk}/assessments"
    coordinator = api_client_for(actors.coordinator_abroad)
    investigator = api_client_for(actors.abroad)

    statuses = _race(
        [
            lambda: coordinator.post(url, ANSWER, format="json"),
            lambda: investigator.post(url, ANSWER, format="json"),
        ]
    )

    # Both saw the clue when they asked; one answer closes the request, the other stays
    # an assessment (or is refused as not found when the request closed first).
    assert statuses in ([201, 201], [201, 404]), statuses
    request.refresh_from_db()
    assert request.status == "answered" and request.closed_at == request.answered_at
    assert request.answer_id in set(Assessment.objects.values_list("pk", flat=True))
    answered = Notification.objects.filter(kind=NotificationKind.ROUTING_ANSWERED)
    assert [n.recipient_id for n in answered] == [actors.owner.pk]


def test_an_answer_and_a_withdrawal_at_once_leave_one_of_them(actors, hidden_clue):
    (request,) = clue_route(actor=actors.owner, clue=hidden_clue, countries=["ES"])
    coordinator = api_client_for(actors.coordinator_abroad)
    owner = api_client_for(actors.owner)

    statuses = _race(
        [
            lambda: coordinator.post(
                f"/api/v1/clues/{hidden_clue.pk}/assessments", ANSWER, format="json"
            ),
            lambda: owner.post(f"/api/v1/routing-requests/{request.pk}/withdraw"),
        ]
    )

    request.refresh_from_db()
    assert all(status < 500 for status in statuses), statuses
    if request.status == "withdrawn":
        assert request.answer_id is None and request.answered_at is None
    else:
        assert request.status == "answered" and request.answer_id is not None
        assert 400 in statuses  # the withdrawal found it closed
    assert not RoutingRequest.objects.filter(status="open").exists()
