"""The form that assesses a clue: a verdict, up to three attributions, a comment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.choices import Confidence, Verdict
from cases.forms.clues import country_choices
from cases.forms.common import CaseworkForm
from cases.models import Assessment
from cases.models.clues import country_given_twice_message, repeated_countries
from cases.screening import screen_text
from cases.services.assessments import PLACE_MAX_LENGTH

__all__ = ["ATTRIBUTION_ROWS", "AssessmentForm"]

ATTRIBUTION_ROWS = 3


class AssessmentForm(CaseworkForm):
    """Do you recognise this clue, and where does it point?"""

    verdict = forms.ChoiceField(
        label=_("Do you recognise it?"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    comment = Assessment._meta.get_field("comment").formfield(
        validators=[screen_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you recognise and why. No names, contact details or images."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        blank = str(_("— no country —"))
        for row in range(1, ATTRIBUTION_ROWS + 1):
            self.fields[f"country_{row}"] = forms.ChoiceField(
                label=_("Country %(row)d") % {"row": row},
                choices=country_choices(blank),
                required=False,
            )
            self.fields[f"place_{row}"] = forms.CharField(
                label=_("Place %(row)d (optional)") % {"row": row},
                required=False,
                max_length=PLACE_MAX_LENGTH,
                validators=[screen_text],
            )
            self.fields[f"confidence_{row}"] = forms.ChoiceField(
                label=_("Confidence %(row)d") % {"row": row},
                choices=Confidence.choices,
                initial=Confidence.MEDIUM,
            )
        self.limit_text_fields()  # the place fields, added after the base's pass

    @property
    def attribution_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"country_{row}"], self[f"place_{row}"], self[f"confidence_{row}"])
            for row in range(1, ATTRIBUTION_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rows = range(1, ATTRIBUTION_ROWS + 1)
        repeated = set(repeated_countries(cleaned.get(f"country_{row}") or "" for row in rows))
        attributions: list[tuple[str, str, str]] = []
        for position, row in enumerate(rows):
            country = cleaned.get(f"country_{row}")
            if not country:
                if cleaned.get(f"place_{row}"):
                    self.add_error(f"country_{row}", _("Choose the country of this place."))
                continue
            if position in repeated:
                self.add_error(
                    f"country_{row}", country_given_twice_message(str(countries.name(country)))
                )
                continue
            attributions.append(
                (
                    country,
                    cleaned.get(f"place_{row}") or "",
                    cleaned.get(f"confidence_{row}") or Confidence.MEDIUM,
                )
            )
        cleaned["attributions"] = attributions
        if cleaned.get("verdict") == Verdict.NOT_RECOGNISED and attributions:
            self.add_error(
                "country_1",
                _("An assessor who does not recognise the clue attributes it to no country."),
            )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        return {
            "verdict": self.cleaned_data["verdict"],
            "attributions": self.cleaned_data["attributions"],
            "comment": self.cleaned_data.get("comment") or "",
        }
