"""Casework pages beyond who may open them (that is tests/access_matrix): what they show
to whom, that a hidden record answers exactly like a missing one, audit and query counts.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.cases.chart_support import chart_in
from tests.conftest import signed_in_client
from tests.factories import ClueFactory, IdentificationEventFactory, SeriesFactory, VictimFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_edit_links_show_only_to_the_owning_agency(actors, country_level):
    edit = reverse("series-edit", args=[country_level.series.code])
    detail = reverse("series-detail", args=[country_level.series.code])
    assert edit.encode() in signed_in_client(actors.owner).get(detail).content
    assert edit.encode() not in signed_in_client(actors.same_country).get(detail).content


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
    SeriesFactory(actor=actors.owner, title="First")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("series-list"))
    SeriesFactory.create_batch(8, actor=actors.same_country, distribution="country")
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
    series = SeriesFactory(actor=actors.owner, title="Orange lamp", distribution="country")
    first, _second = VictimFactory.create_batch(
        2, actor=actors.owner, series=[series], distribution="country"
    )
    IdentificationEventFactory(victim=first, kind="identified")
    IdentificationEventFactory(victim=first, kind="safeguarded")

    response = signed_in_client(actors.same_country).get(
        reverse("series-detail", args=[series.code])
    )

    assert response.status_code == 200
    summary = response.context["identification_summary"]
    assert (summary["children"], summary["identified"], summary["safeguarded"]) == (2, 1, 1)
    html = response.content.decode()
    assert 'data-testid="summary-identified">1 of 2' in html
    assert f'action="{reverse("victim-series-follow", args=[series.code])}"' in html


def test_the_series_page_charts_identification_progress_beside_its_numbers(actors):
    series = SeriesFactory(actor=actors.owner, title="Orange lamp", distribution="country")
    children = VictimFactory.create_batch(
        4, actor=actors.owner, series=[series], distribution="country"
    )
    for child in children[:3]:
        IdentificationEventFactory(victim=child, kind="identified")
    IdentificationEventFactory(victim=children[1], kind="safeguarded")
    # Agency-level: neither counted nor drawn next door.
    VictimFactory(actor=actors.owner, series=[series])

    html = (
        signed_in_client(actors.same_country)
        .get(reverse("series-detail", args=[series.code]))
        .content.decode()
    )

    chart = chart_in(html, f"idchart-{series.code}")
    assert chart.numbers == {"children": "4", "identified": "3 of 4", "safeguarded": "1 of 4"}
    assert chart.widths == {"children": "100%", "identified": "75%", "safeguarded": "25%"}
    assert chart.title == f"Identification progress in {series.code}"


def test_the_series_page_charts_the_clues_its_reader_may_see_by_status(actors):
    series = SeriesFactory(actor=actors.owner, title="Orange lamp", distribution="network")
    for distribution, status in [
        ("network", "open"),
        ("network", "resolved"),
        ("network", "resolved"),
        ("network", "resolved"),
        ("agency", "open"),  # the owner's agency only
    ]:
        ClueFactory(series=series, distribution=distribution, status=status)
    path = reverse("series-detail", args=[series.code])

    abroad = chart_in(
        signed_in_client(actors.abroad).get(path).content.decode(), "series-clue-status"
    )
    assert abroad.numbers == {"open": "1", "in_progress": "0", "resolved": "3", "discarded": "0"}
    assert abroad.widths == {
        "open": "25%",
        "in_progress": "0%",
        "resolved": "75%",
        "discarded": "0%",
    }

    html = signed_in_client(actors.colleague).get(path).content.decode()
    mine = chart_in(html, "series-clue-status")
    assert mine.numbers["open"] == "2" and mine.widths["open"] == "40%"
    # Each status with clues links to the search filtered by it.
    assert f'href="/clues/?series={series.code}&amp;status=resolved"' in html


def test_a_series_without_visible_clues_draws_no_clue_chart(actors, series):
    html = signed_in_client(actors.owner).get(reverse("series-detail", args=[series.code]))
    assert 'data-testid="chart-series-clue-status"' not in html.content.decode()
