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


# --- Refusals (ASVS 16.3.2, 16.3.3): one event each, none telling hidden from absent -------


@pytest.fixture
def agency_records(actors):
    return records_at(actors, Distribution.AGENCY)


HIDDEN_AND_ABSENT = [
    ("api", lambda r: f"/api/v1/series/{r.series.code}", "/api/v1/series/SER-2000-999999", "code"),
    ("api", lambda r: f"/api/v1/clues/{r.clue.pk}", "/api/v1/clues/987654321", "pk"),
    (
        "api",
        lambda r: f"/api/v1/victims/{r.victim.code}",
        "/api/v1/victims/VIC-2000-999999",
        "code",
    ),
    ("page", lambda r: f"/series/{r.series.code}/", "/series/SER-2000-999999/", "code"),
    ("page", lambda r: f"/clues/{r.clue.pk}/", "/clues/987654321/", "pk"),
]


@pytest.mark.parametrize(
    ("surface", "hidden", "absent", "parameter"),
    HIDDEN_AND_ABSENT,
    ids=[f"{case[0]} {case[2]}" for case in HIDDEN_AND_ABSENT],
)
def test_a_hidden_record_and_an_absent_one_are_one_refusal_each_and_look_alike(
    actors, agency_records, surface, hidden, absent, parameter
):
    client = signed_in_client(actors.abroad) if surface == "page" else None
    client = client or api_client_for(actors.abroad)
    answers, events = [], []
    for path in (hidden(agency_records), absent):
        since = _head()
        response = client.get(path)
        answers.append(response)
        (event,) = _new_events(since)
        events.append(event)

    assert [answer.status_code for answer in answers] == [404, 404]
    if surface == "api":
        assert answers[0].json() == answers[1].json()  # nothing tells hidden from absent
    for event, path in zip(events, (hidden(agency_records), absent), strict=True):
        assert event.action == actions.ACCESS_REFUSED
        assert event.outcome == "denied"
        assert event.actor == actors.abroad
        assert event.actor_agency_id == actors.abroad.agency_id
        assert event.details["status"] == 404
        assert event.details["method"] == "GET"
        # The identifier asked for, so that an auditor can tell what the user could not.
        assert event.details["requested"][parameter] in path
    assert events[0].details.keys() == events[1].details.keys()


def test_a_visible_record_the_reader_may_not_change_is_one_403_refusal(actors):
    records = records_at(actors, Distribution.COUNTRY)
    client = api_client_for(actors.same_country)
    since = _head()
    response = client.patch(
        f"/api/v1/clues/{records.clue.pk}",
        {"version": records.clue.version, "title": "Renamed by a neighbour"},
        "json",
    )
    assert response.status_code == 403
    (event,) = _new_events(since)
    assert event.action == actions.ACCESS_REFUSED
    assert event.details == {
        "route": "api-clue-detail",
        "method": "PATCH",
        "status": 403,
        "requested": {"pk": str(records.clue.pk)},
    }
    assert "Renamed" not in str(event.details)


def test_a_role_without_casework_refused_by_the_gate_is_one_event(actors, records):
    client = api_client_for(actors.oversight)
    since = _head()
    assert client.get("/api/v1/series").status_code == 403
    (event,) = _new_events(since)
    assert event.action == actions.ACCESS_REFUSED and event.actor == actors.oversight


def test_a_404_outside_casework_is_not_an_access_refusal(actors):
    client = signed_in_client(actors.owner)
    since = _head()
    assert client.get("/no-such-page/").status_code == 404
    assert client.post("/account/sessions/987654/end/", {"token": "x"}).status_code == 404
    assert [e.action for e in _new_events(since)] == []


@pytest.fixture
def limits_on(settings):
    from victimid.ratelimit import reset_counts

    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMIT_REDIS_URL = None
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": (2, 60), "login": (2, 300)}
    reset_counts()
    yield
    reset_counts()


def test_every_429_is_recorded_at_most_once_per_actor_route_and_minute(actors, records, limits_on):
    client = api_client_for(actors.owner)
    page = signed_in_client(actors.owner)
    since = _head()
    statuses = [client.get("/api/v1/clues", {"q": "socket"}).status_code for _ in range(6)]
    assert statuses.count(429) == 4
    limited = [e for e in _new_events(since) if e.action == actions.RATE_LIMITED]
    assert len(limited) == 1  # four refusals in a minute, one event
    (event,) = limited
    assert event.actor == actors.owner and event.outcome == "denied"
    assert event.details["route"] == "api-clue-list"
    assert event.details["limit"] == "search"
    assert event.details["token_prefix"].startswith("vid_")
    assert "socket" not in str(event.details)  # the search terms are not repeated here

    # Another route of the same actor is another event; the same one stays quiet.
    since = _head()
    for _ in range(3):
        page.get("/clues/", {"q": "socket"})
    assert [e.details["route"] for e in _new_events(since) if e.action == actions.RATE_LIMITED] == [
        "clue-search"
    ]


def test_a_sign_in_refused_with_429_names_the_account_typed(actors, limits_on, client):
    for _ in range(2):
        client.post("/login/", {"username": actors.owner.email, "password": "nope"})
    since = _head()
    for _ in range(3):
        assert (
            client.post(
                "/login/", {"username": actors.owner.email, "password": PASSWORD}
            ).status_code
            == 429
        )
    (event,) = _new_events(since)
    assert event.action == actions.RATE_LIMITED
    assert event.actor is None and event.actor_email == actors.owner.email
    assert PASSWORD not in str(event.details)


def test_the_minute_of_a_429_event_is_a_clock_minute():
    from victimid.ratelimit import first_in_minute, reset_counts

    reset_counts()
    assert first_in_minute("user:1:route", now=120.0)
    assert not first_in_minute("user:1:route", now=179.9)
    assert first_in_minute("user:1:route", now=180.0)
    assert first_in_minute("user:2:route", now=180.0)


def test_a_coordinator_refused_a_user_of_another_country_is_one_refusal(actors):
    client = signed_in_client(actors.coordinator)
    since = _head()
    response = client.get(f"/vetting/users/{actors.abroad.pk}/")
    assert response.status_code in (403, 404)
    (event,) = _new_events(since)
    assert event.action == actions.ACCESS_REFUSED and event.actor == actors.coordinator
    assert event.details["route"] == "vetting-user"
    assert event.details["requested"] == {"user_id": str(actors.abroad.pk)}


def test_reading_the_audit_trail_without_the_auditor_role_is_one_refusal(actors):
    api, page = api_client_for(actors.owner), signed_in_client(actors.owner)
    since = _head()
    assert api.get("/api/v1/audit").status_code == 403
    assert page.get("/audit/").status_code == 403
    events = _new_events(since)
    assert [e.action for e in events] == [actions.ACCESS_REFUSED] * 2
    assert {e.details["route"] for e in events} == {"api-audit-list", "audit-list"}
