"""Search finds what people type: inflected forms in the clue's languages, kinds of clue by
name in any language, languages and countries by name, and shows why a clue matched."""

from __future__ import annotations

import pytest

from cases.models import ClueTaxonomyNode
from cases.selectors.clues import clue_queryset
from tests.factories import ClueFactory

pytestmark = pytest.mark.django_db


def _titles(actor, **filters):
    return {clue.title for clue in clue_queryset(actor=actor, filters=filters)}


@pytest.fixture
def clues(actors, series):
    node = ClueTaxonomyNode.objects.get(slug="flora")

    def clue(title, description, languages, taxonomy_node=node):
        return ClueFactory(
            actor=actors.owner,
            series=series,
            title=title,
            description=description,
            languages=languages,
            taxonomy_node=taxonomy_node,
            distribution="network",
        )

    return {
        "english": clue("Cream wall socket", "Two sockets beside the bed.", ["eng"]),
        "dutch": clue("Stopcontact", "Twee stopcontacten naast het bed.", ["nld"]),
        "plain": clue("Blue kettle", "A kettle on the stove.", []),
        "spanish_socket": clue(
            "Enchufe",
            "Un enchufe junto a la cama.",
            ["spa"],
            taxonomy_node=ClueTaxonomyNode.objects.get(slug="sockets"),
        ),
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("socket", "Cream wall socket"),  # the clue says "sockets"
        ("sockets", "Cream wall socket"),  # and its title "socket"
        ("stopcontact", "Stopcontact"),
        ("stopcontacten", "Stopcontact"),
        ("kettle", "Blue kettle"),  # no language: word for word
    ],
)
def test_inflected_forms_match_in_the_clues_language(actors, clues, typed, expected):
    assert expected in _titles(actors.abroad, q=typed)


def test_a_clue_without_a_language_is_found_word_for_word_only(actors, clues):
    assert "Blue kettle" not in _titles(actors.abroad, q="kettles")


def test_a_kind_of_clue_by_name_finds_its_clues_in_any_language(actors, clues):
    # "Enchufe" says nothing of sockets in English; it is filed under sockets.
    assert "Enchufe" in _titles(actors.abroad, q="sockets")
    assert "Enchufe" not in _titles(actors.abroad, q="kettle")


@pytest.mark.parametrize("typed", ["Dutch", "dutch", "nld", "nl"])
def test_the_language_filter_takes_a_name_or_a_code(actors, clues, typed):
    assert _titles(actors.abroad, language=typed) == {"Stopcontact"}


def test_an_unknown_language_name_is_refused_by_name(actors, clues, client):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        _titles(actors.abroad, language="Klingonese")
    assert "language" in refused.value.message_dict


def test_the_country_filter_takes_a_name(actors, series):
    ClueFactory(
        actor=actors.owner,
        series=series,
        title="Schuko",
        country_hypotheses=[("DE", "high")],
        distribution="network",
    )
    assert _titles(actors.abroad, country="Germany") == {"Schuko"}


def test_the_search_page_marks_the_words_that_matched(actors, clues):
    from tests.conftest import signed_in_client

    page = signed_in_client(actors.abroad).get("/clues/", {"q": "stopcontact"}).content.decode()
    assert "<mark>Stopcontact</mark>" in page
    assert "Twee <mark>stopcontacten</mark> naast" in page


def test_marked_words_are_escaped_before_they_are_marked(actors, series):
    from tests.conftest import signed_in_client

    ClueFactory(
        actor=actors.owner,
        series=series,
        title="Kettle <b>bold</b>",
        description="A kettle & a <script>stove</script>.",
        distribution="network",
    )
    page = signed_in_client(actors.abroad).get("/clues/", {"q": "kettle"}).content.decode()
    assert "<mark>Kettle</mark>" in page
    assert "<b>bold" not in page and "<script>stove" not in page
