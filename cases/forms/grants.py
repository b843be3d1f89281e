"""The form of the "Grant access" section of a record's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.forms.common import CaseworkForm
from victimid.models import Agency

__all__ = ["GrantForm"]


class GrantForm(CaseworkForm):
    """Grant a record to one agency, or to one person by e-mail address: one of the two."""

    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("Choose an agency"),
    )
    user = forms.EmailField(
        label=_("E-mail address of one person"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("A vetted investigator at another agency."),
    )

    def __init__(self, *args: Any, owner_agency_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = Agency.objects.exclude(pk=owner_agency_id or 0).order_by("country", "name")
        field = self.fields["agency"]
        field.queryset = agencies  # type: ignore[attr-defined]
        # One optgroup per country, named in the reader's language.
        grouped: dict[str, list[tuple[int, str]]] = {}
        for agency in agencies:
            grouped.setdefault(str(agency.country.name), []).append((agency.pk, agency.name))
        field.choices = [("", field.empty_label), *sorted(grouped.items())]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        agency, email = cleaned.get("agency"), cleaned.get("user")
        if bool(agency) == bool(email):
            raise ValidationError(
                _("Choose one agency, or enter one person's e-mail address — one of the two.")
            )
        if email:
            from cases.selectors.grants import grantee_user_by_email
            from cases.services.grants import NO_SUCH_INVESTIGATOR

            user = grantee_user_by_email(email)
            if user is None:
                self.add_error("user", str(NO_SUCH_INVESTIGATOR))
            cleaned["user"] = user
        return cleaned

    def grantee(self) -> dict[str, Any]:
        """The service's ``user=`` or ``agency=`` argument."""
        if self.cleaned_data.get("agency"):
            return {"agency": self.cleaned_data["agency"]}
        return {"user": self.cleaned_data["user"]}
