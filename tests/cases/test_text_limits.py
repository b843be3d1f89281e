"""Text over a field's limit is refused with the limit and its length, and never cut short.

Browsers cut pasted text at an input's ``maxlength`` without a word, so the forms carry
the limit as ``data-limit`` instead (for the live counter) and the server refuses: "At
most 5,000 characters; this has 5,214." — the same words on the page, in the API and
from the services.
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from cases.models import Clue, IdentificationEvent, Series, Victim
from cases.services import series_create
from tests.conftest import api_client_for, signed_in_client
from tests.factories import IdentificationEventFactory, VictimFactory

pytestmark = pytest.mark.django_db


def words(length: int) -> str:
    """Ordinary words (nothing the screening refuses), exactly ``length`` characters long."""
    return ("word " * (length // 5 + 1))[:length].rstrip().ljust(length, "s")


def test_words_are_as_long_as_asked():
    assert len(words(5214)) == 5214 and len(words(2001)) == 2001


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        (
            "/series/new/",
            {"title": "Harbour", "status": "active", "distribution": "agency", "summary": 5214},
            "summary",
            "At most 5,000 characters; this has 5,214.",
        ),
        (
            "/series/new/",
            {"title": 214, "status": "active", "distribution": "agency"},
            "title",
            "At most 200 characters; this has 214.",
        ),
    ],
)
def test_the_page_refuses_long_text_with_the_limit_and_keeps_all_of_it(
    actors, url, data, field, message
):
    text = words(data[field])
    response = signed_in_client(actors.owner).post(url, {**data, field: text})
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert escape(message) in page
    assert escape(text) in page  # all of it, back in the form to be shortened
    assert not Series.objects.exists()


def test_the_outcome_note_is_refused_with_its_limit_on_the_page(actors, series):
    victim = VictimFactory(actor=actors.owner, series=[series])
    response = signed_in_client(actors.owner).post(
        f"/victims/{victim.code}/record/",
        {"kind": "identified", "occurred_on": "2026-10-01", "note": words(2001)},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["note"] == ["At most 2,000 characters; this has 2,001."]
    assert not IdentificationEvent.objects.exists()


def test_the_forms_carry_the_limit_for_the_counter_not_for_the_browser_to_cut(actors, series):
    client = signed_in_client(actors.owner)
    victim = VictimFactory(actor=actors.owner, series=[series])
    for url in (
        "/series/new/",
        f"/series/{series.code}/clues/new/",
        "/victims/new/",
        f"/victims/{victim.code}/record/",
    ):
        page = client.get(url).content.decode()
        assert "maxlength" not in page, url
        assert re.search(r'<textarea[^>]* data-limit="(5000|2000)"', page), url
        assert 'data-limit-text="{count} of {limit} characters"' in page, url
        assert "cases/text_limits.js" in page, url


@pytest.mark.parametrize(
    ("path", "body", "field", "message"),
    [
        (
            "/api/v1/series",
            {"title": "Harbour", "distribution": "agency", "summary": 5214},
            "summary",
            "At most 5,000 characters; this has 5,214.",
        ),
        (
            "/api/v1/series",
            {"title": 201, "distribution": "agency"},
            "title",
            "At most 200 characters; this has 201.",
        ),
        (
            "/api/v1/clues",
            {"taxonomy_node": "sockets", "title": "Socket", "distribution": "agency"},
            "description",
            "At most 5,000 characters; this has 5,001.",
        ),
        (
            "/api/v1/victims",
            {"notes": 2050},
            "notes",
            "At most 2,000 characters; this has 2,050.",
        ),
        (
            "EVENTS",
            {"kind": "follow_up", "occurred_on": "2026-10-02", "note": 2001},
            "note",
            "At most 2,000 characters; this has 2,001.",
        ),
    ],
)
def test_the_api_refuses_long_text_with_the_limit_and_the_length(
    actors, series, path, body, field, message
):
    victim = VictimFactory(actor=actors.owner, series=[series])
    IdentificationEventFactory(victim=victim)
    body = {**body, field: words(body.get(field) if field in body else 5001)}
    if path == "EVENTS":
        path = f"/api/v1/victims/{victim.code}/events"
    if path in ("/api/v1/clues", "/api/v1/victims"):
        body["series"] = series.code if path.endswith("clues") else [series.code]
    before = (Series.objects.count(), Clue.objects.count(), Victim.objects.count())
    response = api_client_for(actors.owner).post(path, body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"][field] == [message]
    assert (Series.objects.count(), Clue.objects.count(), Victim.objects.count()) == before
    assert IdentificationEvent.objects.count() == 1


def test_the_services_refuse_in_the_same_words(actors):
    with pytest.raises(ValidationError) as refused:
        series_create(
            actor=actors.owner, title="Harbour", distribution="agency", summary=words(6000)
        )
    assert refused.value.message_dict["summary"] == ["At most 5,000 characters; this has 6,000."]
