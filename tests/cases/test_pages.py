"""Every casework page as anonymous, without a second factor, the wrong role, an outsider,
a colleague who may read but not change, and the owner.

``PAGES``, ``POST_ACTIONS`` and ``READER_POST_ACTIONS`` must name every route of
``cases.urls``: a page added without a row here fails
``test_every_casework_route_is_in_the_matrix``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import urls as cases_urls
from cases.models import Clue, SeriesFollower, Victim
from cases.services import series_create
from tests.casework_fixtures import Records
from tests.conftest import signed_in_client
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


# Pages a user opens (GET), by URL name, each with the path it takes for given records.
PAGES: dict[str, Callable[[Records], str]] = {
    "series-list": lambda r: reverse("series-list"),
    "series-create": lambda r: reverse("series-create"),
    "series-detail": lambda r: reverse("series-detail", args=[r.series.code]),
    "series-edit": lambda r: reverse("series-edit", args=[r.series.code]),
    "clue-create": lambda r: reverse("clue-create", args=[r.series.code]),
    "clue-search": lambda r: reverse("clue-search"),
    "clue-detail": lambda r: reverse("clue-detail", args=[r.clue.pk]),
    "clue-edit": lambda r: reverse("clue-edit", args=[r.clue.pk]),
    "victim-list": lambda r: reverse("victim-list"),
    "victim-create": lambda r: reverse("victim-create"),
    "victim-detail": lambda r: reverse("victim-detail", args=[r.victim.code]),
    "victim-edit": lambda r: reverse("victim-edit", args=[r.victim.code]),
    "victim-record-outcome": lambda r: reverse("victim-record-outcome", args=[r.victim.code]),
}
# Pages about one record, which must not admit that the record exists to an outsider.
RECORD_PAGES = [
    "series-detail",
    "series-edit",
    "clue-create",
    "clue-detail",
    "clue-edit",
    "victim-detail",
    "victim-edit",
    "victim-record-outcome",
]
# Pages that change a record: the owning agency only.
EDIT_PAGES = ["series-edit", "clue-edit", "victim-edit"]
# Forms that only POST, with a harmless body.
POST_ACTIONS: dict[str, tuple[Callable[[Records], str], dict[str, str]]] = {
    "series-hashes-add": (
        lambda r: reverse("series-hashes-add", args=[r.series.code]),
        {"lines": "md5:" + "a" * 32, "vics_category": "0"},
    ),
    "clue-delete": (lambda r: reverse("clue-delete", args=[r.clue.pk]), {"confirm": "yes"}),
    # Grants: their own matrix is in tests/cases/test_grant_pages.py.
    "series-grant-add": (
        lambda r: reverse("series-grant-add", args=[r.series.code]),
        {"user": "nobody@example.org"},
    ),
    "series-grant-revoke": (
        lambda r: reverse("series-grant-revoke", args=[r.series.code, "agency-1"]),
        {},
    ),
    "clue-grant-add": (
        lambda r: reverse("clue-grant-add", args=[r.clue.pk]),
        {"user": "nobody@example.org"},
    ),
    "clue-grant-revoke": (
        lambda r: reverse("clue-grant-revoke", args=[r.clue.pk, "agency-1"]),
        {},
    ),
    "victim-grant-add": (
        lambda r: reverse("victim-grant-add", args=[r.victim.code]),
        {"user": "nobody@example.org"},
    ),
    "victim-grant-revoke": (
        lambda r: reverse("victim-grant-revoke", args=[r.victim.code, "agency-1"]),
        {},
    ),
}
# Forms that only POST and that everyone who can see the record may use.
READER_POST_ACTIONS: dict[str, tuple[Callable[[Records], str], dict[str, str]]] = {
    "victim-series-follow": (
        lambda r: reverse("victim-series-follow", args=[r.series.code]),
        {"follow": "1"},
    ),
}


# The landing page opens for every signed-in role: tests/victimid/test_dashboard.py.
OPEN_TO_EVERY_ROLE = {"dashboard"}


def test_every_casework_route_is_in_the_matrix():
    names = set()
    for pattern in cases_urls.urlpatterns:
        assert getattr(pattern, "urlconf_name", None) is None, "one flat urls module"
        names.add(pattern.name)
    assert names == (set(PAGES) | set(POST_ACTIONS) | set(READER_POST_ACTIONS) | OPEN_TO_EVERY_ROLE)


@pytest.mark.parametrize("page", PAGES)
def test_an_anonymous_visitor_is_sent_to_sign_in(country_level, page):
    path = PAGES[page](country_level)
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


@pytest.mark.parametrize("page", PAGES)
def test_a_session_without_a_second_factor_is_sent_to_verify(actors, country_level, page):
    response = signed_in_client(actors.owner, verified=False).get(PAGES[page](country_level))
    assert response.status_code == 302
    assert response["Location"] == "/mfa/verify/"


@pytest.mark.parametrize("who", ["oversight", "auditor", "unvetted"])
@pytest.mark.parametrize("page", PAGES)
def test_roles_without_casework_are_refused_every_page(actors, country_level, who, page):
    response = signed_in_client(getattr(actors, who)).get(PAGES[page](country_level))
    assert response.status_code == 403
    assert country_level.series.title.encode() not in response.content


@pytest.mark.parametrize("who", ["oversight", "auditor"])
@pytest.mark.parametrize("action", {**POST_ACTIONS, **READER_POST_ACTIONS})
def test_roles_without_casework_cannot_post(actors, country_level, who, action):
    path, body = {**POST_ACTIONS, **READER_POST_ACTIONS}[action]
    response = signed_in_client(getattr(actors, who)).post(path(country_level), body)
    assert response.status_code == 403
    assert Clue.objects.filter(pk=country_level.clue.pk).exists()
    assert not SeriesFollower.objects.exists()


@pytest.mark.parametrize("page", PAGES)
def test_the_owner_opens_every_page(actors, agency_level, page):
    response = signed_in_client(actors.owner).get(PAGES[page](agency_level))
    assert response.status_code == 200


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_a_colleague_at_the_owning_agency_may_edit(actors, agency_level, page):
    assert signed_in_client(actors.colleague).get(PAGES[page](agency_level)).status_code == 200


@pytest.mark.parametrize(
    ("who", "level"),
    [("same_country", "agency_level"), ("abroad", "agency_level"), ("abroad", "country_level")],
)
@pytest.mark.parametrize("page", RECORD_PAGES)
def test_an_outsider_gets_not_found_for_records_it_cannot_see(actors, request, who, level, page):
    records = request.getfixturevalue(level)
    response = signed_in_client(getattr(actors, who)).get(PAGES[page](records))
    assert response.status_code == 404
    assert records.series.title.encode() not in response.content


@pytest.mark.parametrize("action", {**POST_ACTIONS, **READER_POST_ACTIONS})
def test_an_outsider_gets_not_found_when_posting(actors, country_level, action):
    path, body = {**POST_ACTIONS, **READER_POST_ACTIONS}[action]
    response = signed_in_client(actors.abroad).post(path(country_level), body)
    assert response.status_code == 404
    assert Clue.objects.filter(pk=country_level.clue.pk).exists()
    assert not country_level.series.hashes.exists()
    assert not SeriesFollower.objects.exists()


@pytest.mark.parametrize("action", READER_POST_ACTIONS)
def test_a_reader_who_does_not_own_the_record_may_use_the_readers_forms(
    actors, country_level, action
):
    path, body = READER_POST_ACTIONS[action]
    response = signed_in_client(actors.same_country).post(path(country_level), body)
    assert response.status_code == 302
    assert SeriesFollower.objects.filter(user=actors.same_country).exists()


@pytest.mark.parametrize("action", {**POST_ACTIONS, **READER_POST_ACTIONS})
def test_an_anonymous_visitor_cannot_post(country_level, action):
    path, body = {**POST_ACTIONS, **READER_POST_ACTIONS}[action]
    response = Client().post(path(country_level), body)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not SeriesFollower.objects.exists()


@pytest.mark.parametrize("page", ["series-list", "clue-search"])
def test_lists_do_not_show_an_outsider_what_it_cannot_see(actors, country_level, page):
    response = signed_in_client(actors.abroad).get(PAGES[page](country_level))
    assert response.status_code == 200
    assert country_level.series.code.encode() not in response.content
    assert country_level.clue.title.encode() not in response.content
    # ...while the country sees them, so the page would show them if they leaked.
    response = signed_in_client(actors.same_country).get(PAGES[page](country_level))
    assert country_level.series.code.encode() in response.content


@pytest.mark.parametrize("page", ["series-detail", "clue-detail", "clue-create"])
def test_another_agency_in_the_country_reads_a_country_level_record(actors, country_level, page):
    response = signed_in_client(actors.same_country).get(PAGES[page](country_level))
    assert response.status_code == 200


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_another_agency_that_can_see_cannot_edit(actors, country_level, page):
    client = signed_in_client(actors.same_country)
    assert client.get(PAGES[page](country_level)).status_code == 403
    assert client.post(PAGES[page](country_level), {"title": "Changed"}).status_code == 403
    country_level.series.refresh_from_db()
    assert country_level.series.title == "Harbour room country"
    assert Victim.objects.get(pk=country_level.victim.pk).version == 1


@pytest.mark.parametrize("action", POST_ACTIONS)
def test_another_agency_that_can_see_cannot_post_changes(actors, country_level, action):
    path, body = POST_ACTIONS[action]
    response = signed_in_client(actors.same_country).post(path(country_level), body)
    assert response.status_code == 403
    assert Clue.objects.filter(pk=country_level.clue.pk).exists()
    assert not country_level.series.hashes.exists()


def test_the_edit_links_show_only_to_the_owning_agency(actors, country_level):
    edit = reverse("series-edit", args=[country_level.series.code])
    detail = reverse("series-detail", args=[country_level.series.code])
    assert edit.encode() in signed_in_client(actors.owner).get(detail).content
    assert edit.encode() not in signed_in_client(actors.same_country).get(detail).content


@pytest.mark.parametrize("page", PAGES)
def test_no_page_carries_inline_script_or_style(actors, agency_level, page):
    body = signed_in_client(actors.owner).get(PAGES[page](agency_level)).content.decode()
    assert " style=" not in body
    assert "<style" not in body
    assert "<script>" not in body
    assert "javascript:" not in body


def _without_csrf(body: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)


@pytest.mark.parametrize(
    ("hidden", "missing"),
    [
        (lambda r: f"/series/{r.series.code}/", "/series/SER-1999-999999/"),
        (lambda r: f"/series/{r.series.code}/edit/", "/series/SER-1999-999999/edit/"),
        (lambda r: f"/clues/{r.clue.pk}/", "/clues/999999999/"),
        (lambda r: f"/clues/{r.clue.pk}/edit/", "/clues/999999999/edit/"),
        (lambda r: f"/victims/{r.victim.code}/", "/victims/VIC-1999-999999/"),
        (lambda r: f"/victims/{r.victim.code}/record/", "/victims/VIC-1999-999999/record/"),
    ],
)
def test_a_hidden_record_answers_exactly_like_a_missing_one(actors, agency_level, hidden, missing):
    client = signed_in_client(actors.abroad)
    client.get("/")  # show the sign-in messages before comparing pages
    hidden_response = client.get(hidden(agency_level))
    missing_response = client.get(missing)
    assert hidden_response.status_code == missing_response.status_code == 404
    assert _without_csrf(hidden_response.content) == _without_csrf(missing_response.content)


def test_opening_a_series_and_a_clue_is_audited(actors, country_level):
    client = signed_in_client(actors.same_country)
    client.get(reverse("series-detail", args=[country_level.series.code]))
    client.get(reverse("clue-detail", args=[country_level.clue.pk]))
    viewed = AuditEvent.objects.filter(actor=actors.same_country).values_list("action", "target_id")
    assert (audit_actions.SERIES_VIEWED, str(country_level.series.pk)) in viewed
    assert (audit_actions.CLUE_VIEWED, str(country_level.clue.pk)) in viewed


def test_the_series_list_runs_the_same_queries_for_few_or_many_series(actors):
    client = signed_in_client(actors.owner)
    series_create(actor=actors.owner, title="First", distribution="agency")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("series-list"))
    for n in range(8):
        series_create(actor=actors.same_country, title=f"More {n}", distribution="country")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("series-list"))
    assert response.context["page"].paginator.count == 9
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    "path",
    [
        "/clues/99999999999999999999999/",
        "/clues/99999999999999999999999/edit/",
        "/series/" + "X" * 300 + "/",
    ],
)
def test_absurd_identifiers_answer_not_found(actors, path):
    assert signed_in_client(actors.owner).get(path).status_code == 404


def test_the_series_page_shows_its_identification_summary(actors):
    from tests.cases.victim_support import IDENTIFIED, SAFEGUARDED, make_victim, record

    series = series_create(actor=actors.owner, title="Orange lamp", distribution="country")
    first = make_victim(actors.owner, series, distribution="country")
    make_victim(actors.owner, series, distribution="country")
    record(actors.owner, first, IDENTIFIED)
    record(actors.owner, first, SAFEGUARDED)

    response = signed_in_client(actors.same_country).get(
        reverse("series-detail", args=[series.code])
    )

    assert response.status_code == 200
    summary = response.context["identification_summary"]
    assert (summary["children"], summary["identified"], summary["safeguarded"]) == (2, 1, 1)
    html = response.content.decode()
    assert 'data-testid="summary-identified">1 of 2' in html
    assert f'action="{reverse("victim-series-follow", args=[series.code])}"' in html
