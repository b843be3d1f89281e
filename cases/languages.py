"""Languages of clues as ISO 639-3 codes, named in the reader's language (from pycountry)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation

__all__ = ["COMMON_LANGUAGES", "language_choices", "language_name", "is_language_code"]

# The languages investigators most often name; any other ISO 639-3 code may be typed in.
COMMON_LANGUAGES = (
    "ara", "ben", "bul", "ces", "cmn", "dan", "deu", "ell", "eng", "est", "fas", "fin",
    "fra", "heb", "hin", "hrv", "hun", "ind", "ita", "jpn", "kor", "lav", "lit", "nld",
    "nor", "pol", "por", "ron", "rus", "slk", "slv", "spa", "srp", "swe", "tgl", "tha",
    "tur", "ukr", "urd", "vie", "zho",
)  # fmt: skip


@lru_cache(maxsize=8)
def _translator(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso639-3", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def is_language_code(code: str) -> bool:
    """Is ``code`` an ISO 639-3 code pycountry knows?"""
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


def language_name(code: str) -> str:
    """The language's name in the active language, or the code itself when unknown."""
    record = pycountry.languages.get(alpha_3=code) if len(code) == 3 else None
    if record is None:
        return code
    active = (translation.get_language() or "en").split("-")[0]
    return _translator(active).gettext(record.name)


def language_choices() -> list[tuple[str, str]]:
    """(code, name) for the common languages, sorted by name in the active language."""
    return sorted(((code, language_name(code)) for code in COMMON_LANGUAGES), key=lambda c: c[1])
