"""Recording an outcome is never an accident: the kind is asked for, and a summary confirmed.

The identification log is append-only, so the page writes nothing until the recorder has
seen, in words, exactly what will be recorded and confirmed it; the API stays one POST.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils.html import escape

from cases.choices import IdentificationEventKind
from cases.models import IdentificationEvent
from tests.conftest import api_client_for, signed_in_client
from tests.factories import IdentificationEventFactory, VictimFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

IDENTIFIED = IdentificationEventKind.IDENTIFIED
FOLLOW_UP = IdentificationEventKind.FOLLOW_UP


def record(actor, victim, kind, **fields):
    """An event recorded through the service, on 1 November 2026 unless said otherwise."""
    fields.setdefault("occurred_on", datetime.date(2026, 11, 1))
    return IdentificationEventFactory(actor=actor, victim=victim, kind=kind, **fields)


@pytest.fixture
def victim(actors, series):
    return VictimFactory(actor=actors.owner, series=[series])


def _url(victim) -> str:
    return f"/victims/{victim.code}/record/"


def _summary(client, victim, data):
    response = client.post(_url(victim), data)
    assert response.status_code == 200, response.content.decode()[:3000]
    assert response.templates[0].name == "cases/victim_record_outcome_confirm.html"
    return response


def _confirm(data, summary, **changes):
    return {**data, "confirm": "1", "confirmation": summary.context["confirmation"], **changes}


def _recorded() -> int:
    return AuditEvent.objects.filter(action=audit_actions.IDENTIFICATION_EVENT_RECORDED).count()


def test_no_kind_of_event_is_chosen_for_the_recorder(actors, victim):
    page = signed_in_client(actors.owner).get(_url(victim)).content.decode()
    kind = re.search(r'<select name="kind".*?</select>', page, re.S).group(0)
    assert 'value="" selected' in kind
    assert kind.count("selected") == 1
    assert "— choose what happened —" in kind


def test_without_a_kind_the_page_and_the_api_answer_400_naming_it(actors, victim):
    page = signed_in_client(actors.owner).post(_url(victim), {"occurred_on": "2026-10-01"})
    assert page.status_code == 400
    assert page.context["form"].errors["kind"] == ["Choose what happened."]
    api = api_client_for(actors.owner).post(
        f"/api/v1/victims/{victim.code}/events", {"occurred_on": "2026-10-01"}, format="json"
    )
    assert api.status_code == 400
    assert (
        "Say what happened: one of provisionally_identified"
        in api.json()["error"]["fields"]["kind"][0]
    )
    assert not IdentificationEvent.objects.exists()


def test_the_first_post_writes_nothing_and_shows_what_will_be_recorded(actors, victim):
    data = {"kind": "identified", "occurred_on": "2026-10-01", "note": "Named by the school nurse."}
    summary = _summary(signed_in_client(actors.owner), victim, data)
    assert not IdentificationEvent.objects.exists() and _recorded() == 0
    page = summary.content.decode()
    for words in (
        victim.code,
        "Identified",
        "Thursday 1 October 2026",
        "Owning Agency (Netherlands)",
        "Named by the school nurse.",
        "Nothing has been recorded yet.",
        "cannot be changed or deleted",
        "only be corrected",
    ):
        assert escape(words) in page, words
    # The values travel on in hidden fields, with the signed token and a confirm button.
    assert '<input type="hidden" name="kind" value="identified"' in page
    assert '<input type="hidden" name="occurred_on" value="2026-10-01"' in page
    assert 'name="confirmation" value="' in page
    assert 'name="confirm" value="1"' in page


@pytest.mark.parametrize(
    ("data", "shown"),
    [
        (
            {"kind": "referred", "support_service": "psychological"},
            ["Referred to support services", "Kind of support service", "Psychological"],
        ),
        (
            {"kind": "safeguarded", "also_identified": "on"},
            ["2 events will be added", "Event 1 of 2: Identified", "Event 2 of 2: Safeguarded"],
        ),
    ],
)
def test_the_summary_names_the_service_and_every_event(actors, victim, data, shown):
    if data["kind"] == "referred":
        record(actors.owner, victim, IDENTIFIED)
    summary = _summary(
        signed_in_client(actors.owner), victim, {"occurred_on": "2026-10-01", **data}
    )
    page = summary.content.decode()
    assert all(escape(words) in page for words in shown), shown
    assert len(summary.context["events"]) == (2 if "also_identified" in data else 1)


def test_the_summary_of_a_correction_names_the_event_it_corrects(actors, victim):
    event = record(actors.owner, victim, IDENTIFIED)
    data = {"kind": "correction", "corrects": event.pk, "occurred_on": "2026-11-01", "note": "No"}
    page = _summary(signed_in_client(actors.owner), victim, data).content.decode()
    assert escape("Identified of 2026-11-01, recorded by Owning Agency.") in page
    assert "It stays in the log, marked corrected." in page


def test_the_confirmation_writes_exactly_once(actors, victim):
    record(actors.owner, victim, IDENTIFIED)
    client = signed_in_client(actors.owner)
    data = {"kind": "follow_up", "occurred_on": "2026-11-01", "note": "Visited."}
    summary = _summary(client, victim, data)
    confirmed = client.post(_url(victim), _confirm(data, summary))
    assert confirmed.status_code == 302 and confirmed["Location"] == f"/victims/{victim.code}/"
    follow_ups = IdentificationEvent.objects.filter(kind=FOLLOW_UP)
    assert [(e.note, e.recorded_by) for e in follow_ups] == [("Visited.", actors.owner)]
    # The same confirmation again (a double click, a reload): recorded once, and said so.
    again = client.post(_url(victim), _confirm(data, summary), follow=True)
    assert "already recorded; it was recorded once" in again.content.decode()
    assert follow_ups.count() == 1 and _recorded() == 2


def test_a_log_that_changed_since_the_summary_is_not_written_to(actors, victim):
    record(actors.owner, victim, IDENTIFIED)
    client = signed_in_client(actors.owner)
    data = {"kind": "follow_up", "occurred_on": "2026-11-01", "note": "Visited."}
    summary = _summary(client, victim, data)
    record(actors.colleague, victim, FOLLOW_UP, note="Another visit")
    refused = client.post(_url(victim), _confirm(data, summary))
    assert refused.status_code == 409
    assert "changed since you checked it; nothing was recorded" in refused.content.decode()
    assert refused.context["form"]["note"].value() == "Visited."  # kept, to check again
    assert IdentificationEvent.objects.filter(kind=FOLLOW_UP).count() == 1


@pytest.mark.parametrize(
    "tamper",
    [
        {"note": "Something else"},
        {"occurred_on": "2026-10-31"},
        {"kind": "provisionally_identified"},
        {"confirmation": "forged"},
        {"confirmation": ""},
    ],
    ids=["note", "date", "kind", "forged-token", "no-token"],
)
def test_a_confirmation_of_other_values_than_summarised_writes_nothing(actors, victim, tamper):
    client = signed_in_client(actors.owner)
    data = {"kind": "identified", "occurred_on": "2026-10-01", "note": "Named."}
    summary = _summary(client, victim, data)
    refused = client.post(_url(victim), _confirm(data, summary, **tamper))
    assert refused.status_code == 400
    assert "not the ones you were asked to confirm, so nothing was recorded" in (
        refused.content.decode()
    )
    assert not IdentificationEvent.objects.exists()


def test_a_confirmation_made_for_another_person_or_child_writes_nothing(actors, series, victim):
    data = {"kind": "identified", "occurred_on": "2026-10-01", "note": ""}
    summary = _summary(signed_in_client(actors.owner), victim, data)
    colleague = signed_in_client(actors.colleague)
    assert colleague.post(_url(victim), _confirm(data, summary)).status_code == 400
    other = VictimFactory(actor=actors.owner, series=[series])
    assert signed_in_client(actors.owner).post(
        _url(other), _confirm(data, summary)
    ).status_code == (400)
    assert not IdentificationEvent.objects.exists()


def test_a_confirmation_made_invalid_is_refused_by_field(actors, victim):
    client = signed_in_client(actors.owner)
    data = {"kind": "identified", "occurred_on": "2026-10-01", "note": ""}
    summary = _summary(client, victim, data)
    refused = client.post(_url(victim), _confirm(data, summary, occurred_on="soon"))
    assert refused.status_code == 400
    assert refused.context["form"].errors["occurred_on"] == ["Enter a valid date."]
    assert not IdentificationEvent.objects.exists()


def test_changing_the_details_brings_them_back_into_the_form(actors, victim):
    client = signed_in_client(actors.owner)
    data = {"kind": "identified", "occurred_on": "2026-10-01", "note": "Named."}
    summary = _summary(client, victim, data)
    back = client.post(
        _url(victim), {**data, "confirmation": summary.context["confirmation"], "change": "1"}
    )
    assert back.status_code == 200
    assert back.templates[0].name == "cases/victim_record_outcome.html"
    assert back.context["form"]["note"].value() == "Named."
    assert not IdentificationEvent.objects.exists()


def test_the_order_rules_refuse_before_the_summary(actors, victim):
    refused = signed_in_client(actors.owner).post(
        _url(victim), {"kind": "safeguarded", "occurred_on": "2026-10-01"}
    )
    assert refused.status_code == 400
    assert "Record the identification first" in refused.context["form"].errors["kind"][0]


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("follow_up", "support_service", "medical"),
        ("identified", "also_identified", True),
        ("follow_up", "corrects", "EVENT"),
    ],
)
def test_a_field_another_kind_uses_is_refused_by_name_on_the_page_and_in_the_api(
    actors, victim, kind, field, value
):
    event = record(actors.owner, victim, IDENTIFIED) if kind == "follow_up" else None
    if value == "EVENT":
        value = event.pk
    page = signed_in_client(actors.owner).post(
        _url(victim), {"kind": kind, "occurred_on": "2026-11-02", field: value}
    )
    assert page.status_code == 400
    assert "only" in page.context["form"].errors[field][0].lower()
    api = api_client_for(actors.owner).post(
        f"/api/v1/victims/{victim.code}/events",
        {"kind": kind, "occurred_on": "2026-11-02", field: value},
        format="json",
    )
    assert api.status_code == 400
    assert api.json()["error"]["fields"][field] == page.context["form"].errors[field]
    assert IdentificationEvent.objects.count() == (1 if event else 0)


def test_each_kind_only_field_tells_the_page_script_its_kind(actors, victim):
    page = signed_in_client(actors.owner).get(_url(victim)).content.decode()
    assert 'name="support_service" data-shown-with="kind=referred"' in page
    assert 'data-shown-with="kind=correction"' in page
    assert 'data-shown-with="kind=safeguarded"' in page
    assert "cases/dependent_fields.js" in page
