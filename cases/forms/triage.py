"""The triage page's upload form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import CaseworkForm
from cases.hash_files import CSV, PLAIN, VICS

__all__ = ["TriageUploadForm"]


class TriageUploadForm(CaseworkForm):
    """A seizure's hash list: plain, CSV with a hash column, or VICS JSON."""

    file = forms.FileField(
        label=_("Hash list"),
        help_text=_(
            "One value per line, a CSV with a hash column (md5, sha1, sha256, pdq, photodna "
            "or hash), or a VICS JSON file (1.x or 2.0). Up to 10 million lines."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[
            ("", _("Read it from the file")),
            (PLAIN, _("Plain list")),
            (CSV, _("CSV")),
            (VICS, _("VICS JSON")),
        ],
    )
