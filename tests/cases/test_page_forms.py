"""Creating and editing series, clues and hashes through the web forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.choices import Distribution
from cases.models import Clue, ClueTaxonomyNode, KnownHash, Series
from cases.services import clue_update, series_update
from tests.conftest import signed_in_client
from tests.factories import ClueFactory, KnownHashFactory, SeriesFactory, SharingGroupFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def _clue_form(**overrides: str) -> dict[str, str]:
    data = {
        "taxonomy_node": str(ClueTaxonomyNode.objects.get(slug="sockets").pk),
        "title": "Cream recessed socket",
        "description": "A recessed wall socket with two earthing clips.",
        "languages": ["nld", "deu"],
        "other_languages": "lim",
        "country_1": "NL",
        "confidence_1": "high",
        "country_2": "BE",
        "confidence_2": "low",
        "country_3": "",
        "confidence_3": "medium",
        "place_text": "",
        "latitude": "",
        "longitude": "",
        "radius_km": "",
        "time_from": "2024-01-01",
        "time_to": "2024-06-30",
        "status": "open",
        "distribution": "country",
        "sharing_group": "",
    }
    data.update(overrides)
    return data


def _series_form(series: Series | None = None, **overrides: str) -> dict[str, str]:
    data = {
        "title": "Harbour room",
        "status": "active",
        "first_seen": "2025-03-01",
        "summary": "Indoor scenes, Dutch speech.",
        "distribution": "country",
        "sharing_group": "",
    }
    if series is not None:
        data["version"] = str(series.version)
    data.update(overrides)
    return data


# --- Series --------------------------------------------------------------------------


def test_an_investigator_creates_a_series_through_the_form(actors):
    client = signed_in_client(actors.owner)
    page = client.get(reverse("series-create"))
    assert b"Every vetted user at any agency in your country will see this." in page.content

    response = client.post(reverse("series-create"), _series_form())

    series = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("series-detail", args=[series.code])
    assert (series.agency, series.distribution, series.title) == (
        actors.agency,
        Distribution.COUNTRY,
        "Harbour room",
    )
    assert AuditEvent.objects.filter(
        action=audit_actions.SERIES_CREATED, target_id=str(series.pk)
    ).exists()
    detail = client.get(response["Location"])
    assert b"Harbour room" in detail.content
    assert b"Vetted users in my country" in detail.content


def test_a_series_title_with_an_email_address_is_refused_next_to_the_field(actors):
    response = signed_in_client(actors.owner).post(
        reverse("series-create"), _series_form(title="Room of jan@example.org")
    )
    assert response.status_code == 400
    assert not Series.objects.exists()
    assert response.context["form"].errors["title"] == [
        "Remove the e-mail address; describe, do not identify."
    ]
    assert b"Please correct the following" in response.content


def test_the_group_level_needs_a_sharing_group(actors):
    response = signed_in_client(actors.owner).post(
        reverse("series-create"), _series_form(distribution="group")
    )
    assert response.status_code == 400
    assert "sharing_group" in response.context["form"].errors
    assert not Series.objects.exists()


def test_a_series_can_be_shared_with_a_group_the_agency_belongs_to(actors, task_force):
    response = signed_in_client(actors.owner).post(
        reverse("series-create"),
        _series_form(distribution="group", sharing_group=str(task_force.pk)),
    )
    assert response.status_code == 302
    series = Series.objects.get()
    assert series.sharing_group == task_force
    detail = signed_in_client(actors.abroad).get(reverse("series-detail", args=[series.code]))
    assert b"Sharing group: Task force Harbour." in detail.content


def test_the_owner_edits_a_series(actors, series):
    client = signed_in_client(actors.owner)
    page = client.get(reverse("series-edit", args=[series.code]))
    assert page.context["form"].initial["version"] == series.version

    response = client.post(
        reverse("series-edit", args=[series.code]),
        _series_form(series, title="Harbour room, renamed", distribution="network"),
    )

    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.title, series.version) == ("Harbour room, renamed", 2)


def test_a_stale_series_edit_shows_the_conflict_and_keeps_the_input(actors, series):
    client = signed_in_client(actors.owner)
    stale = _series_form(series, title="My careful new title", summary="My long summary.")
    series_update(actor=actors.colleague, series=series, version=1, title="Colleague's title")

    response = client.post(reverse("series-edit", args=[series.code]), stale)

    assert response.status_code == 409
    body = response.content.decode()
    assert "Someone else saved this record while you were editing" in body
    # The editor's input is still in the form, and the saved value is shown beside it.
    assert 'value="My careful new title"' in body
    assert "My long summary." in body
    conflict = {c.label: (c.saved, c.submitted) for c in response.context["conflict"]}
    assert conflict["Title"] == ("Colleague's title", "My careful new title")
    # Nothing was written; the form now carries the current version, so saving again works.
    series.refresh_from_db()
    assert (series.title, series.version) == ("Colleague's title", 2)
    assert response.context["form"]["version"].value() == "2"
    again = client.post(reverse("series-edit", args=[series.code]), {**stale, "version": "2"})
    assert again.status_code == 302
    series.refresh_from_db()
    assert (series.title, series.version) == ("My careful new title", 3)


def test_the_series_list_filters_by_status_and_by_my_agency(actors, series):
    closed = SeriesFactory(
        actor=actors.owner, title="Closed hall", distribution="network", status="closed"
    )
    theirs = SeriesFactory(actor=actors.same_country, title="Their attic", distribution="country")
    client = signed_in_client(actors.owner)

    everything = client.get(reverse("series-list"))
    assert {s.code for s in everything.context["page"]} == {series.code, closed.code, theirs.code}
    closed_only = client.get(reverse("series-list"), {"status": "closed"})
    assert [s.code for s in closed_only.context["page"]] == [closed.code]
    mine = client.get(reverse("series-list"), {"mine": "on"})
    assert {s.code for s in mine.context["page"]} == {series.code, closed.code}
    by_word = client.get(reverse("series-list"), {"q": "attic"})
    assert [s.code for s in by_word.context["page"]] == [theirs.code]
    assert client.get(reverse("series-list"), {"status": "nonsense"}).status_code == 400


# --- Hashes --------------------------------------------------------------------------


def test_the_owner_adds_hash_values_from_the_series_page(actors, series):
    response = signed_in_client(actors.owner).post(
        reverse("series-hashes-add", args=[series.code]),
        {"lines": f"MD5:{'A' * 32}\n\nsha1:{'b' * 40}\n", "vics_category": "1"},
    )
    assert response.status_code == 302
    assert sorted(KnownHash.objects.values_list("algorithm", "value", "vics_category")) == [
        ("md5", "a" * 32, 1),
        ("sha1", "b" * 40, 1),
    ]


def test_a_bad_hash_line_is_named_and_nothing_is_added(actors, series):
    response = signed_in_client(actors.owner).post(
        reverse("series-hashes-add", args=[series.code]),
        {"lines": f"md5:{'a' * 32}\nsha1:{'b' * 39}\nno separator", "vics_category": "0"},
    )
    assert response.status_code == 400
    errors = response.context["hash_form"].errors["lines"]
    assert errors == [
        "Line 2: A sha1 value has 40 hex digits, not 39.",
        "Line 3: write algorithm:value.",
    ]
    assert not KnownHash.objects.exists()


def test_a_hash_known_in_another_series_is_refused_with_deconfliction(actors, series):
    other = SeriesFactory(actor=actors.abroad, title="Their series")
    KnownHashFactory(series=other, value="c" * 32)
    response = signed_in_client(actors.owner).post(
        reverse("series-hashes-add", args=[series.code]),
        {"lines": f"md5:{'c' * 32}", "vics_category": "0"},
    )
    assert response.status_code == 400
    assert "already belong to another series" in response.context["hash_form"].errors["lines"][0]
    assert not series.hashes.exists()
    assert other.code.encode() not in response.content


# --- Clues ---------------------------------------------------------------------------


def test_an_investigator_posts_a_clue_through_the_form(actors, series):
    client = signed_in_client(actors.owner)
    page = client.get(reverse("clue-create", args=[series.code]))
    body = page.content.decode()
    assert '<optgroup label="Electrical sockets and plugs">' in body
    assert "Every vetted investigator on VictimID, in every country, will see this." in body

    response = client.post(reverse("clue-create", args=[series.code]), _clue_form())

    clue = Clue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clue-detail", args=[clue.pk])
    assert clue.taxonomy_node.slug == "sockets"
    assert sorted(clue.languages) == ["deu", "lim", "nld"]
    assert sorted(clue.country_hypotheses.values_list("country", "confidence")) == [
        ("BE", "low"),
        ("NL", "high"),
    ]
    assert (clue.agency, clue.distribution, str(clue.time_to)) == (
        actors.agency,
        "country",
        "2024-06-30",
    )
    detail = client.get(response["Location"]).content.decode()
    assert "Limburgan" in detail
    assert "Netherlands (high)" in detail


def test_an_investigator_abroad_posts_a_clue_on_a_series_it_can_see(actors, series):
    response = signed_in_client(actors.abroad).post(
        reverse("clue-create", args=[series.code]), _clue_form(distribution="network")
    )
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert clue.agency == actors.agency_abroad
    # The series' owner sees it, but only its author's agency may change it.
    owner = signed_in_client(actors.owner)
    assert owner.get(reverse("clue-detail", args=[clue.pk])).status_code == 200
    assert owner.get(reverse("clue-edit", args=[clue.pk])).status_code == 403


def test_screening_errors_show_next_to_the_field_and_nothing_is_written(actors, series):
    response = signed_in_client(actors.owner).post(
        reverse("clue-create", args=[series.code]),
        _clue_form(
            description="Call +31 6 1234 5678 for details.",
            place_text="see https://facebook.com/some.person",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["description"] == ["Remove the telephone number; describe, do not identify."]
    assert form.errors["place_text"][0].startswith("Remove the link to a personal page")
    assert not Clue.objects.exists()
    # The rest of the input is kept for the investigator to fix.
    assert 'value="Cream recessed socket"' in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"other_languages": "xx1, nld"}, "other_languages"),
        ({"country_2": "NL"}, "country_2"),
        ({"taxonomy_node": "999999"}, "taxonomy_node"),
        ({"latitude": "52.1"}, "longitude"),
        ({"time_from": "2025-01-01", "time_to": "2024-01-01"}, None),
        ({"title": "x" * 201}, "title"),
        ({"description": "A" * 120}, "description"),
    ],
)
def test_bad_clue_input_is_refused_with_a_field_error(actors, series, overrides, field):
    response = signed_in_client(actors.owner).post(
        reverse("clue-create", args=[series.code]), _clue_form(**overrides)
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors if field else errors
    assert not Clue.objects.exists()


def test_a_stale_clue_edit_shows_the_conflict_and_keeps_the_input(actors, clue):
    client = signed_in_client(actors.owner)
    page = client.get(reverse("clue-edit", args=[clue.pk]))
    initial = page.context["form"].initial
    assert (initial["country_1"], initial["confidence_1"]) == ("BE", "low")
    stale = _clue_form(
        title="My new title",
        description="My careful description.",
        country_2="DE",
        version=str(clue.version),
    )
    clue_update(actor=actors.colleague, clue=clue, version=clue.version, status="in_progress")

    response = client.post(reverse("clue-edit", args=[clue.pk]), stale)

    assert response.status_code == 409
    body = response.content.decode()
    assert "My careful description." in body
    conflict = {c.label: (c.saved, c.submitted) for c in response.context["conflict"]}
    assert {"Title", "Description", "Status"} <= set(conflict)
    assert conflict["Countries it may point to"] == (
        "Belgium (low), Netherlands (high)",
        "Germany (low), Netherlands (high)",
    )
    clue.refresh_from_db()
    assert (clue.title, clue.status, clue.version) == ("Recessed type F socket", "in_progress", 2)


def test_the_owner_edits_a_clue_to_network_level(actors, clue):
    data = _clue_form(distribution="network", status="resolved", version=str(clue.version))
    response = signed_in_client(actors.owner).post(reverse("clue-edit", args=[clue.pk]), data)
    assert response.status_code == 302
    clue.refresh_from_db()
    assert (clue.status, clue.version, clue.title) == ("resolved", 2, "Cream recessed socket")
    assert sorted(clue.country_hypotheses.values_list("country", flat=True)) == ["BE", "NL"]


def test_the_owner_deletes_an_unassessed_clue_after_confirming(actors, clue, series):
    client = signed_in_client(actors.owner)
    unconfirmed = client.post(reverse("clue-delete", args=[clue.pk]), follow=True)
    assert b"Tick the box to confirm" in unconfirmed.content
    assert Clue.objects.filter(pk=clue.pk).exists()

    response = client.post(reverse("clue-delete", args=[clue.pk]), {"confirm": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("series-detail", args=[series.code])
    assert not Clue.objects.filter(pk=clue.pk).exists()


def test_the_series_page_lists_only_the_clues_the_reader_may_see(actors, series, clue):
    private = ClueFactory(series=series, title="Agency-only detail", description="Kept at home.")
    url = reverse("series-detail", args=[series.code])
    abroad = signed_in_client(actors.abroad).get(url)
    assert list(abroad.context["clues"]) == [clue]
    assert private.title.encode() not in abroad.content
    assert b"explicit grant" not in abroad.content  # grant counts are for the owner only
    owner = signed_in_client(actors.owner).get(url)
    assert set(owner.context["clues"]) == {clue, private}
    assert b"0 explicit grants" in owner.content


def test_every_problem_of_a_clue_form_is_shown_at_once(actors, series):
    response = signed_in_client(actors.owner).post(
        reverse("clue-create", args=[series.code]),
        _clue_form(taxonomy_node="", description="Write to jan@example.org"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["taxonomy_node"] == ["This field is required."]
    assert errors["description"] == ["Remove the e-mail address; describe, do not identify."]
    assert not Clue.objects.exists()


def test_editing_a_clue_with_many_country_hypotheses_keeps_them_all(actors, series):
    clue = ClueFactory(
        series=series,
        title="Socket",
        description="Seen.",
        country_hypotheses=[("NL", "high"), ("BE", "medium"), ("DE", "low"), ("LU", "low")],
        distribution="network",
    )
    client = signed_in_client(actors.owner)
    form = client.get(reverse("clue-edit", args=[clue.pk])).context["form"]
    assert len(form.hypothesis_rows) == 4
    data = {
        **_clue_form(version="1", title="Socket, renamed"),
        "country_1": "BE", "confidence_1": "medium", "country_2": "DE", "confidence_2": "low",
        "country_3": "LU", "confidence_3": "low", "country_4": "NL", "confidence_4": "high",
    }  # fmt: skip
    assert client.post(reverse("clue-edit", args=[clue.pk]), data).status_code == 302
    assert sorted(clue.country_hypotheses.values_list("country", flat=True)) == [
        "BE",
        "DE",
        "LU",
        "NL",
    ]


def test_a_merged_series_names_its_target_only_to_those_who_may_see_it(actors, series):
    target = SeriesFactory(actor=actors.owner, title="Kept at home")
    series_update(actor=actors.owner, series=series, version=1, status="merged", merged_into=target)
    url = reverse("series-detail", args=[series.code])
    abroad = signed_in_client(actors.abroad).get(url)
    assert abroad.status_code == 200
    assert b"Merged into another series" in abroad.content
    assert target.code.encode() not in abroad.content
    owner = signed_in_client(actors.owner)
    assert target.code.encode() in owner.get(url).content
    # The owner can still edit the merged series without un-merging it.
    edit = owner.post(
        reverse("series-edit", args=[series.code]),
        _series_form(series, status="merged", distribution="network", version="2"),
    )
    assert edit.status_code == 302
    series.refresh_from_db()
    assert (series.status, series.merged_into, series.version) == ("merged", target, 3)


def test_a_conflict_lists_only_the_fields_that_really_differ(actors, clue):
    stale = _clue_form(version="1", title="Renamed by me")
    clue_update(actor=actors.colleague, clue=clue, version=1, title="Renamed by a colleague")
    # Make the rest of the saved clue equal to the form, so only the title differs.
    current = Clue.objects.get(pk=clue.pk)
    clue_update(
        actor=actors.colleague,
        clue=current,
        version=2,
        description=stale["description"],
        languages=["nld", "deu", "lim"],
        country_hypotheses=[("NL", "high"), ("BE", "low")],
        time_from="2024-01-01",
        time_to="2024-06-30",
        distribution="country",
    )
    response = signed_in_client(actors.owner).post(reverse("clue-edit", args=[clue.pk]), stale)
    assert response.status_code == 409
    assert [(c.label, c.saved, c.submitted) for c in response.context["conflict"]] == [
        ("Title", "Renamed by a colleague", "Renamed by me")
    ]


def test_only_the_agencys_own_sharing_groups_are_offered_or_accepted(actors, task_force):
    foreign = SharingGroupFactory(actor=actors.coordinator_abroad, name="Iberian desk")
    client = signed_in_client(actors.owner)
    offered = client.get(reverse("series-create")).context["form"].fields["sharing_group"]
    assert list(offered.queryset) == [task_force]

    response = client.post(
        reverse("series-create"), _series_form(distribution="group", sharing_group=str(foreign.pk))
    )
    assert response.status_code == 400
    assert "sharing_group" in response.context["form"].errors
    assert not Series.objects.exists()


def test_a_field_error_is_announced_with_its_field(actors, series):
    response = signed_in_client(actors.owner).post(
        reverse("clue-create", args=[series.code]), _clue_form(title="")
    )
    body = response.content.decode()
    assert 'aria-invalid="true"' in body
    assert 'aria-describedby="id_title_error"' in body
    assert '<div id="id_title_error"><p class="error">This field is required.</p></div>' in body
    assert '<a href="#id_title">Title: This field is required.</a>' in body


def test_the_series_page_lists_the_newest_hash_values_to_those_who_see_it(actors, series):
    KnownHashFactory(series=series, algorithm="sha256", value="e" * 64)
    response = signed_in_client(actors.abroad).get(reverse("series-detail", args=[series.code]))
    assert [known.value for known in response.context["latest_hashes"]] == ["e" * 64]
    assert b"The newest of 1 value" in response.content
    assert b"Add hash values" not in response.content  # adding is for the owning agency
