"""Explicit grants through the API: only the owning agency lists, makes and withdraws them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.access import grant_models
from cases.models import Clue, Series, Victim
from tests.casework_fixtures import Records
from tests.conftest import api_client_for
from tests.factories import ClueFactory, GrantFactory, SeriesFactory, VictimFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def _grants_url(records: Records, resource: str) -> str:
    if resource == "series":
        return reverse("api-series-grants", kwargs={"code": records.series.code})
    if resource == "victims":
        return reverse("api-victim-grants", kwargs={"code": records.victim.code})
    return reverse("api-clue-grants", kwargs={"pk": records.clue.pk})


def _grant_url(records: Records, resource: str, key: str) -> str:
    if resource == "series":
        return reverse("api-series-grant", kwargs={"code": records.series.code, "key": key})
    if resource == "victims":
        return reverse("api-victim-grant", kwargs={"code": records.victim.code, "key": key})
    return reverse("api-clue-grant", kwargs={"pk": records.clue.pk, "key": key})


def _record(records: Records, resource: str) -> Series | Clue | Victim:
    return {"series": records.series, "clues": records.clue, "victims": records.victim}[resource]


def _grant_rows(record: Series | Clue | Victim) -> int:
    user_grants, agency_grants, _codename = grant_models(record)
    return (
        user_grants.objects.filter(content_object=record).count()
        + agency_grants.objects.filter(content_object=record).count()
    )


def _error_fields(response) -> dict:
    assert set(response.json()) == {"error"}
    return response.json()["error"].get("fields", {})


RESOURCES = ["series", "clues", "victims"]


# --- What a grant does -----------------------------------------------------------------------


def test_a_grant_to_an_agency_abroad_shows_the_series_there_and_a_revoke_hides_it(actors):
    series = SeriesFactory(actor=actors.owner, title="Attic with skylight")
    owner, abroad = api_client_for(actors.owner), api_client_for(actors.coordinator_abroad)
    url = reverse("api-series-grants", kwargs={"code": series.code})

    def codes() -> list[str]:
        return [item["code"] for item in abroad.get(reverse("api-series-list")).json()["results"]]

    assert series.code not in codes()
    made = owner.post(url, {"agency": actors.agency_abroad.pk}, format="json")
    assert made.status_code == 201
    grant = made.json()
    assert grant["kind"] == "agency" and grant["user"] is None
    assert grant["agency"] == {
        "id": actors.agency_abroad.pk,
        "name": "Agency Abroad",
        "country": "ES",
    }
    assert grant["granted_at"] and grant["sees_record"] is True and grant["warning"] is None
    assert series.code in codes()
    detail = abroad.get(reverse("api-series-detail", kwargs={"code": series.code}))
    assert detail.status_code == 200

    revoked = owner.delete(f"{url}/{grant['key']}")
    assert revoked.status_code == 204
    assert series.code not in codes()
    assert abroad.get(reverse("api-series-detail", kwargs={"code": series.code})).status_code == 404


def test_a_grant_to_one_person_shows_it_to_them_and_not_to_their_colleagues(actors):
    series = SeriesFactory(actor=actors.owner, title="Attic with skylight")
    url = reverse("api-series-grants", kwargs={"code": series.code})
    made = api_client_for(actors.owner).post(url, {"user": "ABROAD@es.example.org"}, format="json")
    assert made.status_code == 201
    assert made.json()["user"] == "abroad@es.example.org"
    assert made.json()["key"] == f"user-{actors.abroad.pk}"
    assert made.json()["agency"]["name"] == "Agency Abroad"
    detail = reverse("api-series-detail", kwargs={"code": series.code})
    assert api_client_for(actors.abroad).get(detail).status_code == 200
    assert api_client_for(actors.coordinator_abroad).get(detail).status_code == 404


def test_granting_and_revoking_are_audited_and_a_repeat_grant_writes_nothing(actors):
    series = SeriesFactory(actor=actors.owner, title="Attic with skylight")
    client = api_client_for(actors.owner)
    url = reverse("api-series-grants", kwargs={"code": series.code})
    body = {"agency": actors.agency_abroad.pk}

    assert client.post(url, body, format="json").status_code == 201
    again = client.post(url, body, format="json")
    assert again.status_code == 200
    assert again.json()["key"] == f"agency-{actors.agency_abroad.pk}"
    assert _grant_rows(series) == 1
    added = AuditEvent.objects.filter(action=audit_actions.GRANT_ADDED, target_id=str(series.pk))
    assert added.count() == 1
    assert added.get().actor == actors.owner
    assert added.get().details["agency"] == actors.agency_abroad.pk

    assert client.delete(f"{url}/agency-{actors.agency_abroad.pk}").status_code == 204
    assert client.delete(f"{url}/agency-{actors.agency_abroad.pk}").status_code == 404
    revoked = AuditEvent.objects.filter(
        action=audit_actions.GRANT_REVOKED, target_id=str(series.pk)
    )
    assert revoked.count() == 1


def test_a_clue_granted_abroad_stays_hidden_while_its_series_is_hidden(actors):
    series = SeriesFactory(actor=actors.owner, title="Attic with skylight")
    clue = ClueFactory(
        series=series,
        title="Skylight latch",
        description="A brass latch on the skylight.",
        distribution="agency",
    )
    owner, abroad = api_client_for(actors.owner), api_client_for(actors.abroad)
    url = reverse("api-clue-grants", kwargs={"pk": clue.pk})
    clue_url = reverse("api-clue-detail", kwargs={"pk": clue.pk})

    made = owner.post(url, {"agency": actors.agency_abroad.pk}, format="json")
    assert made.status_code == 201
    assert made.json()["sees_record"] is False
    assert series.code in made.json()["warning"]
    assert abroad.get(clue_url).status_code == 404
    assert clue.pk not in [c["id"] for c in abroad.get(reverse("api-clue-list")).json()["results"]]

    GrantFactory(record=series, agency=actors.agency_abroad)
    assert abroad.get(clue_url).status_code == 200
    listed = owner.get(url).json()
    assert [(grant["sees_record"], grant["warning"]) for grant in listed] == [(True, None)]


def test_a_victim_granted_abroad_stays_hidden_while_none_of_its_series_is_visible(actors):
    hidden = SeriesFactory(actor=actors.owner, title="Attic with skylight")
    also_hidden = SeriesFactory(actor=actors.owner, title="Cellar", distribution="country")
    victim = VictimFactory(actor=actors.owner, series=[hidden, also_hidden])
    owner, abroad = api_client_for(actors.owner), api_client_for(actors.abroad)
    url = reverse("api-victim-grants", kwargs={"code": victim.code})
    victim_url = reverse("api-victim-detail", kwargs={"code": victim.code})

    made = owner.post(url, {"user": actors.abroad.email}, format="json")
    assert made.status_code == 201
    assert made.json()["sees_record"] is False
    warning = made.json()["warning"]
    assert "cannot see any series this child appears in" in warning
    assert hidden.code not in warning and also_hidden.code not in warning
    assert abroad.get(victim_url).status_code == 404
    assert victim.code not in [v["code"] for v in abroad.get("/api/v1/victims").json()["results"]]

    GrantFactory(record=also_hidden, user=actors.abroad)
    seen = abroad.get(victim_url)
    assert seen.status_code == 200
    assert seen.json()["series"] == [also_hidden.code]  # the other series stays unnamed
    listed = owner.get(url).json()
    assert [(grant["sees_record"], grant["warning"]) for grant in listed] == [(True, None)]
    assert abroad.patch(victim_url, {"version": 1, "notes": "x"}, format="json").status_code == 403


# --- Bad input: 400 with the field named, and nothing written --------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"agency": 999999999}, "agency"),
        ({"agency": "many"}, "agency"),
        ({"user": "nobody@nowhere.example.org"}, "user"),
        ({"user": "pending@nl.example.org"}, "user"),  # not vetted
        ({"user": "oversight@int.example.org"}, "user"),  # no casework role
        ({"user": "colleague@nl.example.org"}, "user"),  # already sees it
        ({"user": ""}, "user"),
        ({"user": ["abroad@es.example.org"]}, "user"),
        ({}, "non_field_errors"),
        ({"agency": "own"}, "agency"),  # the owner's own agency: already sees it
        ({"agency": "abroad", "user": "abroad@es.example.org"}, "non_field_errors"),
    ],
)
@pytest.mark.parametrize("resource", RESOURCES)
def test_bad_grants_are_refused_with_the_field_named_and_nothing_written(
    actors, country_level, resource, body, field
):
    agencies = {"own": actors.agency.pk, "abroad": actors.agency_abroad.pk}
    body = {
        key: agencies.get(value, value) if key == "agency" else value for key, value in body.items()
    }
    client = api_client_for(actors.owner)
    before = AuditEvent.objects.count()
    response = client.post(_grants_url(country_level, resource), body, format="json")
    assert response.status_code == 400, response.content
    assert field in _error_fields(response)
    assert _grant_rows(_record(country_level, resource)) == 0
    assert AuditEvent.objects.count() == before


def test_the_own_agency_is_refused_in_plain_words(actors, country_level):
    response = api_client_for(actors.owner).post(
        _grants_url(country_level, "series"), {"agency": actors.agency.pk}, format="json"
    )
    assert _error_fields(response)["agency"] == ["Your agency already sees it."]


@pytest.mark.parametrize(
    "key", ["agency-0", "user-0", "agency-", "agency", "group-1", "user-1x", "agency-" + "9" * 30]
)
def test_revoking_a_grant_that_does_not_exist_answers_not_found(actors, country_level, key):
    response = api_client_for(actors.owner).delete(_grant_url(country_level, "series", key))
    assert response.status_code == 404
    assert set(response.json()) == {"error"}


def test_a_suspended_grantee_is_listed_as_seeing_nothing(actors):
    series = SeriesFactory(actor=actors.owner, title="Attic with skylight")
    GrantFactory(record=series, user=actors.abroad)
    actors.abroad.is_active = False
    actors.abroad.save(update_fields=["is_active"])
    listed = api_client_for(actors.owner).get(
        reverse("api-series-grants", kwargs={"code": series.code})
    )
    assert [grant["sees_record"] for grant in listed.json()] == [False]
    assert "abroad@es.example.org" in listed.json()[0]["warning"]


def test_what_an_agency_sees_follows_level_country_group_and_agency_grants_only(actors, task_force):
    from cases.access import agency_can_view

    agency_level = SeriesFactory(actor=actors.owner, title="Shed")
    country = SeriesFactory(actor=actors.owner, title="Shed", distribution="country")
    group = SeriesFactory(
        actor=actors.owner, title="Shed", distribution="group", sharing_group=task_force
    )
    assert agency_can_view(actors.agency, agency_level)
    assert not agency_can_view(actors.agency_same_country, agency_level)
    assert agency_can_view(actors.agency_same_country, country)
    assert not agency_can_view(actors.agency_abroad, country)
    assert agency_can_view(actors.agency_abroad, group)  # the task force's member abroad
    assert not agency_can_view(actors.agency_same_country, group)
    # A personal grant is that person's, not their agency's.
    GrantFactory(record=agency_level, user=actors.abroad)
    assert not agency_can_view(actors.agency_abroad, agency_level)
    GrantFactory(record=agency_level, agency=actors.agency_abroad)
    assert agency_can_view(actors.agency_abroad, agency_level)
