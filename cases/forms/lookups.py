"""The hash lookup page's form: values pasted, or a small file of them dropped."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm
from cases.forms.common import CaseworkForm
from cases.services.hashes import MAX_HASHES_PER_REQUEST

__all__ = ["MAX_LOOKUP_FILE_BYTES", "HashLookupForm", "lookup_entries_from_lines"]

MAX_LOOKUP_FILE_BYTES = 2 * 1024 * 1024


def lookup_entries_from_lines(lines: list[str]) -> list[dict[str, str]]:
    """``value`` or ``algorithm:value`` per line; blank lines and ``#`` comments skipped."""
    entries: list[dict[str, str]] = []
    for line in lines:
        text = line.strip().lstrip("\ufeff")
        if not text or text.startswith("#"):
            continue
        algorithm, separator, value = text.partition(":")
        if separator and algorithm.strip().lower() in HashAlgorithm.values:
            entries.append({"algorithm": algorithm.strip().lower(), "value": value.strip()})
        else:
            entries.append({"algorithm": "", "value": text})
    return entries


class HashLookupForm(CaseworkForm):
    """Up to 10,000 values, typed, pasted or read from a small text file."""

    values = forms.CharField(
        label=_("Hash values"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 8, "spellcheck": "false", "autocomplete": "off", "id": "lookup-values"}
        ),
        help_text=_(
            "One per line. The algorithm is read from the value's form (MD5, SHA-1, "
            "SHA-256 or PDQ as hex, PhotoDNA as base64); write algorithm:value to name it."
        ),
    )
    file = forms.FileField(
        label=_("Or a file of values"),
        required=False,
        help_text=_("A text file with one value per line, at most 2 MB."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = (cleaned.get("values") or "").splitlines()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_LOOKUP_FILE_BYTES:
                self.add_error(
                    "file", _("The file is larger than 2 MB; start a triage job for it.")
                )
                return cleaned
            try:
                lines += upload.read().decode("utf-8-sig").splitlines()
            except UnicodeDecodeError:
                self.add_error("file", _("The file is not UTF-8 text."))
                return cleaned
        entries = lookup_entries_from_lines(lines)
        if not entries:
            raise ValidationError({"values": _("Paste at least one hash value, or choose a file.")})
        if len(entries) > MAX_HASHES_PER_REQUEST:
            raise ValidationError(
                {
                    "values": _(
                        "At most %(max)d values at a time here (this has %(count)d); "
                        "start a triage job for a whole seizure."
                    )
                    % {"max": MAX_HASHES_PER_REQUEST, "count": len(entries)}
                }
            )
        cleaned["entries"] = entries
        return cleaned
