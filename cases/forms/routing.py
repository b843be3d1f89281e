"""Forms of routing: ask countries about a clue, pass a request on."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.forms.clues import country_choices
from cases.forms.common import CaseworkForm
from cases.screening import screen_text
from cases.services.routing import QUESTION_MAX_LENGTH

__all__ = ["RoutingForm", "RoutingPassForm"]


class RoutingForm(CaseworkForm):
    """Ask the coordinators of some countries whether they recognise the clue."""

    countries = forms.MultipleChoiceField(
        label=_("Proposed countries"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the clue's country hypotheses and languages."),
    )
    other_country = forms.ChoiceField(label=_("Another country"), required=False)
    question = forms.CharField(
        label=_("Your question (optional)"),
        required=False,
        max_length=QUESTION_MAX_LENGTH,
        validators=[screen_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What should they look at? No names, contact details or images."),
    )

    def __init__(self, *args: Any, proposed: list[str] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = [  # type: ignore[attr-defined]
            (code, str(countries.name(code))) for code in proposed
        ]
        self.fields["other_country"].choices = country_choices(  # type: ignore[attr-defined]
            str(_("— no other country —"))
        )

    def service_arguments(self) -> dict[str, Any]:
        chosen = list(self.cleaned_data.get("countries") or [])
        other = self.cleaned_data.get("other_country")
        if other and other not in chosen:
            chosen.append(other)
        return {"countries": chosen, "question": self.cleaned_data.get("question") or ""}


class RoutingPassForm(CaseworkForm):
    """Pass a routing request to an investigator of the coordinator's country."""

    user = forms.TypedChoiceField(label=_("Pass to"), coerce=int)

    def __init__(self, *args: Any, investigators: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose an investigator —")),
            *((user.pk, f"{user.email} ({user.agency.name})") for user in investigators),
        ]
