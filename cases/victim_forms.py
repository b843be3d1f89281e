"""Forms of the victims pages: they parse input; the services decide."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    DISTRIBUTION_EXPLAINED,
    AgeBand,
    Distribution,
    IdentificationEventKind,
    SupportService,
    VictimStatus,
)
from cases.models import IdentificationEvent
from cases.selectors.sharing import sharing_groups_for
from victimid.models import SharingGroup, User

_CODE_SEPARATORS = re.compile(r"[\s,;]+")


def split_codes(text: str) -> list[str]:
    """Series codes typed with commas, spaces or new lines, upper-cased and de-duplicated."""
    return list(dict.fromkeys(code.upper() for code in _CODE_SEPARATORS.split(text) if code))


class VictimFilterForm(forms.Form):
    series = forms.CharField(label=_("Series code"), required=False, max_length=20)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *VictimStatus.choices],
    )


class VictimCreateForm(forms.Form):
    series_codes = forms.CharField(
        label=_("Series the child appears in"),
        max_length=500,
        help_text=_("One or more series codes, e.g. SER-2026-000017, separated by commas."),
    )
    age_band = forms.ChoiceField(
        label=_("Age band at first appearance"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN
    )
    distribution = forms.ChoiceField(
        label=_("Who will see this victim record"),
        choices=[
            (value, f"{label} — {DISTRIBUTION_EXPLAINED[Distribution(value)]}")
            for value, label in Distribution.choices
        ],
        initial=Distribution.AGENCY,
        widget=forms.RadioSelect,
        help_text=_("Readers must also be able to see at least one of the series."),
    )
    sharing_group = forms.ModelChoiceField(
        label=_("Sharing group"),
        queryset=SharingGroup.objects.none(),
        required=False,
        help_text=_("Only for the 'sharing group' choice."),
    )
    notes = forms.CharField(
        label=_("Working notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never a name, birth date, address, school or picture of the child."),
    )

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sharing_group"].queryset = sharing_groups_for(actor=actor)  # type: ignore[attr-defined]

    def clean_series_codes(self) -> list[str]:
        codes = split_codes(self.cleaned_data["series_codes"])
        if not codes:
            raise forms.ValidationError(_("Name at least one series."))
        return codes


class VictimEditForm(VictimCreateForm):
    """The owner's changes, carrying the version read so no change is lost silently."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RecordOutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=IdentificationEventKind.choices)
    occurred_on = forms.DateField(
        label=_("Date it happened"), widget=forms.DateInput(attrs={"type": "date"})
    )
    also_identified = forms.BooleanField(
        label=_("Also record the identification on the same date"),
        required=False,
        help_text=_("For a safeguarding when the identification was not yet recorded."),
    )
    support_service = forms.ChoiceField(
        label=_("Kind of support service"),
        required=False,
        choices=[("", _("— only for a referral —")), *SupportService.choices],
    )
    corrects = forms.TypedChoiceField(
        label=_("Event this corrects"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Only for a correction: the event stays in the log, marked corrected."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What a colleague needs to know. Never a name or address of the child."),
    )

    def __init__(
        self, *args: Any, correctable: QuerySet[IdentificationEvent], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.correctable = {event.pk: event for event in correctable}
        self.fields["corrects"].choices = [  # type: ignore[attr-defined]
            ("", _("— only for a correction —")),
            *(
                (event.pk, f"{event.occurred_on:%Y-%m-%d} · {event.get_kind_display()}")
                for event in self.correctable.values()
            ),
        ]

    def clean_corrects(self) -> IdentificationEvent | None:
        pk = self.cleaned_data.get("corrects")
        return self.correctable.get(pk) if pk is not None else None
