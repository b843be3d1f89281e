"""Forms of the series pages: create, edit and filter series."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import Distribution, SeriesStatus
from cases.forms.common import CaseworkForm, DistributionFields, VersionField
from cases.models import Series
from cases.screening import screen_text

__all__ = [
    "EDITABLE_SERIES_STATUSES",
    "SeriesEditForm",
    "SeriesFilterForm",
    "SeriesForm",
    "series_initial",
]

# Merging is its own operation (it needs a target series), not a status to pick here.
EDITABLE_SERIES_STATUSES = [c for c in SeriesStatus.choices if c[0] != SeriesStatus.MERGED]


class SeriesForm(DistributionFields):
    """Create a series."""

    title = Series._meta.get_field("title").formfield(validators=[screen_text])
    status = forms.ChoiceField(
        label=_("Status"), choices=EDITABLE_SERIES_STATUSES, initial=SeriesStatus.ACTIVE
    )
    first_seen = forms.DateField(
        label=_("First seen"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("When the material first came to law enforcement's attention."),
    )
    summary = Series._meta.get_field("summary").formfield(
        validators=[screen_text],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is known about the series. No names, contact details or images."),
    )

    field_order = ["title", "status", "first_seen", "summary", "distribution", "sharing_group"]


class SeriesEditForm(SeriesForm, VersionField):
    """Edit a series, carrying the version it was read at."""

    def __init__(self, *args: Any, current_status: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if current_status == SeriesStatus.MERGED:  # it stays merged unless changed here
            self.fields["status"].choices = SeriesStatus.choices  # type: ignore[attr-defined]


def series_initial(series: Series) -> dict[str, Any]:
    """The edit form's starting values for ``series``."""
    return {
        "title": series.title,
        "status": series.status,
        "first_seen": series.first_seen,
        "summary": series.summary,
        "distribution": series.distribution,
        "sharing_group": series.sharing_group,
        "version": series.version,
    }


class SeriesFilterForm(CaseworkForm):
    """Filters of the series list."""

    q = forms.CharField(label=_("Title contains, or a code"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *SeriesStatus.choices]
    )
    distribution = forms.ChoiceField(
        label=_("Distribution"),
        required=False,
        choices=[("", _("Any level")), *Distribution.choices],
    )
    mine = forms.BooleanField(label=_("My agency's series only"), required=False)

    def filters(self, actor: Any) -> dict[str, Any]:
        """The non-empty filters, for the series selector."""
        filters = {
            name: value for name, value in self.cleaned_data.items() if value and name != "mine"
        }
        if self.cleaned_data.get("mine"):
            filters["agency"] = actor.agency_id
        return filters
