"""The "Grant access" section of the series, clue and victim pages: the owning agency's only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.access import grant_models
from cases.models import Clue, ClueAgencyGrant, Series, SeriesAgencyGrant, Victim, VictimAgencyGrant
from tests.casework_fixtures import Records
from tests.conftest import signed_in_client
from tests.factories import GrantFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def _record(records: Records, resource: str) -> Series | Clue | Victim:
    return {"series": records.series, "clues": records.clue, "victims": records.victim}[resource]


def _address(records: Records, resource: str) -> str | int:
    record = _record(records, resource)
    return record.pk if isinstance(record, Clue) else record.code


# URL names of each kind of record's page, grant form and revoke form.
ROUTES = {
    "series": ("series-detail", "series-grant-add", "series-grant-revoke"),
    "clues": ("clue-detail", "clue-grant-add", "clue-grant-revoke"),
    "victims": ("victim-detail", "victim-grant-add", "victim-grant-revoke"),
}


def _page(records: Records, resource: str) -> str:
    return reverse(ROUTES[resource][0], args=[_address(records, resource)])


def _add_url(records: Records, resource: str) -> str:
    return reverse(ROUTES[resource][1], args=[_address(records, resource)])


def _revoke_url(records: Records, resource: str, key: str) -> str:
    return reverse(ROUTES[resource][2], args=[_address(records, resource), key])


def _granted(record: Series | Clue | Victim, agency) -> bool:
    agency_grants = grant_models(record)[1]
    return agency_grants.objects.filter(
        content_object=record, group=agency.permission_group
    ).exists()


RESOURCES = ["series", "clues", "victims"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_grant_actions_only_take_posts(actors, country_level, resource):
    client = signed_in_client(actors.owner)
    assert client.get(_add_url(country_level, resource)).status_code == 405
    key = f"agency-{actors.agency_abroad.pk}"
    assert client.get(_revoke_url(country_level, resource, key)).status_code == 405


# --- The section on the page -----------------------------------------------------------------


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_section_shows_to_the_owning_agency_only(actors, country_level, resource):
    GrantFactory(record=_record(country_level, resource), agency=actors.agency_abroad)
    for who in ("owner", "colleague"):
        body = signed_in_client(getattr(actors, who)).get(_page(country_level, resource))
        assert b"Grant access" in body.content
        if resource == "series":
            assert b"People at Agency Abroad (Spain) will see this series" in body.content
        else:  # its country-level series stays hidden abroad, and the owner is told
            assert b"Granted to Agency Abroad (Spain)." in body.content
            assert b"Not in effect:" in body.content
        if resource == "victims":
            assert b"cannot see any series this child appears in" in body.content
    reader = signed_in_client(actors.same_country).get(_page(country_level, resource))
    assert reader.status_code == 200
    assert b"Grant access" not in reader.content
    assert b"Agency Abroad" not in reader.content


@pytest.mark.parametrize("resource", RESOURCES)
def test_the_agency_choice_lists_other_agencies_by_country(actors, country_level, resource):
    response = signed_in_client(actors.owner).get(_page(country_level, resource))
    html = response.content.decode()
    assert '<label for="id_agency">' in html and '<label for="id_user">' in html
    assert '<optgroup label="Spain">' in html and '<optgroup label="Netherlands">' in html
    form = response.context["grant_section"]["form"]
    offered = set(form.fields["agency"].queryset)
    assert actors.agency not in offered
    assert {actors.agency_abroad, actors.agency_same_country} <= offered
    assert " style=" not in html and "<script>" not in html


def test_a_grant_from_the_page_shows_the_series_abroad_and_withdrawing_hides_it(
    actors, agency_level
):
    owner, abroad = signed_in_client(actors.owner), signed_in_client(actors.abroad)
    page = _page(agency_level, "series")
    assert abroad.get(page).status_code == 404

    response = owner.post(
        _add_url(agency_level, "series"), {"agency": actors.agency_abroad.pk}, follow=True
    )
    assert response.redirect_chain == [(page, 302)]
    assert (
        b"People at Agency Abroad (Spain) will see this series even though its level would "
        b"not show it to them." in response.content
    )
    assert abroad.get(page).status_code == 200
    assert agency_level.series.code.encode() in abroad.get(reverse("series-list")).content
    assert AuditEvent.objects.filter(
        action=audit_actions.GRANT_ADDED, actor=actors.owner, target_id=str(agency_level.series.pk)
    ).exists()

    owner.post(_revoke_url(agency_level, "series", f"agency-{actors.agency_abroad.pk}"))
    assert abroad.get(page).status_code == 404
    assert agency_level.series.code.encode() not in abroad.get(reverse("series-list")).content
    assert AuditEvent.objects.filter(
        action=audit_actions.GRANT_REVOKED, target_id=str(agency_level.series.pk)
    ).exists()


def test_a_grant_to_one_person_by_e_mail(actors, agency_level):
    owner = signed_in_client(actors.owner)
    response = owner.post(
        _add_url(agency_level, "clues"), {"user": "Abroad@ES.example.org"}, follow=True
    )
    assert response.status_code == 200
    # The clue's series is agency-level too: the page warns that the grant shows nothing yet.
    assert b"cannot see series" in response.content
    assert b"Not in effect:" in response.content
    assert signed_in_client(actors.abroad).get(_page(agency_level, "clues")).status_code == 404

    GrantFactory(record=agency_level.series, user=actors.abroad)
    assert signed_in_client(actors.abroad).get(_page(agency_level, "clues")).status_code == 200
    assert b"Not in effect:" not in owner.get(_page(agency_level, "clues")).content


def test_granting_a_clue_whose_series_the_agency_cannot_see_warns_the_owner(actors, agency_level):
    response = signed_in_client(actors.owner).post(
        _add_url(agency_level, "clues"), {"agency": actors.agency_abroad.pk}, follow=True
    )
    html = response.content.decode()
    assert (
        f"People at Agency Abroad cannot see series {agency_level.series.code}, so they will "
        "not see this clue until that series is shared with them too."
    ) in html
    assert ClueAgencyGrant.objects.filter(content_object=agency_level.clue).exists()
    abroad = signed_in_client(actors.abroad)
    assert abroad.get(_page(agency_level, "clues")).status_code == 404
    assert agency_level.clue.title.encode() not in abroad.get(reverse("clue-search")).content


def test_a_grant_from_the_victim_page_shows_the_victim_once_a_series_is_shared_too(
    actors, agency_level
):
    owner, abroad = signed_in_client(actors.owner), signed_in_client(actors.abroad)
    page = _page(agency_level, "victims")
    response = owner.post(
        _add_url(agency_level, "victims"), {"agency": actors.agency_abroad.pk}, follow=True
    )
    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert (
        "People at Agency Abroad cannot see any series this child appears in, so they will "
        "not see this child&#x27;s record until one of those series is shared with them too."
    ) in html
    assert agency_level.series.code not in html.split("Grant access")[1]
    assert VictimAgencyGrant.objects.filter(content_object=agency_level.victim).exists()
    assert abroad.get(page).status_code == 404

    GrantFactory(record=agency_level.series, agency=actors.agency_abroad)
    assert abroad.get(page).status_code == 200
    assert agency_level.victim.code.encode() in abroad.get(reverse("victim-list")).content
    section = owner.get(page).content
    assert (
        b"People at Agency Abroad (Spain) will see this child&#x27;s record even though its level "
        b"would not show it to them." in section
    )
    assert b"Not in effect:" not in section
    assert b"Grant access" not in abroad.get(page).content


def test_a_repeat_grant_changes_nothing(actors, agency_level):
    owner = signed_in_client(actors.owner)
    body = {"agency": actors.agency_abroad.pk}
    owner.post(_add_url(agency_level, "series"), body)
    response = owner.post(_add_url(agency_level, "series"), body, follow=True)
    assert b"already in place" in response.content
    assert SeriesAgencyGrant.objects.filter(content_object=agency_level.series).count() == 1
    assert AuditEvent.objects.filter(action=audit_actions.GRANT_ADDED).count() == 1


# --- Bad input: the page again with the problem named, and nothing written --------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"user": "nobody@nowhere.example.org"}, "user"),
        ({"user": "pending@nl.example.org"}, "user"),
        ({"user": "colleague@nl.example.org"}, "user"),
        ({"user": "not an address"}, "user"),
        ({"agency": "999999999"}, "agency"),
        ({"agency": "own"}, "agency"),
        ({}, None),
        ({"agency": "abroad", "user": "abroad@es.example.org"}, None),
    ],
)
@pytest.mark.parametrize("resource", RESOURCES)
def test_bad_grants_show_the_form_again_and_write_nothing(
    actors, agency_level, resource, body, field
):
    agencies = {"own": str(actors.agency.pk), "abroad": str(actors.agency_abroad.pk)}
    body = {key: agencies.get(value, value) for key, value in body.items()}
    client = signed_in_client(actors.owner)
    before = AuditEvent.objects.filter(action=audit_actions.GRANT_ADDED).count()
    response = client.post(_add_url(agency_level, resource), body)
    assert response.status_code == 400
    form = response.context["grant_section"]["form"]
    assert form.errors
    if field is None:
        assert form.non_field_errors()
    else:
        assert form.errors[field]
    assert b"Please correct the following" in response.content
    record = _record(agency_level, resource)
    user_grants, agency_grants, _codename = grant_models(record)
    assert not user_grants.objects.filter(content_object=record).exists()
    assert not agency_grants.objects.filter(content_object=record).exists()
    assert AuditEvent.objects.filter(action=audit_actions.GRANT_ADDED).count() == before


def test_withdrawing_a_grant_that_does_not_exist_answers_not_found(actors, agency_level):
    client = signed_in_client(actors.owner)
    for key in ("agency-0", "user-0", "nonsense", "agency-" + "9" * 40):
        assert client.post(_revoke_url(agency_level, "series", key)).status_code == 404
