"""The victims API: levels of a child and its series, versions, the append-only log, bad input."""

from __future__ import annotations

import datetime
import itertools

import pytest
from rest_framework.test import APIClient

from cases.choices import Distribution
from cases.models import IdentificationEvent, SeriesFollower, Victim
from cases.services import series_update
from tests.conftest import api_client_for, signed_in_client
from tests.factories import (
    GrantFactory,
    IdentificationEventFactory,
    SeriesFactory,
    SharingGroupFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db

LEVELS = [Distribution.AGENCY, Distribution.COUNTRY, Distribution.GROUP, Distribution.NETWORK]
# Who holds casework access at all (vetted investigators and coordinators).
CASEWORK = {"owner", "colleague", "same_country", "abroad", "coordinator", "coordinator_abroad"}
# Where each actor works: owning agency (A, NL), neighbour agency (B, NL), abroad (C, ES).
AGENCY_OF = {
    "owner": "A",
    "colleague": "A",
    "same_country": "B",
    "coordinator": "B",
    "abroad": "C",
    "coordinator_abroad": "C",
}
COUNTRY_OF = {"A": "NL", "B": "NL", "C": "ES"}
GROUP_MEMBERS = {"A", "C"}  # the sharing group used by every "group" record


def level_admits(level: str, actor: str) -> bool:
    """The design's table, written out independently of the code under test."""
    agency = AGENCY_OF[actor]
    return {
        Distribution.AGENCY: agency == "A",
        Distribution.COUNTRY: COUNTRY_OF[agency] == "NL",
        Distribution.GROUP: agency in GROUP_MEMBERS,
        Distribution.NETWORK: True,
    }[level]


def _client(actors, name):
    """A token client; the unvetted user may hold no token, so it comes with a session."""
    if name != "unvetted":
        return api_client_for(getattr(actors, name) if name else None)
    client = APIClient()
    client.cookies = signed_in_client(actors.unvetted).cookies
    return client


@pytest.mark.parametrize(("series_level", "victim_level"), list(itertools.product(LEVELS, LEVELS)))
def test_a_victim_needs_its_own_level_and_its_series(actors, series_level, victim_level):
    # The route matrix (tests/access_matrix) keeps a child and its series at one level;
    # here every pair of levels, read through the API by every kind of reader.
    group = SharingGroupFactory(actor__agency=actors.agency, members=[actors.agency_abroad])
    series = SeriesFactory(
        actor=actors.owner,
        distribution=series_level,
        sharing_group=group if series_level == Distribution.GROUP else None,
    )
    victim = VictimFactory(
        actor=actors.owner,
        series=[series],
        distribution=victim_level,
        sharing_group=group if victim_level == Distribution.GROUP else None,
    )
    mismatches = []
    for name in sorted(CASEWORK):
        client = _client(actors, name)
        sees = level_admits(series_level, name) and level_admits(victim_level, name)
        retrieved = client.get(f"/api/v1/victims/{victim.code}").status_code
        listed = victim.code in {
            row["code"] for row in client.get("/api/v1/victims").json()["results"]
        }
        if (retrieved, listed) != ((200, True) if sees else (404, False)):
            mismatches.append((name, retrieved, listed))
    assert mismatches == []


def test_an_explicit_grant_admits_a_user_to_an_agency_level_victim(actors):
    series = SeriesFactory(actor=actors.owner, distribution="network")
    victim = VictimFactory(actor=actors.owner, series=[series])
    client = api_client_for(actors.abroad)
    assert client.get(f"/api/v1/victims/{victim.code}").status_code == 404
    GrantFactory(record=victim, user=actors.abroad)
    assert client.get(f"/api/v1/victims/{victim.code}").status_code == 200
    assert (
        client.patch(
            f"/api/v1/victims/{victim.code}", {"version": 1, "age_band": "3-6"}, format="json"
        ).status_code
        == 403
    )


def test_a_victim_in_two_series_lists_only_the_series_the_reader_sees(actors):
    open_series = SeriesFactory(actor=actors.owner, distribution="network")
    closed = SeriesFactory(actor=actors.owner)
    victim = VictimFactory(actor=actors.owner, series=[open_series, closed], distribution="network")
    seen = api_client_for(actors.abroad).get(f"/api/v1/victims/{victim.code}").json()
    assert seen["series"] == [open_series.code]
    own = api_client_for(actors.owner).get(f"/api/v1/victims/{victim.code}").json()
    assert sorted(own["series"]) == sorted([open_series.code, closed.code])
    # Filtering by a series the reader cannot see finds nothing, even for a visible victim.
    listed = api_client_for(actors.abroad).get(f"/api/v1/victims?series={closed.code}").json()
    assert listed["results"] == []


@pytest.mark.parametrize(
    ("actor", "expected"),
    [(None, 401), ("oversight", 403), ("unvetted", 403), ("abroad", 404), ("owner", 201)],
)
def test_following_a_series(actors, actor, expected):
    series = SeriesFactory(actor=actors.owner)
    client = _client(actors, actor)
    response = client.post(f"/api/v1/series/{series.code}/follow")
    assert response.status_code == expected
    assert SeriesFollower.objects.filter(series=series).exists() == (expected == 201)
    if expected == 201:
        assert client.post(f"/api/v1/series/{series.code}/follow").status_code == 200
        assert client.delete(f"/api/v1/series/{series.code}/follow").status_code == 204
        assert not SeriesFollower.objects.exists()


def test_create_retrieve_filter_and_update_with_versions(actors):
    series, other = SeriesFactory.create_batch(2, actor=actors.owner)
    client = api_client_for(actors.owner)
    created = client.post(
        "/api/v1/victims",
        {"series": [series.code], "age_band": "7-10", "distribution": "agency"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["code"].startswith("VIC-") and body["status"] == "unidentified"
    code = body["code"]
    assert client.get(f"/api/v1/victims?series={series.code}").json()["results"][0]["code"] == code
    assert client.get(f"/api/v1/victims?series={other.code}").json()["results"] == []
    assert client.get("/api/v1/victims?status=identified").json()["results"] == []
    bad = client.get("/api/v1/victims?status=happy")
    assert bad.status_code == 400 and "status" in bad.json()["error"]["fields"]

    changed = client.patch(
        f"/api/v1/victims/{code}",
        {"version": 1, "series": [series.code, other.code], "age_band": "11-13"},
        format="json",
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["version"] == 2
    assert sorted(changed.json()["series"]) == sorted([series.code, other.code])
    stale = client.patch(
        f"/api/v1/victims/{code}", {"version": 1, "age_band": "0-2"}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["current_version"] == 2
    assert Victim.objects.get(code=code).age_band == "11-13"

    recorded = client.post(
        f"/api/v1/victims/{code}/events",
        {"kind": "safeguarded", "occurred_on": "2026-10-02", "also_identified": True},
        format="json",
    )
    assert recorded.status_code == 201, recorded.json()
    events = recorded.json()["events"]
    assert [event["kind"] for event in events] == ["identified", "safeguarded"]
    assert events[0]["agency"] == actors.agency.name
    assert events[0]["support_service"] is None
    assert client.get(f"/api/v1/victims/{code}").json()["status"] == "safeguarded"
    listed = client.get("/api/v1/victims?status=safeguarded").json()["results"]
    assert [row["code"] for row in listed] == [code]


def test_the_log_cannot_be_changed_over_http(actors):
    victim = VictimFactory(actor=actors.owner)
    event = IdentificationEventFactory(victim=victim)
    client = api_client_for(actors.owner)
    url = f"/api/v1/victims/{victim.code}/events"
    for method in ("put", "patch", "delete"):
        assert (
            getattr(client, method)(url, {"kind": "identified"}, format="json").status_code == 405
        )
    assert client.put(f"/api/v1/victims/{victim.code}", {}, format="json").status_code == 405
    assert client.delete(f"/api/v1/victims/{victim.code}").status_code == 405
    assert IdentificationEvent.objects.get().occurred_on == event.occurred_on


def test_a_correction_over_http_marks_the_event_corrected(actors):
    victim = VictimFactory(actor=actors.owner)
    event = IdentificationEventFactory(victim=victim)
    client = api_client_for(actors.owner)
    url = f"/api/v1/victims/{victim.code}/events"
    response = client.post(
        url,
        {"kind": "correction", "occurred_on": "2026-10-03", "corrects": event.pk, "note": "Wrong"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    log = {row["id"]: row for row in client.get(url).json()["results"]}
    assert log[event.pk]["corrected"] is True
    assert log[response.json()["events"][0]["id"]]["corrects"] == event.pk
    assert client.get(f"/api/v1/victims/{victim.code}").json()["status"] == "unidentified"


FUTURE = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"series": []}, "series"),
        ({"series": ["SER-1999-999999"]}, "series"),
        ({"series": "SER"}, "series"),
        ({"age_band": "twelve"}, "age_band"),
        ({"notes": "mother: jane.doe@example.org"}, "notes"),
        ({"notes": "x" * 2001}, "notes"),
        ({"distribution": "group"}, "sharing_group"),
        ({"distribution": "planet"}, "distribution"),
    ],
)
def test_bad_victims_are_refused_and_nothing_is_written(actors, payload, field):
    series = SeriesFactory(actor=actors.owner)
    body = {"series": [series.code], **payload}
    response = api_client_for(actors.owner).post("/api/v1/victims", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Victim.objects.exists()


def test_a_series_the_creator_cannot_see_is_unknown(actors):
    hidden = SeriesFactory(actor=actors.abroad)
    response = api_client_for(actors.owner).post(
        "/api/v1/victims", {"series": [hidden.code]}, format="json"
    )
    assert response.status_code == 400
    assert "that you can see" in response.json()["error"]["fields"]["series"][0]
    assert not Victim.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        ({"kind": "safeguarded"}, "kind", "identification first"),
        ({"kind": "identified", "occurred_on": FUTURE}, "occurred_on", "future"),
        ({"kind": "referred"}, "support_service", "kind of support service"),
        ({"kind": "correction", "note": "x"}, "corrects", "Choose the event of this child"),
        ({"kind": "correction", "corrects": 999999, "note": "x"}, "corrects", "No such event"),
        ({"kind": "identified", "occurred_on": "yesterday"}, "occurred_on", ""),
        ({"kind": "seen"}, "kind", ""),
        ({"kind": "identified", "note": "https://facebook.com/some.child"}, "note", "personal"),
    ],
)
def test_bad_events_answer_400_with_the_reason_and_write_nothing(actors, payload, field, reason):
    victim = VictimFactory(actor=actors.owner)
    body = {"occurred_on": "2026-10-01", **payload}
    response = api_client_for(actors.owner).post(
        f"/api/v1/victims/{victim.code}/events", body, format="json"
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert field in error["fields"]
    assert reason in " ".join(error["fields"][field])
    assert not IdentificationEvent.objects.exists()


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_stay_flat_as_victims_grow(actors):
    both = SeriesFactory.create_batch(2, actor=actors.owner)
    client = api_client_for(actors.owner)
    VictimFactory(actor=actors.owner, series=both)
    _count_queries(client, "/api/v1/victims")  # warm up: the first call stamps the token
    few = _count_queries(client, "/api/v1/victims")
    for _ in range(6):
        victim = VictimFactory(actor=actors.owner, series=both)
        IdentificationEventFactory(victim=victim)
    assert _count_queries(client, "/api/v1/victims") == few
    events_few = _count_queries(client, f"/api/v1/victims/{victim.code}/events")
    IdentificationEventFactory(victim=victim, kind="follow_up")
    IdentificationEventFactory(victim=victim, kind="referred", support_service="legal")
    assert _count_queries(client, f"/api/v1/victims/{victim.code}/events") == events_few


def test_a_sharing_group_alone_is_refused(actors):
    series = SeriesFactory(actor=actors.owner)
    victim = VictimFactory(actor=actors.owner, series=[series])
    group = SharingGroupFactory(actor__agency=actors.agency, members=[actors.agency_abroad])
    response = api_client_for(actors.owner).patch(
        f"/api/v1/victims/{victim.code}", {"version": 1, "sharing_group": group.pk}, format="json"
    )
    assert response.status_code == 400
    assert "distribution" in response.json()["error"]["fields"]
    moved = api_client_for(actors.owner).patch(
        f"/api/v1/victims/{victim.code}",
        {"version": 1, "distribution": "group", "sharing_group": group.pk},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["distribution"] == "group"
    # Now the group member abroad sees it; the neighbour agency does not.
    assert api_client_for(actors.abroad).get(f"/api/v1/victims/{victim.code}").status_code == 404
    series_update(actor=actors.owner, series=series, version=1, distribution="network")
    assert api_client_for(actors.abroad).get(f"/api/v1/victims/{victim.code}").status_code == 200
    assert (
        api_client_for(actors.same_country).get(f"/api/v1/victims/{victim.code}").status_code == 404
    )


def test_only_the_recording_agency_or_the_owner_may_correct_over_http(actors):
    series = SeriesFactory(actor=actors.owner, distribution="network")
    victim = VictimFactory(actor=actors.owner, series=[series], distribution="network")
    event = IdentificationEventFactory(actor=actors.abroad, victim=victim)
    body = {"kind": "correction", "occurred_on": "2026-10-03", "corrects": event.pk, "note": "No"}
    url = f"/api/v1/victims/{victim.code}/events"
    refused = api_client_for(actors.same_country).post(url, body, format="json")
    assert refused.status_code == 403
    assert IdentificationEvent.objects.count() == 1
    assert api_client_for(actors.abroad).post(url, body, format="json").status_code == 201


def test_the_old_addresses_with_a_trailing_slash_are_gone(actors):
    victim = VictimFactory(actor=actors.owner)
    client = api_client_for(actors.owner)
    for url in ("/api/v1/victims/", f"/api/v1/victims/{victim.code}/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"/api/v1/victims/{victim.code}").status_code == 200


def test_a_referral_names_its_service_and_other_events_answer_null(actors):
    victim = VictimFactory(actor=actors.owner)
    client = api_client_for(actors.owner)
    url = f"/api/v1/victims/{victim.code}/events"
    identified = client.post(
        url,
        {"kind": "identified", "occurred_on": "2026-10-01", "support_service": None},
        format="json",
    )
    assert identified.status_code == 201, identified.json()
    assert identified.json()["events"][0]["support_service"] is None
    referred = client.post(
        url,
        {"kind": "referred", "occurred_on": "2026-10-02", "support_service": "legal"},
        format="json",
    )
    assert referred.status_code == 201, referred.json()
    assert [event["support_service"] for event in referred.json()["events"]] == ["legal"]
    listed = client.get(url).json()["results"]
    assert [event["support_service"] for event in listed] == ["legal", None]
    assert IdentificationEvent.objects.get(kind="identified").support_service == ""
