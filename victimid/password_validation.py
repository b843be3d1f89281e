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
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _

__all__ = ["BreachedPasswordValidator"]

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
