"""The form that claims a series for the reader's agency (or renews its claim)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.forms.common import CaseworkForm
from cases.services.claims import CONTACT_MAX_LENGTH

__all__ = ["ClaimForm", "claim_initial"]


class ClaimForm(CaseworkForm):
    """We are working this series: how to reach us, and until when."""

    contact = forms.CharField(
        label=_("Contact point"),
        max_length=CONTACT_MAX_LENGTH,
        help_text=_("A desk, a shared mailbox or a duty phone: how another agency reaches you."),
    )
    expires_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))


def claim_initial(contact: str) -> dict[str, object]:
    return {
        "contact": contact,
        "expires_on": timezone.localdate() + datetime.timedelta(days=90),
    }
