"""Auditors read the audit trail — filtered, an actor's timeline, as CSV — and see only
identifiers, never casework; everyone but auditors and admins is refused."""

from __future__ import annotations

import csv
import io

import pytest

from cases.choices import Distribution
from tests.casework_fixtures import records_at
from tests.conftest import api_client_for, signed_in_client
from victimid import audit_actions as actions
from victimid.models import AuditEvent
from victimid.services.audit import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(actors):
    """The owner and the investigator abroad each read casework; one searches."""
    records = records_at(actors, Distribution.NETWORK)
    owner = api_client_for(actors.owner)
    owner.get(f"/api/v1/series/{records.series.code}")
    owner.get(f"/api/v1/clues/{records.clue.pk}")
    api_client_for(actors.abroad).get("/api/v1/clues", {"q": "cream"})
    return records


def _rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_an_auditor_filters_the_trail_by_actor_and_action(actors, trail):
    client = api_client_for(actors.auditor)
    response = client.get("/api/v1/audit", {"actor": actors.owner.pk, "action": "clue.viewed"})
    assert response.status_code == 200
    (event,) = response.json()["results"]
    assert event["actor"] == actors.owner.pk
    assert event["target_type"] == "cases.clue"
    assert event["target_id"] == str(trail.clue.pk)
    assert event["actor_agency"] == actors.agency.pk


def test_filters_by_agency_family_of_actions_target_and_period(actors, trail):
    client = api_client_for(actors.auditor)
    by_agency = client.get("/api/v1/audit", {"agency": actors.agency_abroad.pk}).json()
    assert {e["actor_agency"] for e in by_agency["results"]} == {actors.agency_abroad.pk}
    family = client.get("/api/v1/audit", {"action": "clue."}).json()["results"]
    assert {e["action"] for e in family} == {
        actions.CLUE_CREATED,
        actions.CLUE_VIEWED,
        actions.CLUE_SEARCHED,
    }
    target = client.get(
        "/api/v1/audit", {"target_type": "cases.series", "target_id": trail.series.code}
    ).json()["results"]
    assert target == []  # series are named by id, not by code
    target = client.get(
        "/api/v1/audit", {"target_type": "cases.series", "target_id": trail.series.pk}
    ).json()["results"]
    assert {e["action"] for e in target} >= {actions.SERIES_VIEWED}
    assert client.get("/api/v1/audit", {"until": "2000-01-01"}).json()["results"] == []
    assert client.get("/api/v1/audit", {"since": "2000-01-01"}).json()["results"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"since": "yesterday"}, "since"), ({"agency": "x"}, "agency"), ({"actr": "1"}, "actr")],
)
def test_a_filter_not_understood_is_a_400_naming_it(actors, query, field):
    response = api_client_for(actors.auditor).get("/api/v1/audit", query)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_the_csv_export_has_identifiers_and_no_casework_text(actors, trail):
    response = api_client_for(actors.auditor).get("/api/v1/audit/export")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert {row["action"] for row in rows} >= {actions.CLUE_VIEWED, actions.CLUE_SEARCHED}
    text = str(rows)
    for content in (trail.series.title, trail.clue.title, trail.clue.description):
        assert content not in text
    assert AuditEvent.objects.filter(action=actions.AUDIT_EXPORTED, actor=actors.auditor).exists()


def test_a_cell_a_spreadsheet_would_run_is_defused(actors):
    audit_record(actor=None, action=actions.LOGIN_FAILED, actor_email="=HYPERLINK(1)@x.org")
    rows = _rows(api_client_for(actors.auditor).get("/api/v1/audit/export"))
    emails = [row["actor_email"] for row in rows if row["action"] == actions.LOGIN_FAILED]
    assert emails == ["'=HYPERLINK(1)@x.org"]


def test_the_audit_page_filters_and_links_the_actor_timeline(actors, trail):
    client = signed_in_client(actors.auditor)
    response = client.get("/audit/", {"actor": actors.owner.email})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'href="/audit/actors/{actors.owner.pk}/"' in page
    assert actions.CLUE_VIEWED in page
    for content in (trail.series.title, trail.clue.title):
        assert content not in page
    timeline = client.get(f"/audit/actors/{actors.owner.pk}/").content.decode()
    assert actions.SERIES_VIEWED in timeline and actions.CLUE_VIEWED in timeline
    assert actions.CLUE_SEARCHED not in timeline  # that was someone else


def test_the_audit_page_names_a_bad_date_next_to_its_field(actors):
    response = signed_in_client(actors.auditor).get("/audit/", {"since": "31/31/2026"})
    assert response.status_code == 400
    assert "since_error" in response.content.decode()


def test_the_page_export_is_csv_with_the_page_filters(actors, trail):
    response = signed_in_client(actors.admin).get("/audit/export.csv", {"action": "clue.viewed"})
    assert response.status_code == 200
    assert {row["action"] for row in _rows(response)} == {actions.CLUE_VIEWED}


def test_reading_the_trail_is_itself_recorded(actors, trail):
    api_client_for(actors.auditor).get("/api/v1/audit", {"action": "auth."})
    event = AuditEvent.objects.filter(action=actions.AUDIT_VIEWED).get()
    assert event.actor == actors.auditor
    assert event.details == {"filters": {"action": "auth."}}


@pytest.mark.parametrize("who", ["owner", "coordinator", "oversight"])
def test_nobody_but_auditors_and_admins_reads_it(actors, who):
    user = getattr(actors, who)
    assert api_client_for(user).get("/api/v1/audit").status_code == 403
    assert signed_in_client(user).get("/audit/").status_code == 403


def test_auditors_see_no_casework(actors, trail):
    client = api_client_for(actors.auditor)
    assert client.get(f"/api/v1/series/{trail.series.code}").status_code == 403
    assert client.get("/api/v1/clues").status_code == 403
