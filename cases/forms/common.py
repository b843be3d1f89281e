"""What the casework forms share: the distribution level and the version being edited.

Forms parse input; the services validate and write. Free text is screened in the forms
too (the same rule the services apply), so a form shows every problem at once rather
than one round trip after another.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.choices import Distribution
from cases.models.base import distribution_problems
from victimid.models import SharingGroup
from victimid.text_limits import TextLimitValidator

__all__ = ["CaseworkForm", "DistributionFields", "VersionField", "add_rule_problems"]


def add_rule_problems(form: forms.Form, problems: dict[str, str]) -> None:
    """Show what a model's rule found (``cases.models``' ``*_problems``) next to its field.

    A field that already has an error keeps only that one: its value did not even parse,
    so the rule saw it as empty.
    """
    for field, message in problems.items():
        if field not in form.errors:
            form.add_error(field if field in form.fields else None, message)


class CaseworkForm(forms.Form):
    """Base of the casework forms: text over a field's limit is refused, never cut short.

    Django writes a text field's limit into the ``maxlength`` attribute, and a browser
    then drops whatever is pasted beyond it without a word. Here the limit becomes
    ``data-limit`` (``cases/text_limits.js`` counts against it as the text nears it) and
    the form refuses longer text with the limit and the length, as the API does.
    """

    counter_text = _("{count} of {limit} characters")
    counter_over_text = _("{count} of {limit} characters: {over} too many")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_text_fields()

    def limit_text_fields(self) -> None:
        """Give every text field its limit as above; again after adding fields."""
        for field in self.fields.values():
            limit = getattr(field, "max_length", None)
            if not limit or any(isinstance(v, TextLimitValidator) for v in field.validators):
                continue
            field.validators = [
                validator
                for validator in field.validators
                if not isinstance(validator, MaxLengthValidator)
            ] + [TextLimitValidator(limit)]
            attrs = field.widget.attrs
            attrs.pop("maxlength", None)
            if not field.widget.is_hidden:
                attrs["data-limit"] = str(limit)
                attrs["data-limit-text"] = str(self.counter_text)
                attrs["data-limit-over-text"] = str(self.counter_over_text)


class DistributionFields(CaseworkForm):
    """The distribution level (radio buttons, each explained) and the sharing group."""

    distribution = forms.ChoiceField(
        label=_("Who will see this"),
        choices=Distribution.choices,
        widget=forms.RadioSelect,
        initial=Distribution.AGENCY,
    )
    sharing_group = forms.ModelChoiceField(
        label=_("Sharing group"),
        queryset=SharingGroup.objects.none(),
        required=False,
        empty_label=_("— choose a sharing group —"),
        help_text=_("Only for the sharing-group level: the group whose agencies will see this."),
    )

    def __init__(
        self, *args: Any, sharing_groups: QuerySet[SharingGroup] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sharing_group"].queryset = (  # type: ignore[attr-defined]
            sharing_groups if sharing_groups is not None else SharingGroup.objects.none()
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("distribution") != Distribution.GROUP:
            cleaned["sharing_group"] = None  # a group chosen then abandoned means nothing
        if "distribution" in cleaned:
            add_rule_problems(
                self, distribution_problems(cleaned["distribution"], cleaned.get("sharing_group"))
            )
        return cleaned


class VersionField(CaseworkForm):
    """The version the editor started from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
