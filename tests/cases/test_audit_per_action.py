"""One user action, one audit event: a page or an API call that reads casework, a write, a
sign-in, each leaves exactly the events named here — no more (a series page once wrote
three), no fewer — with the identifiers an auditor needs and no casework content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from cases.choices import Distribution
from tests.casework_fixtures import records_at
from tests.conftest import api_client_for, signed_in_client
from tests.factories import PASSWORD
from victimid import audit_actions as actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Action:
    name: str
    surface: str  # "page" or "api"
    method: str
    path: Callable[[Any], str]
    expected: list[str]
    body: Callable[[Any], dict[str, Any]] | None = None
    query: dict[str, str] | None = None


def _series(r: Any) -> str:
    return r.series.code


ACTIONS = [
    Action("series list page", "page", "get", lambda r: "/series/", [actions.SERIES_LISTED]),
    Action(
        "series page", "page", "get", lambda r: f"/series/{_series(r)}/", [actions.SERIES_VIEWED]
    ),
    Action("clue page", "page", "get", lambda r: f"/clues/{r.clue.pk}/", [actions.CLUE_VIEWED]),
    Action(
        "clue search page",
        "page",
        "get",
        lambda r: "/clues/",
        [actions.CLUE_SEARCHED],
        query={"q": "socket"},
    ),
    Action("clue listing page", "page", "get", lambda r: "/clues/", [actions.CLUE_LISTED]),
    Action("child list page", "page", "get", lambda r: "/victims/", [actions.VICTIMS_LISTED]),
    Action(
        "child page",
        "page",
        "get",
        lambda r: f"/victims/{r.victim.code}/",
        [actions.VICTIM_VIEWED],
    ),
    Action("series list", "api", "get", lambda r: "/api/v1/series", [actions.SERIES_LISTED]),
    Action(
        "series detail",
        "api",
        "get",
        lambda r: f"/api/v1/series/{_series(r)}",
        [actions.SERIES_VIEWED],
    ),
    Action(
        "series hashes",
        "api",
        "get",
        lambda r: f"/api/v1/series/{_series(r)}/hashes",
        [actions.HASHES_LISTED],
    ),
    Action("clue list", "api", "get", lambda r: "/api/v1/clues", [actions.CLUE_LISTED]),
    Action(
        "clue search",
        "api",
        "get",
        lambda r: "/api/v1/clues",
        [actions.CLUE_SEARCHED],
        query={"q": "socket"},
    ),
    Action(
        "clue detail", "api", "get", lambda r: f"/api/v1/clues/{r.clue.pk}", [actions.CLUE_VIEWED]
    ),
    Action("child list", "api", "get", lambda r: "/api/v1/victims", [actions.VICTIMS_LISTED]),
    Action(
        "child detail",
        "api",
        "get",
        lambda r: f"/api/v1/victims/{r.victim.code}",
        [actions.VICTIM_VIEWED],
    ),
    Action(
        "child events",
        "api",
        "get",
        lambda r: f"/api/v1/victims/{r.victim.code}/events",
        [actions.IDENTIFICATION_EVENTS_LISTED],
    ),
    Action(
        "series create",
        "api",
        "post",
        lambda r: "/api/v1/series",
        [actions.SERIES_CREATED],
        body=lambda r: {"title": "New room", "distribution": "agency"},
    ),
    Action(
        "clue update",
        "api",
        "patch",
        lambda r: f"/api/v1/clues/{r.clue.pk}",
        [actions.CLUE_UPDATED],
        body=lambda r: {"version": r.clue.version, "title": "Renamed socket"},
    ),
    Action(
        "follow a series page",
        "page",
        "post",
        lambda r: f"/victims/series/{_series(r)}/follow/",
        [actions.SERIES_FOLLOWED],
    ),
    Action(
        "hashes add page",
        "page",
        "post",
        lambda r: f"/series/{_series(r)}/hashes/",
        [actions.HASHES_ADDED],
        body=lambda r: {"lines": "md5:0123456789abcdef0123456789abcdef", "vics_category": "0"},
    ),
    Action(
        "clue delete page",
        "page",
        "post",
        lambda r: f"/clues/{r.clue.pk}/delete/",
        [actions.CLUE_DELETED],
        body=lambda r: {"confirm": "yes"},
    ),
    Action(
        "clue edit form",
        "page",
        "get",
        lambda r: f"/clues/{r.clue.pk}/edit/",
        [actions.CLUE_VIEWED],
    ),
]


@pytest.fixture
def records(actors):
    return records_at(actors, Distribution.NETWORK)


def _new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(sequence__gt=since).order_by("sequence"))


def _head() -> int:
    return AuditEvent.objects.order_by("-sequence").values_list("sequence", flat=True).first() or 0


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: f"{a.surface} {a.name}")
def test_each_action_is_recorded_once(actors, records, action):
    client = signed_in_client(actors.owner) if action.surface == "page" else None
    client = client or api_client_for(actors.owner)
    since = _head()
    call = getattr(client, action.method)
    if action.method == "get":
        response = call(action.path(records), action.query)
    elif action.surface == "api":
        response = call(action.path(records), action.body(records) if action.body else {}, "json")
    else:
        response = call(action.path(records), action.body(records) if action.body else {})
    assert response.status_code < 400, response.content[:300]
    events = _new_events(since)
    assert [event.action for event in events] == action.expected
    event = events[0]
    assert event.actor == actors.owner
    assert event.actor_agency_id == actors.owner.agency_id
    assert event.source_ip == "127.0.0.1"
    assert event.request_id
    assert event.occurred_at.utcoffset().total_seconds() == 0
    # Identifiers only: no clue text in the record of anything.
    assert "recessed wall socket" not in str(event.details).lower()


def test_a_search_records_its_terms_and_filters_but_no_clue_text(actors, records):
    client = api_client_for(actors.owner)
    since = _head()
    client.get("/api/v1/clues", {"q": "cream socket", "status": "open"})
    (event,) = _new_events(since)
    assert event.action == actions.CLUE_SEARCHED
    assert event.details["filters"] == {"q": "cream socket", "status": "open"}
    assert "result_count" not in event.details or isinstance(event.details["result_count"], int)


def test_hash_values_are_never_written_into_the_audit_trail(actors, records):
    value = "d41d8cd98f00b204e9800998ecf8427e"
    client = api_client_for(actors.owner)
    since = _head()
    client.post(
        f"/api/v1/series/{records.series.code}/hashes",
        {"entries": [{"algorithm": "md5", "value": value}]},
        format="json",
    )
    events = _new_events(since)
    assert [event.action for event in events] == [actions.HASHES_ADDED]
    assert value not in str(events[0].details)


def test_signing_in_with_a_second_factor_is_two_events_one_each(actors):
    since = _head()
    signed_in_client(actors.owner)
    assert [e.action for e in _new_events(since)] == [actions.LOGIN, actions.MFA_VERIFIED]


def test_a_failed_sign_in_is_one_event(actors, client):
    since = _head()
    client.post("/login/", {"username": actors.owner.email, "password": PASSWORD + "x"})
    assert [e.action for e in _new_events(since)] == [actions.LOGIN_FAILED]


def test_a_refused_token_is_one_failure_event_naming_only_its_prefix(actors, records):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer vid_notarealtokenatallxxxxxxxxxxxx")
    since = _head()
    assert client.get("/api/v1/series").status_code == 401
    (event,) = _new_events(since)
    assert event.action == actions.TOKEN_REFUSED
    assert event.outcome == "failure"
    assert event.details == {"prefix": "vid_notare"}
