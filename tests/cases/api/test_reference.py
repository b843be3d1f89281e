"""Languages and countries found from a code or an English name, as one types."""

from __future__ import annotations

import pytest

from cases.countries import country_code, country_suggestions
from cases.languages import language_code, language_suggestions
from tests.conftest import api_client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Dutch", "nld"), ("dutch", "nld"), ("nld", "nld"), ("NL", "nld"), ("Tagalog", "tgl")],
)
def test_a_language_is_found_by_code_or_english_name(typed, code):
    assert language_code(typed) == code


@pytest.mark.parametrize("typed", ["", "Klingonese", "xx1"])
def test_an_unknown_language_is_not_guessed(typed):
    assert language_code(typed) is None


@pytest.mark.parametrize(
    ("typed", "code"), [("Netherlands", "NL"), ("netherlands", "NL"), ("nl", "NL"), ("Spain", "ES")]
)
def test_a_country_is_found_by_code_or_english_name(typed, code):
    assert country_code(typed) == code


def test_suggestions_put_what_starts_with_the_text_and_common_languages_first():
    assert language_suggestions("dut")[0] == ("nld", "Dutch")
    assert language_suggestions("ger")[0] == ("deu", "German")
    assert country_suggestions("neth")[0] == ("NL", "Netherlands")
    assert len(language_suggestions("a", limit=5)) == 5
    assert language_suggestions("   ") == []


def test_the_api_suggests_languages_and_countries(actors):
    client = api_client_for(actors.owner)
    languages = client.get("/api/v1/languages", {"q": "dut"})
    assert languages.status_code == 200
    assert languages.json()[0] == {"code": "nld", "name": "Dutch"}
    countries = client.get("/api/v1/countries", {"q": "spa"})
    assert {"code": "ES", "name": "Spain"} in countries.json()
    assert client.get("/api/v1/languages").json() == []
