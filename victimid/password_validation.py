"""Refuse passwords known from breaches, from lists kept on the server (no network call).

The list shipped with the code is the ``passwords`` frequency list of the ``zxcvbn`` package
(PyPI, MIT; Dropbox's strength estimator): the 30,000 passwords seen most often in the
Xato corpus of ten million leaked credentials, in the wheel, so nothing is fetched at run
time or at install. Django's ``CommonPasswordValidator`` already checks its own 20,000;
this adds the breach corpus, and also refuses a breached password dressed up with a few
digits or symbols at either end ("iloveyou2024!"), which is how such passwords get past a
length rule. An operator may add a larger list, e.g. the most frequent SHA-1 hashes of
Have I Been Pwned's Pwned Passwords downloaded on another machine, as
``BREACHED_PASSWORDS_FILE``: one password or one SHA-1 hash (``HASH`` or ``HASH:count``) a
line, optionally gzip-compressed.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

__all__ = ["BreachedPasswordValidator", "ContextWordsPasswordValidator", "context_words"]

_DRESSING = re.compile(r"^[\W\d_]{0,4}(?P<core>.*?)[\W\d_]{0,6}$", re.DOTALL)
_SHA1 = re.compile(r"^[0-9A-Fa-f]{40}(:\d+)?$")


@cache
def _shipped() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(word.lower() for word in FREQUENCY_LISTS["passwords"])


@cache
def _operator_list(path: str) -> tuple[frozenset[str], frozenset[str]]:
    """(lower-cased passwords, upper-case SHA-1 hashes) of the operator's file."""
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"BREACHED_PASSWORDS_FILE cannot be read: {error}") from error
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    words, hashes = set(), set()
    for line in raw.decode("utf-8", "replace").splitlines():
        entry = line.strip()
        if not entry:
            continue
        if _SHA1.match(entry):
            hashes.add(entry.split(":", 1)[0].upper())
        else:
            words.add(entry.lower())
    return frozenset(words), frozenset(hashes)


class BreachedPasswordValidator:
    """A password seen in a breach (or one with a few characters added to it) is refused."""

    def validate(self, password: str, user: Any = None) -> None:
        words = _shipped()
        hashes: frozenset[str] = frozenset()
        extra = getattr(settings, "BREACHED_PASSWORDS_FILE", None)
        if extra:
            more, hashes = _operator_list(str(extra))
            words = words | more
        lowered = password.lower()
        match = _DRESSING.match(lowered)
        core = match.group("core") if match else lowered
        digest = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest()
        if lowered in words or (len(core) >= 5 and core in words) or digest.upper() in hashes:
            raise ValidationError(
                _(
                    "This password, or one very like it, is known from data breaches; "
                    "attackers try those first. Choose another."
                ),
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return _("Your password cannot be one known from data breaches.")


# Words shorter than this are not looked for inside a password: "nl" or "ice" would refuse
# half of all passwords and protect nothing.
_SHORTEST_WORD = 4
# Digits and symbols people put for letters ("v1ct1m1d", "p@ssw0rd"): both readings of 1.
_LOOKALIKES = (
    str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}),
    str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}),
)


def _letters(text: str) -> str:
    """Lower-case letters only, accents removed: "Policía Nacional" -> "policianacional"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch))


def _words(text: str) -> list[str]:
    """The words of a name, each as letters only."""
    return [_letters(part) for part in re.split(r"[\W\d_]+", text) if part]


def context_words(user: Any = None) -> set[str]:
    """The words a password of ``user`` may not contain (letters only, lower case): the
    configured list (``PASSWORD_CONTEXT_WORDS``: the platform's and the domain's words),
    the platform's name (the issuer authenticator apps show), and the name and country of
    the user's agency, whole and word by word."""
    names = [*settings.PASSWORD_CONTEXT_WORDS, settings.OTP_TOTP_ISSUER]
    agency = getattr(user, "agency", None) if user is not None else None
    if agency is not None:
        names.append(agency.name)
        code = str(getattr(agency.country, "code", agency.country) or "")
        if code:
            from django_countries import countries

            for language in ("en", translation.get_language() or "en"):
                with translation.override(language):
                    names.append(str(countries.name(code)))
    found: set[str] = set()
    for name in names:
        found.add(_letters(name))
        found.update(_words(name))
    return {word for word in found if len(word) >= _SHORTEST_WORD}


class ContextWordsPasswordValidator:
    """A password containing a word of this platform, of the user's agency or country, or of
    the work (ASVS 6.2.11) is refused: those are what an attacker who knows where the
    account belongs tries first. Found inside the password, whatever the case, accents,
    or digits and symbols standing in for letters."""

    def validate(self, password: str, user: Any = None) -> None:
        readings = {_letters(password.lower().translate(table)) for table in _LOOKALIKES}
        for word in sorted(context_words(user), key=lambda w: (-len(w), w)):
            if any(word in reading for reading in readings):
                raise ValidationError(
                    _(
                        "Your password contains “%(word)s”, a word of this platform, your "
                        "agency or country, or the work; attackers try those first. "
                        "Choose another."
                    ),
                    code="password_context_word",
                    params={"word": word},
                )

    def get_help_text(self) -> str:
        return _(
            "Your password cannot contain the platform's name, your agency's name or "
            "country, or common words of the work."
        )
