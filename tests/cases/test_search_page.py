"""The clue search page: full text, filters, facet counts over visible clues only, pages."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import signed_in_client
from tests.factories import ClueFactory, SeriesFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

URL = "/clues/"
# What every clue here says, so that only their titles match a search.
SEEN = "Seen in the background."


def _medium(*countries: str) -> list[tuple[str, str]]:
    return [(country, "medium") for country in countries]


@pytest.fixture
def corpus(actors, series):
    """Clues the investigator abroad may see, and some it may not."""
    hidden_series = SeriesFactory(actor=actors.owner, title="Kept home", distribution="country")
    return {
        "socket": ClueFactory(
            series=series, taxonomy="sockets", title="Schuko socket", description=SEEN,
            languages=["nld", "deu"], country_hypotheses=_medium("NL", "DE"),
            distribution="network",
        ),
        "plug": ClueFactory(
            series=series, taxonomy="plugs", title="Round plug charger", description=SEEN,
            languages=["nld"], country_hypotheses=_medium("NL"), status="in_progress",
            distribution="network",
        ),
        "flora": ClueFactory(
            series=series, taxonomy="flora", title="Olive tree outside window", description=SEEN,
            languages=["spa"], country_hypotheses=_medium("ES"), distribution="network",
        ),
        # Visible to the owner's country only: the clue's own level...
        "country_clue": ClueFactory(
            series=series, taxonomy="sockets", title="Schuko socket, close-up", description=SEEN,
            languages=["nld"], country_hypotheses=_medium("NL"), distribution="country",
        ),
        # ...or its series' level.
        "hidden_series_clue": ClueFactory(
            series=hidden_series, taxonomy="sockets", title="Schuko socket in the attic",
            description=SEEN, languages=["nld"], country_hypotheses=_medium("NL"),
            distribution="network",
        ),
    }  # fmt: skip


def _facet(response, name):
    return {item.value: item.count for item in response.context["facets"][name].values}


def test_the_page_shows_only_visible_clues_and_counts_only_them(actors, corpus):
    response = signed_in_client(actors.abroad).get(URL)

    assert response.status_code == 200
    titles = {clue.title for clue in response.context["page"]}
    assert titles == {"Schuko socket", "Round plug charger", "Olive tree outside window"}
    assert response.context["page"].paginator.count == 3
    assert _facet(response, "taxonomy") == {"electrical": 2, "flora": 1}
    assert _facet(response, "country") == {"NL": 2, "DE": 1, "ES": 1}
    assert _facet(response, "language") == {"nld": 2, "deu": 1, "spa": 1}
    assert _facet(response, "status") == {"open": 2, "in_progress": 1}
    body = response.content.decode()
    assert "attic" not in body and "close-up" not in body


def test_the_owners_country_sees_and_counts_the_country_level_clues(actors, corpus):
    response = signed_in_client(actors.same_country).get(URL)
    assert response.context["page"].paginator.count == 5
    assert _facet(response, "taxonomy") == {"electrical": 4, "flora": 1}
    assert _facet(response, "language")["nld"] == 4


def test_full_text_search_finds_visible_matches_only(actors, corpus):
    abroad = signed_in_client(actors.abroad).get(URL, {"q": "schuko"})
    assert [clue.title for clue in abroad.context["page"]] == ["Schuko socket"]
    assert _facet(abroad, "taxonomy") == {"electrical": 1}
    assert _facet(abroad, "country") == {"NL": 1, "DE": 1}

    home = signed_in_client(actors.same_country).get(URL, {"q": "schuko"})
    assert home.context["page"].paginator.count == 3


def test_a_search_is_audited_with_its_query(actors, corpus):
    signed_in_client(actors.abroad).get(URL, {"q": "olive", "country": "ES"})
    event = AuditEvent.objects.filter(action=audit_actions.CLUE_SEARCHED).latest("id")
    assert event.actor == actors.abroad
    assert event.details["filters"] == {"q": "olive", "country": "ES"}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"taxonomy": "electrical"}, {"Schuko socket", "Round plug charger"}),
        ({"taxonomy": "plugs"}, {"Round plug charger"}),
        ({"country": "ES"}, {"Olive tree outside window"}),
        ({"language": "deu"}, {"Schuko socket"}),
        ({"status": "in_progress"}, {"Round plug charger"}),
        ({"language": "nld", "taxonomy": "sockets"}, {"Schuko socket"}),
    ],
)
def test_filters_narrow_results_and_facets(actors, corpus, filters, expected):
    response = signed_in_client(actors.abroad).get(URL, filters)
    assert {clue.title for clue in response.context["page"]} == expected
    assert sum(_facet(response, "status").values()) == len(expected)


def test_the_series_and_date_filters(actors, corpus, series):
    client = signed_in_client(actors.same_country)
    by_series = client.get(URL, {"series": series.code.lower()})
    assert by_series.context["page"].paginator.count == 4
    today = corpus["socket"].created_at.date().isoformat()
    assert client.get(URL, {"created_after": today}).context["page"].paginator.count == 5
    assert client.get(URL, {"created_before": "2000-01-01"}).context["page"].paginator.count == 0


def test_a_facet_link_applies_its_filter_and_a_selected_one_removes_it(actors, corpus):
    client = signed_in_client(actors.abroad)
    body = client.get(URL, {"q": "socket"}).content.decode()
    assert 'href="?q=socket&amp;taxonomy=electrical"' in body
    selected = client.get(URL, {"q": "socket", "taxonomy": "electrical"}).content.decode()
    assert 'href="?q=socket" aria-current="true"' in selected


def test_facet_bars_are_width_classes_relative_to_the_largest_count(actors, corpus):
    response = signed_in_client(actors.abroad).get(URL)
    shares = {item.value: item.share for item in response.context["facets"]["taxonomy"].values}
    assert shares == {"electrical": 100, "flora": 50}
    body = response.content.decode()
    assert 'class="bar w-100"' in body and 'class="bar w-50"' in body


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"language": "xx"}, "language"),
        ({"country": "ZZ"}, "country"),
        ({"status": "lost"}, "status"),
        ({"taxonomy": "no-such-kind"}, "taxonomy"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_after": "2025-02-01", "created_before": "2025-01-01"}, "created_before"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_filters_answer_400_with_a_field_error(actors, corpus, filters, field):
    response = signed_in_client(actors.abroad).get(URL, filters)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert b"Schuko" not in response.content


def test_results_come_fifty_to_a_page(actors, series):
    for n in range(51):
        ClueFactory(
            series=series, title=f"Socket {n:02d}", description="Seen.", distribution="network"
        )
    client = signed_in_client(actors.abroad)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == 50
    assert _facet(first, "taxonomy") == {"electrical": 51}
    assert b'rel="next"' in first.content
    second = client.get(URL, {"page": 2})
    assert [clue.title for clue in second.context["page"]] == ["Socket 00"]


def test_the_number_of_queries_does_not_grow_with_the_results(actors, series):
    client = signed_in_client(actors.abroad)
    ClueFactory(
        series=series,
        title="First",
        description=SEEN,
        languages=["nld"],
        country_hypotheses=_medium("NL"),
        distribution="network",
    )
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    ClueFactory.create_batch(
        10,
        series=series,
        taxonomy="flora",
        description=SEEN,
        languages=["spa"],
        country_hypotheses=_medium("ES"),
        distribution="network",
    )
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_page_offers_the_common_languages_by_name_and_suggests_the_others(actors):
    body = signed_in_client(actors.abroad).get(URL).content.decode()
    # Without a script the list holds the common languages, by name.
    assert '<datalist id="language-suggestions">' in body
    assert '<option value="Dutch">nld</option>' in body
    # The scripts are files of the site (the Content-Security-Policy allows no other):
    # the menu's, and the one that asks the server for more languages as one types.
    assert re.findall(r"<script[^>]*>", body) == [
        '<script src="/static/victimid/menu.js">',
        '<script src="/static/cases/suggest.js" defer>',
    ]
    assert 'data-suggest="/api/v1/languages"' in body
