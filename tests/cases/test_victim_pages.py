"""The victims pages: who reaches them, and what they write."""

from __future__ import annotations

import pytest

from cases.models import IdentificationEvent, SeriesFollower, Victim
from tests.conftest import signed_in_client
from tests.factories import (
    IdentificationEventFactory,
    SeriesFactory,
    SharingGroupFactory,
    VictimFactory,
)

pytestmark = pytest.mark.django_db


def record_through_page(client, victim, data):
    """Fill in the outcome form, then confirm the summary it answers, as a person would.

    Returns the answer to the confirmation (or to the form, when it refused the details).
    """
    url = f"/victims/{victim.code}/record/"
    summary = client.post(url, data)
    if summary.status_code != 200:
        return summary
    return client.post(
        url, {**data, "confirm": "1", "confirmation": summary.context["confirmation"]}
    )


@pytest.fixture
def series(actors):
    """An agency-level series: the agency abroad does not see it."""
    return SeriesFactory(actor=actors.owner)


@pytest.fixture
def victim(actors, series):
    return VictimFactory(actor=actors.owner, series=[series])


def test_the_nav_offers_victims_to_casework_users_only(actors):
    assert b'href="/victims/"' in signed_in_client(actors.owner).get("/").content
    assert b'href="/victims/"' not in signed_in_client(actors.oversight).get("/").content


def test_registering_a_victim_through_the_form(actors, series):
    client = signed_in_client(actors.owner)
    response = client.post(
        "/victims/new/",
        {"series_codes": series.code.lower(), "age_band": "3-6", "distribution": "agency"},
    )
    victim = Victim.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/victims/{victim.code}/"
    assert victim.age_band == "3-6"
    assert list(victim.series.all()) == [series]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"series_codes": "SER-1999-000001"}, "series_codes", "that you can see"),
        ({"series_codes": " , ; "}, "series_codes", "at least one series"),
        ({"notes": "lives at www.facebook.com/someone"}, "notes", "personal page"),
        ({"notes": "call +31 20 555 0199"}, "notes", "telephone number"),
        ({"notes": "x" * 2001}, "notes", "At most 2,000 characters; this has 2,001."),
        ({"distribution": "group"}, "sharing_group", "sharing group"),
        ({"age_band": "twelve"}, "age_band", "valid choice"),
    ],
)
def test_the_form_refuses_bad_input_next_to_the_field_and_writes_nothing(
    actors, series, fields, field, message
):
    data = {"series_codes": series.code, "age_band": "unknown", "distribution": "agency", **fields}
    response = signed_in_client(actors.owner).post("/victims/new/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors[field]), errors
    assert message in response.content.decode()
    assert not Victim.objects.exists()


def test_a_sharing_group_of_other_agencies_is_not_a_choice(actors, series):
    foreign = SharingGroupFactory(actor=actors.coordinator_abroad, name="Elsewhere")
    data = {
        "series_codes": series.code,
        "age_band": "unknown",
        "distribution": "group",
        "sharing_group": foreign.pk,
    }
    response = signed_in_client(actors.owner).post("/victims/new/", data)
    # The form offers only the agency's own groups: the choice itself is refused.
    assert response.status_code == 400
    assert response.context["form"].errors["sharing_group"]
    assert not Victim.objects.exists()


def test_a_service_refusal_of_the_series_shows_next_to_the_series_codes(
    actors, series, monkeypatch
):
    # The form finds no fault (the series was hidden between the form and the write).
    from django.core.exceptions import ValidationError

    from cases.views import victims as victim_views

    def refuse(**_arguments):
        raise ValidationError({"series": ["Refused by the service."]})

    monkeypatch.setattr(victim_views, "victim_create", refuse)
    data = {"series_codes": series.code, "age_band": "unknown", "distribution": "agency"}
    response = signed_in_client(actors.owner).post("/victims/new/", data)
    assert response.status_code == 400
    assert response.context["form"].errors["series_codes"] == ["Refused by the service."]


def test_recording_outcomes_shows_them_in_the_timeline_and_summary(actors, series, victim):
    client = signed_in_client(actors.owner)
    refused = client.post(
        f"/victims/{victim.code}/record/", {"kind": "safeguarded", "occurred_on": "2026-10-01"}
    )
    assert refused.status_code == 400
    assert "identification first" in " ".join(refused.context["form"].errors["kind"])
    assert not IdentificationEvent.objects.exists()

    ok = record_through_page(
        client,
        victim,
        {"kind": "safeguarded", "occurred_on": "2026-10-01", "also_identified": "on"},
    )
    assert ok.status_code == 302
    page = client.get(f"/victims/{victim.code}/").content.decode()
    assert "Safeguarded" in page and "Identified" in page
    assert 'data-testid="summary-safeguarded">1 of 1' in page


def test_a_corrected_event_stays_in_the_timeline_marked(actors, victim):
    event = IdentificationEventFactory(victim=victim)
    client = signed_in_client(actors.owner)
    response = record_through_page(
        client,
        victim,
        {"kind": "correction", "occurred_on": "2026-10-02", "corrects": event.pk, "note": "Wrong"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(f"/victims/{victim.code}/").content.decode()
    assert 'class="event corrected" data-kind="identified"' in page
    assert "Not yet identified" in page


def test_the_list_filtered_by_series_shows_its_summary_and_follows(actors, series, victim):
    IdentificationEventFactory(victim=victim, kind="safeguarded", also_identified=True)
    client = signed_in_client(actors.colleague)
    page = client.get(f"/victims/?series={series.code}").content.decode()
    assert 'data-testid="summary-identified">1 of 1' in page
    assert "Every child known in this series is identified." in page
    client.post(f"/victims/series/{series.code}/follow/", {"follow": "1"})
    assert SeriesFollower.objects.filter(user=actors.colleague, series=series).exists()
    client.post(f"/victims/series/{series.code}/follow/", {"follow": "0"})
    assert not SeriesFollower.objects.exists()
    assert (
        signed_in_client(actors.abroad)
        .post(f"/victims/series/{series.code}/follow/", {"follow": "1"})
        .status_code
        == 404
    )


def test_the_owner_changes_a_victim_and_a_stale_form_loses_nothing(actors, series, victim):
    other = SeriesFactory(actor=actors.owner)
    client = signed_in_client(actors.colleague)
    form = client.get(f"/victims/{victim.code}/edit/")
    assert form.status_code == 200 and series.code in form.content.decode()
    data = {
        "version": 1,
        "series_codes": f"{series.code}, {other.code}",
        "age_band": "14-15",
        "distribution": "agency",
        "notes": "",
    }
    assert client.post(f"/victims/{victim.code}/edit/", data).status_code == 302
    victim.refresh_from_db()
    assert (victim.age_band, victim.version) == ("14-15", 2)
    assert set(victim.series.all()) == {series, other}
    stale = client.post(f"/victims/{victim.code}/edit/", {**data, "age_band": "0-2"})
    assert stale.status_code == 409 and "changed this child&#x27;s record" in stale.content.decode()
    assert stale.context["form"]["age_band"].value() == "0-2"  # what they typed is kept
    victim.refresh_from_db()
    assert (victim.age_band, victim.version) == ("14-15", 2)


def test_an_invalid_change_answers_400_naming_the_field_and_changes_nothing(actors, victim):
    client = signed_in_client(actors.owner)
    data = {
        "version": 1,
        "series_codes": victim.series.get().code,
        "age_band": "3-6",
        "distribution": "agency",
        "notes": "her e-mail is someone@example.org",
    }
    response = client.post(f"/victims/{victim.code}/edit/", data)
    assert response.status_code == 400
    assert "e-mail address" in " ".join(response.context["form"].errors["notes"])
    victim.refresh_from_db()
    assert (victim.age_band, victim.version, victim.notes) == ("unknown", 1, "")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"note": "data:image/png;base64,iVBORw0KGgo"}, "note", "no images"),
        ({"note": "reach her at someone@example.org"}, "note", "e-mail address"),
        ({"kind": "referred"}, "support_service", "kind of support service"),
        ({"occurred_on": "yesterday"}, "occurred_on", "valid date"),
        ({"kind": "seen"}, "kind", "valid choice"),
    ],
)
def test_a_bad_outcome_answers_400_next_to_the_field_and_writes_nothing(
    actors, victim, fields, field, message
):
    IdentificationEventFactory(victim=victim)
    data = {"kind": "follow_up", "occurred_on": "2026-10-02", **fields}
    response = signed_in_client(actors.owner).post(f"/victims/{victim.code}/record/", data)
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert IdentificationEvent.objects.count() == 1


