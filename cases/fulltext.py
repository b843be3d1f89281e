"""Full-text search of clues in the languages they are written about.

A clue's text is indexed twice over: word for word (``simple``), so that any exact word
is found whatever the language, and — for each of its languages that PostgreSQL has a
stemming configuration for — in that language's stemmed forms, so that "sockets" finds
"socket" and "stopcontacten" finds "stopcontact". A query is parsed the same ways and
matches a clue when any of its readings does. Only PostgreSQL's built-in snowball
configurations are used (present in every PostgreSQL 14 and later, the embedded one
included); a language without one is searched word for word.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, CharField, Expression, F, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast

__all__ = [
    "MARK_END",
    "MARK_START",
    "STEMMING",
    "clue_headline",
    "clue_search_vector",
    "search_query",
]

# ISO 639-3 code -> PostgreSQL text search configuration (core snowball stemmers).
STEMMING: dict[str, str] = {
    "ara": "arabic",
    "dan": "danish",
    "deu": "german",
    "ell": "greek",
    "eng": "english",
    "fin": "finnish",
    "fra": "french",
    "gle": "irish",
    "hun": "hungarian",
    "ind": "indonesian",
    "ita": "italian",
    "lit": "lithuanian",
    "nep": "nepali",
    "nld": "dutch",
    "nob": "norwegian",
    "nno": "norwegian",
    "nor": "norwegian",
    "por": "portuguese",
    "ron": "romanian",
    "rus": "russian",
    "spa": "spanish",
    "swe": "swedish",
    "tam": "tamil",
    "tur": "turkish",
}
WORD_FOR_WORD = "simple"
_FIELDS = ("title", "description", "place_text")


def clue_search_vector() -> Expression:
    """The clue's text word for word, plus its stemmed forms in each of its languages."""
    vector: Expression = SearchVector(*_FIELDS, config=WORD_FOR_WORD)
    empty = Cast(Value(""), SearchVectorField())
    for config in sorted(set(STEMMING.values())):
        codes = sorted(code for code, name in STEMMING.items() if name == config)
        stemmed = Case(
            When(languages__overlap=codes, then=SearchVector(*_FIELDS, config=config)),
            default=empty,
            output_field=SearchVectorField(),
        )
        vector = CombinedExpression(vector, "||", stemmed, output_field=SearchVectorField())
    return vector


class ParsedQuery(SearchQuery):
    """A ``tsquery`` already parsed, given as its text (``'socket' | 'sockets'``)."""

    def __init__(self, parsed: str) -> None:
        super().__init__(parsed)
        self.parsed = parsed

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        return "%s::tsquery", [self.parsed]


def search_query(text: str) -> ParsedQuery | None:
    """What someone typed (words, "a phrase", -not, OR), read word for word and in every
    stemming configuration, so it matches a clue in whichever its text is indexed; None
    when it holds no word worth searching (only stop words).

    Most configurations read most words alike, so the readings are parsed first and only
    the distinct ones are kept: the query each clue is tested against stays as short as
    the text allows (one reading per distinct stem, not one per language).
    """
    configs = [WORD_FOR_WORD, *sorted(set(STEMMING.values()))]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT websearch_to_tsquery(config::regconfig, %s)::text"
            " FROM unnest(%s::text[]) AS config",
            [text, configs],
        )
        readings = sorted(reading for (reading,) in cursor.fetchall() if reading)
    if not readings:
        return None
    return ParsedQuery(" | ".join(f"( {reading} )" for reading in readings))


# Around each matching word of a headline; the page escapes the text, then marks them.
MARK_START = "\x1e"
MARK_END = "\x1f"


def _clue_config() -> Expression:
    """The configuration a clue's words are best marked in: its first stemmed language."""
    whens = [
        When(
            languages__overlap=sorted(c for c, n in STEMMING.items() if n == config),
            then=Value(config),
        )
        for config in sorted(set(STEMMING.values()))
    ]
    return Case(*whens, default=Value(WORD_FOR_WORD), output_field=CharField())


def clue_headline(field: str, query: ParsedQuery) -> SearchHeadline:
    """``field`` of each clue with the words matching ``query`` between the marks."""
    return SearchHeadline(
        F(field),
        query,
        config=_clue_config(),
        start_sel=MARK_START,
        stop_sel=MARK_END,
        max_fragments=2,
        fragment_delimiter=" … ",
    )
