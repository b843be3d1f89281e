"""Forms of the clue pages: post, edit and search clues."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from cases.choices import ClueStatus, Confidence
from cases.forms.common import CaseworkForm, DistributionFields, VersionField, add_rule_problems
from cases.languages import is_language_code, language_choices, language_code
from cases.models import Clue, ClueTaxonomyNode
from cases.models.clues import (
    clue_point_problems,
    clue_time_window_problems,
    country_given_twice_message,
    repeated_countries,
)
from cases.screening import screen_text
from cases.services.clues import CLUE_EDITABLE_FIELDS

__all__ = [
    "HYPOTHESIS_ROWS",
    "ClueEditForm",
    "ClueForm",
    "ClueSearchForm",
    "clue_initial",
    "country_choices",
    "taxonomy_choices",
]

HYPOTHESIS_ROWS = 3


def taxonomy_choices(nodes: Iterable[ClueTaxonomyNode], *, by: str = "pk") -> list[tuple[Any, Any]]:
    """Grouped choices: one optgroup per top-level node with children, in the tree's order.

    The top-level node itself is the first option of its group ("… in general"), so a
    clue can be filed at any level; deeper nodes are indented by their depth.
    """
    nodes = list(nodes)
    children: dict[int | None, list[ClueTaxonomyNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    for siblings in children.values():  # the order the taxonomy's editors chose
        siblings.sort(key=lambda node: (node.position, node.localized_label()))

    def descendants(node: ClueTaxonomyNode) -> list[ClueTaxonomyNode]:
        found: list[ClueTaxonomyNode] = []
        for child in children.get(node.pk, []):
            found.append(child)
            found.extend(descendants(child))
        return found

    choices: list[tuple[Any, Any]] = []
    for top in children.get(None, []):
        below = descendants(top)
        value = getattr(top, by)
        if not below:
            choices.append((value, top.localized_label()))
            continue
        group = [(value, _("%(label)s — in general") % {"label": top.localized_label()})]
        group += [
            (getattr(node, by), "\u2003" * (node.depth - 1) + node.localized_label())
            for node in below
        ]
        choices.append((top.localized_label(), group))
    return choices


def country_choices(blank: str) -> list[tuple[str, str]]:
    """Every ISO 3166-1 country by name, after a blank choice."""
    return [("", blank), *((code, str(name)) for code, name in countries)]


class ClueForm(DistributionFields):
    """Create a clue: what it is, where and when it may point, and who will see it."""

    taxonomy_node = forms.TypedChoiceField(
        label=_("Kind of clue"),
        coerce=int,
        help_text=_("Pick the most specific kind that fits."),
    )
    title = Clue._meta.get_field("title").formfield(validators=[screen_text])
    description = Clue._meta.get_field("description").formfield(
        validators=[screen_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe what is seen or heard. No names, contact details or images."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Common languages"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to pick several."),
    )
    other_languages = forms.CharField(
        label=_("Other languages (ISO 639-3 codes)"),
        required=False,
        max_length=200,
        help_text=_("Three-letter codes separated by commas, e.g. gsw, lim."),
    )
    place_text = Clue._meta.get_field("place_text").formfield(validators=[screen_text])
    latitude = Clue._meta.get_field("latitude").formfield()
    longitude = Clue._meta.get_field("longitude").formfield()
    radius_km = Clue._meta.get_field("radius_km").formfield()
    time_from = forms.DateField(
        label=_("Earliest date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    time_to = forms.DateField(
        label=_("Latest date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=ClueStatus.choices)

    field_order = [
        "taxonomy_node",
        "title",
        "description",
        "languages",
        "other_languages",
        "place_text",
        "latitude",
        "longitude",
        "radius_km",
        "time_from",
        "time_to",
        "status",
        "distribution",
        "sharing_group",
    ]

    def __init__(
        self,
        *args: Any,
        taxonomy: Iterable[ClueTaxonomyNode] = (),
        hypothesis_rows: int = HYPOTHESIS_ROWS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Never fewer rows than the clue has hypotheses: a hidden one would be dropped.
        self.row_count = max(HYPOTHESIS_ROWS, hypothesis_rows)
        self.fields["taxonomy_node"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose the kind of clue —")),
            *taxonomy_choices(taxonomy),
        ]
        self.fields["languages"].choices = language_choices()  # type: ignore[attr-defined]
        blank = str(_("— no country —"))
        for row in range(1, self.row_count + 1):
            self.fields[f"country_{row}"] = forms.ChoiceField(
                label=_("Country %(row)d") % {"row": row},
                choices=country_choices(blank),
                required=False,
            )
            self.fields[f"confidence_{row}"] = forms.ChoiceField(
                label=_("Confidence %(row)d") % {"row": row},
                choices=Confidence.choices,
                initial=Confidence.MEDIUM,
            )

    @property
    def hypothesis_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(country, confidence) bound fields, one pair per row of the fieldset."""
        return [
            (self[f"country_{row}"], self[f"confidence_{row}"])
            for row in range(1, self.row_count + 1)
        ]

    def clean_taxonomy_node(self) -> ClueTaxonomyNode:
        node = ClueTaxonomyNode.objects.filter(pk=self.cleaned_data["taxonomy_node"]).first()
        if node is None:  # removed by an admin since the form was shown
            raise ValidationError(_("This kind of clue no longer exists; choose another."))
        return node

    def clean_other_languages(self) -> list[str]:
        raw = self.cleaned_data.get("other_languages") or ""
        codes = [code.strip().lower() for code in raw.replace(";", ",").split(",")]
        codes = [code for code in codes if code]
        unknown = [code for code in codes if not is_language_code(code)]
        if unknown:
            raise ValidationError(
                _("Not ISO 639-3 language codes: %(codes)s."), params={"codes": ", ".join(unknown)}
            )
        return codes

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        languages = list(cleaned.get("languages") or [])
        for code in cleaned.get("other_languages") or []:
            if code not in languages:
                languages.append(code)
        cleaned["languages"] = languages
        rows = range(1, self.row_count + 1)
        repeated = set(repeated_countries(cleaned.get(f"country_{row}") or "" for row in rows))
        hypotheses: list[tuple[str, str]] = []
        for position, row in enumerate(rows):
            country = cleaned.get(f"country_{row}")
            if not country:
                continue
            if position in repeated:
                self.add_error(
                    f"country_{row}", country_given_twice_message(str(countries.name(country)))
                )
                continue
            hypotheses.append((country, cleaned.get(f"confidence_{row}") or Confidence.MEDIUM))
        cleaned["country_hypotheses"] = hypotheses
        add_rule_problems(
            self, clue_time_window_problems(cleaned.get("time_from"), cleaned.get("time_to"))
        )
        add_rule_problems(
            self,
            clue_point_problems(
                cleaned.get("latitude"), cleaned.get("longitude"), cleaned.get("radius_km")
            ),
        )
        return cleaned

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values under the names the clue services take."""
        names = [*CLUE_EDITABLE_FIELDS, "country_hypotheses"]
        arguments = {name: self.cleaned_data.get(name) for name in names}
        arguments["place_text"] = arguments["place_text"] or ""
        return arguments


class ClueEditForm(ClueForm, VersionField):
    """Edit a clue, carrying the version it was read at."""


def clue_initial(clue: Clue) -> dict[str, Any]:
    """The edit form's starting values for ``clue``."""
    common = {code for code, _name in language_choices()}
    initial: dict[str, Any] = {
        "taxonomy_node": clue.taxonomy_node_id,
        "title": clue.title,
        "description": clue.description,
        "languages": [code for code in clue.languages if code in common],
        "other_languages": ", ".join(code for code in clue.languages if code not in common),
        "place_text": clue.place_text,
        "latitude": clue.latitude,
        "longitude": clue.longitude,
        "radius_km": clue.radius_km,
        "time_from": clue.time_from,
        "time_to": clue.time_to,
        "status": clue.status,
        "distribution": clue.distribution,
        "sharing_group": clue.sharing_group,
        "version": clue.version,
    }
    hypotheses = list(clue.country_hypotheses.all())
    for row in range(1, max(HYPOTHESIS_ROWS, len(hypotheses)) + 1):
        hypothesis = hypotheses[row - 1] if row <= len(hypotheses) else None
        initial[f"country_{row}"] = str(hypothesis.country) if hypothesis else ""
        initial[f"confidence_{row}"] = hypothesis.confidence if hypothesis else Confidence.MEDIUM
    return initial


