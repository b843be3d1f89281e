"""Normalising and validating known hash values.

md5, sha1, sha256 and pdq are lower-case hex of an exact length; PhotoDNA is
base64 of 144 bytes, kept exactly as given (its encoding is part of the value
other systems exchange). Anything else is refused with the reason.
"""

from __future__ import annotations

import base64
import binascii
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm

HEX_LENGTHS = {
    HashAlgorithm.MD5: 32,
    HashAlgorithm.SHA1: 40,
    HashAlgorithm.SHA256: 64,
    HashAlgorithm.PDQ: 64,
}
PHOTODNA_BYTES = 144
_HEX_DIGITS = "0123456789abcdef"


def _is_hex(text: str) -> bool:
    """Non-empty and only lower-case hex digits: what is left once they are stripped from
    both ends is nothing (C speed; a regular expression took a third of an import's
    per-value time)."""
    return bool(text) and not text.strip(_HEX_DIGITS)


# ``HashAlgorithm.values`` builds a new list on every call: too slow for a million values.
_ALGORITHMS = frozenset(HashAlgorithm.values)


def hash_value_normalise(algorithm: str, value: str) -> str:
    """The stored form of ``value``; a ValidationError saying why when it is invalid."""
    # The common case first, in few steps (an import checks millions): hex of its length.
    expected = HEX_LENGTHS.get(algorithm)  # type: ignore[call-overload]  # str enum keys
    if expected is not None and value:
        normalised = value.strip().lower()
        if len(normalised) == expected and _is_hex(normalised):
            return normalised
    if algorithm not in _ALGORITHMS:
        raise ValidationError(
            _("Unknown algorithm %(algorithm)s; use one of %(known)s."),
            code="unknown_algorithm",
            params={"algorithm": algorithm, "known": ", ".join(HashAlgorithm.values)},
        )
    raw = (value or "").strip()
    if algorithm == HashAlgorithm.PHOTODNA:
        try:
            decoded = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError(
                _("A PhotoDNA value must be base64."), code="invalid_photodna"
            ) from None
        if len(decoded) != PHOTODNA_BYTES:
            raise ValidationError(
                _("A PhotoDNA value must decode to %(expected)d bytes, not %(actual)d."),
                code="invalid_photodna",
                params={"expected": PHOTODNA_BYTES, "actual": len(decoded)},
            )
        return raw
    normalised = raw.lower()
    expected = HEX_LENGTHS[algorithm]  # type: ignore[index]  # a str enum hashes as its value
    if not _is_hex(normalised):
        raise ValidationError(
            _("A %(algorithm)s value must be hexadecimal (0-9, a-f)."),
            code="invalid_hex",
            params={"algorithm": algorithm},
        )
    if len(normalised) != expected:
        raise ValidationError(
            _("A %(algorithm)s value has %(expected)d hex digits, not %(actual)d."),
            code="invalid_length",
            params={"algorithm": algorithm, "expected": expected, "actual": len(normalised)},
        )
    return normalised


_BASE64 = re.compile(r"[A-Za-z0-9+/]+={0,2}")
# 64 hex digits are a SHA-256 or a PDQ value: nothing in the form tells them apart.
_HEX_CANDIDATES: dict[int, tuple[str, ...]] = {
    32: (HashAlgorithm.MD5,),
    40: (HashAlgorithm.SHA1,),
    64: (HashAlgorithm.SHA256, HashAlgorithm.PDQ),
}


def hash_algorithms_inferred(value: str) -> tuple[str, ...]:
    """The algorithms a value's form allows (none: not a hash value we know).

    32 hex digits are MD5, 40 SHA-1, 64 SHA-256 or PDQ (both are looked up), base64 of
    144 bytes PhotoDNA.
    """
    raw = (value or "").strip()
    if len(raw) in _HEX_CANDIDATES and _is_hex(raw.lower()):
        return _HEX_CANDIDATES[len(raw)]
    if len(raw) == 192 and _BASE64.fullmatch(raw):
        try:
            if len(base64.b64decode(raw, validate=True)) == PHOTODNA_BYTES:
                return (HashAlgorithm.PHOTODNA,)
        except (binascii.Error, ValueError):
            return ()
    return ()


def hash_probe_normalise(value: str, algorithm: str = "") -> list[tuple[str, str]]:
    """(algorithm, stored form) pairs to look a probe value up by; ValidationError if none.

    With ``algorithm`` the value must be of that algorithm; without, its form decides
    (``hash_algorithms_inferred``), and an ambiguous form gives one pair per algorithm.
    """
    if algorithm:
        return [(algorithm, hash_value_normalise(algorithm, value))]
    raw = (value or "").strip()
    lowered = raw.lower()
    hex_candidates = _HEX_CANDIDATES.get(len(raw))
    if hex_candidates and _is_hex(lowered):  # the common case, checked once
        return [(candidate, lowered) for candidate in hex_candidates]
    candidates = hash_algorithms_inferred(value)
    if not candidates:
        raise ValidationError(
            _(
                "Not a hash value: give 32 (MD5), 40 (SHA-1) or 64 (SHA-256, PDQ) hex "
                "digits, or a PhotoDNA value (base64 of 144 bytes), or name the algorithm."
            ),
            code="unknown_form",
        )
    return [(candidate, hash_value_normalise(candidate, value)) for candidate in candidates]


# --- The stored form: digest bytes ------------------------------------------------------
#
# Known values are stored as their digest bytes (``bytea``): half the size of hex, so the
# unique index is smaller and a join compares 16 to 32 bytes instead of text under a
# collation. Every algorithm's digest has its own length (MD5 16, SHA-1 20, SHA-256 and
# PDQ 32, PhotoDNA 144), so the bytes alone say how to show them again: lower-case hex,
# PhotoDNA as base64 (144 bytes encode to exactly 192 characters without padding, one
# way only, so the value given comes back unchanged).


def hash_value_digest(value: str) -> bytes:
    """The digest bytes of a stored form (lower-case hex, or PhotoDNA's base64)."""
    if len(value) == 192:
        return base64.b64decode(value, validate=True)
    return bytes.fromhex(value)


def hash_value_text(digest: bytes | memoryview) -> str:
    """The stored form shown again: lower-case hex, or base64 for a PhotoDNA value."""
    raw = bytes(digest)
    if len(raw) == PHOTODNA_BYTES:
        return base64.b64encode(raw).decode("ascii")
    return raw.hex()


def sql_hash_digest(algorithm: str, value: str) -> str:
    """SQL turning a stored form (text column ``value``) into its digest bytes."""
    return (
        f"CASE WHEN {algorithm} = 'photodna' THEN decode({value}, 'base64')"
        f" ELSE decode({value}, 'hex') END"
    )


def sql_hash_text(digest: str) -> str:
    """SQL turning digest bytes back into the stored form (as ``hash_value_text``)."""
    # encode(..., 'base64') breaks lines every 76 characters: the breaks go.
    return (
        f"CASE WHEN length({digest}) = {PHOTODNA_BYTES}"
        f" THEN translate(encode({digest}, 'base64'), E'\\n', '')"
        f" ELSE encode({digest}, 'hex') END"
    )
