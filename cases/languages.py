"""Languages of clues as ISO 639-3 codes, named in the reader's language (from pycountry)."""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry
from django.utils import translation

__all__ = [
    "COMMON_LANGUAGES",
    "LANGUAGE_COUNTRIES",
    "is_language_code",
    "language_choices",
    "language_code",
    "language_name",
    "language_suggestions",
]

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


def language_code(text: str) -> str | None:
    """The ISO 639-3 code for what someone typed: a code (``nld``, ``nl``) or an English
    name (``Dutch``, any letter case); None when nothing matches."""
    typed = str(text or "").strip()
    if not typed:
        return None
    try:
        record = pycountry.languages.lookup(typed)
    except LookupError:
        return None
    return getattr(record, "alpha_3", None)


@lru_cache(maxsize=1)
def _all_languages() -> tuple[tuple[str, str, bool], ...]:
    """(code, English name, living) of every ISO 639-3 language, common ones first."""
    records = [
        (record.alpha_3, record.name, getattr(record, "type", "L") == "L")
        for record in pycountry.languages
    ]
    common = set(COMMON_LANGUAGES)
    return tuple(sorted(records, key=lambda r: (r[0] not in common, not r[2], r[1])))


def language_suggestions(text: str, limit: int = 10) -> list[tuple[str, str]]:
    """(code, English name) of the languages whose code or name starts with ``text``, then
    those whose name contains it; common and living languages first."""
    typed = str(text or "").strip().lower()
    if not typed:
        return []
    starts, contains = [], []
    for code, name, _living in _all_languages():
        lowered = name.lower()
        if code == typed or lowered.startswith(typed):
            starts.append((code, name))
        elif typed in lowered:
            contains.append((code, name))
        if len(starts) >= limit:
            break
    return (starts + contains)[:limit]


# Where each common language is an official or widely spoken national language: the
# countries a clue in that language proposes for routing ("do you recognise this?").
# A language not listed proposes no country; its clue's country hypotheses still do.
LANGUAGE_COUNTRIES: dict[str, tuple[str, ...]] = {
    "ara": ("EG", "SA", "MA", "DZ", "IQ", "JO", "AE", "TN", "LB"),
    "ben": ("BD", "IN"),
    "bul": ("BG",),
    "ces": ("CZ",),
    "cmn": ("CN", "TW", "SG"),
    "dan": ("DK",),
    "deu": ("DE", "AT", "CH", "LI", "LU"),
    "ell": ("GR", "CY"),
    "eng": ("GB", "IE", "US", "CA", "AU", "NZ"),
    "est": ("EE",),
    "fas": ("IR", "AF"),
    "fin": ("FI",),
    "fra": ("FR", "BE", "CH", "LU", "CA"),
    "gsw": ("CH",),
    "heb": ("IL",),
    "hin": ("IN",),
    "hrv": ("HR", "BA"),
    "hun": ("HU",),
    "ind": ("ID",),
    "ita": ("IT", "CH", "SM"),
    "jpn": ("JP",),
    "kor": ("KR",),
    "lav": ("LV",),
    "lim": ("NL", "BE"),
    "lit": ("LT",),
    "nld": ("NL", "BE", "SR"),
    "nor": ("NO",),
    "pol": ("PL",),
    "por": ("PT", "BR"),
    "ron": ("RO", "MD"),
    "rus": ("RU", "BY", "KZ"),
    "slk": ("SK",),
    "slv": ("SI",),
    "spa": ("ES", "MX", "AR", "CO", "CL", "PE"),
    "srp": ("RS", "BA", "ME"),
    "swe": ("SE", "FI"),
    "tgl": ("PH",),
    "tha": ("TH",),
    "tur": ("TR", "CY"),
    "ukr": ("UA",),
    "urd": ("PK", "IN"),
    "vie": ("VN",),
    "zho": ("CN", "TW", "SG"),
}