class ClueSearchForm(CaseworkForm):
    """Filters and full-text query of the clue search page."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    taxonomy = forms.ChoiceField(label=_("Kind of clue"), required=False)
    country = forms.ChoiceField(label=_("Country hypothesis"), required=False)
    language = forms.CharField(
        label=_("Language"),
        required=False,
        max_length=100,
        help_text=_("A name in English (Dutch) or a code (nld)."),
        widget=forms.TextInput(
            # static/cases/suggest.js fills the list from the API as one types.
            attrs={
                "list": "language-suggestions",
                "autocomplete": "off",
                "data-suggest": "/api/v1/languages",
            }
        ),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *ClueStatus.choices]
    )
    series = forms.CharField(
        label=_("Series code"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "SER-2026-000001"}),
    )
    created_after = forms.DateField(
        label=_("Created from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    created_before = forms.DateField(
        label=_("Created until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: Any, taxonomy: Iterable[ClueTaxonomyNode] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taxonomy"].choices = [  # type: ignore[attr-defined]
            ("", _("Any kind")),
            *taxonomy_choices(taxonomy, by="slug"),
        ]
        self.fields["country"].choices = country_choices(str(_("Any country")))  # type: ignore[attr-defined]

    def clean_language(self) -> str:
        typed = (self.cleaned_data.get("language") or "").strip()
        code = language_code(typed) if typed else ""
        if code is None:
            raise ValidationError(
                _("No language is called %(typed)s; give its English name or its code."),
                params={"typed": typed},
            )
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        after, before = cleaned.get("created_after"), cleaned.get("created_before")
        if after and before and after > before:
            self.add_error("created_before", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The non-empty filters, for the clue selector."""
        return {name: value for name, value in self.cleaned_data.items() if value}
