"""Forms of known hash values: typed or pasted on the series page."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from cases.choices import HashAlgorithm, VicsCategory
from cases.forms.common import CaseworkForm
from cases.hash_values import hash_value_normalise

__all__ = ["MAX_HASH_LINES", "HashAddForm"]

MAX_HASH_LINES = 1000


class HashAddForm(CaseworkForm):
    """Known hash values typed or pasted as ``algorithm:value`` lines."""

    lines = forms.CharField(
        label=_("Hash values"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=format_lazy(
            _("One per line as algorithm:value, e.g. md5:{example}. Algorithms: {algorithms}."),
            example="d41d8cd98f00b204e9800998ecf8427e",
            algorithms=", ".join(HashAlgorithm.values),
        ),
    )
    vics_category = forms.TypedChoiceField(
        label=_("VICS category"),
        choices=VicsCategory.choices,
        coerce=int,
        initial=VicsCategory.UNCATEGORISED,
    )

    def clean_lines(self) -> list[dict[str, str]]:
        entries: list[dict[str, str]] = []
        problems: list[str] = []
        lines = [line.strip() for line in self.cleaned_data["lines"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_HASH_LINES:
            raise ValidationError(
                _("At most %(max)d values at a time here; import larger lists."),
                params={"max": MAX_HASH_LINES},
            )
        for number, line in enumerate(lines, start=1):
            algorithm, separator, value = line.partition(":")
            algorithm = algorithm.strip().lower()
            try:
                if not separator:
                    raise ValidationError(_("write algorithm:value."))
                hash_value_normalise(algorithm, value)
            except ValidationError as error:
                problems += [
                    _("Line %(number)d: %(problem)s") % {"number": number, "problem": message}
                    for message in error.messages
                ]
                continue
            entries.append({"algorithm": algorithm, "value": value.strip()})
        if problems:
            raise ValidationError(problems)
        return entries
