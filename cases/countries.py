"""Countries as ISO 3166-1 alpha-2 codes, found from a code or an English name."""

from __future__ import annotations

from functools import lru_cache

from django.utils import translation
from django_countries import countries

__all__ = ["country_code", "country_suggestions"]


def country_code(text: str) -> str | None:
    """The alpha-2 code for what someone typed: a code (``NL``) or an English name
    (``Netherlands``, any letter case); None when nothing matches."""
    typed = str(text or "").strip()
    if not typed:
        return None
    if len(typed) == 2 and countries.alpha2(typed.upper()):
        return typed.upper()
    for code, name in _english_names():
        if name.lower() == typed.lower():
            return code
    return countries.by_name(typed) or None


@lru_cache(maxsize=1)
def _english_names() -> tuple[tuple[str, str], ...]:
    with translation.override("en"):
        return tuple((code, str(name)) for code, name in countries)


def country_suggestions(text: str, limit: int = 10) -> list[tuple[str, str]]:
    """(code, English name) of the countries whose code or name starts with ``text``, then
    those whose name contains it."""
    typed = str(text or "").strip().lower()
    if not typed:
        return []
    starts = [
        (c, n) for c, n in _english_names() if c.lower() == typed or n.lower().startswith(typed)
    ]
    contains = [(c, n) for c, n in _english_names() if (c, n) not in starts and typed in n.lower()]
    return (starts + contains)[:limit]