def test_correcting_another_agencys_event_is_refused_with_403(actors):
    series = SeriesFactory(actor=actors.owner, distribution="network")
    victim = VictimFactory(actor=actors.owner, series=[series], distribution="network")
    event = IdentificationEventFactory(actor=actors.abroad, victim=victim)
    response = signed_in_client(actors.same_country).post(
        f"/victims/{victim.code}/record/",
        {"kind": "correction", "occurred_on": "2026-10-02", "corrects": event.pk, "note": "No"},
    )
    assert response.status_code == 403
    assert "Only the agency that recorded an event" in response.content.decode()
    assert IdentificationEvent.objects.count() == 1


def test_an_invalid_filter_answers_400_instead_of_listing_everything(actors, victim):
    response = signed_in_client(actors.owner).get("/victims/", {"status": "happy"})
    assert response.status_code == 400
    assert response.context["form"].errors["status"]
    assert victim.code not in response.content.decode()


def test_following_returns_to_the_page_it_was_asked_from_but_never_elsewhere(actors, series):
    client = signed_in_client(actors.owner)
    url = f"/victims/series/{series.code}/follow/"
    back = f"http://testserver/series/{series.code}/"
    assert client.post(url, {"follow": "1"}, HTTP_REFERER=back)["Location"] == back
    elsewhere = client.post(url, {"follow": "0", "next": "https://evil.example/"})
    assert elsewhere["Location"] == f"/victims/?series={series.code}"
