"""The upload forms of the triage page and of a series' import page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.common import CaseworkForm
from cases.hash_files import CSV, PLAIN, VICS

__all__ = ["HashImportUploadForm", "TriageUploadForm"]


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


class HashImportUploadForm(TriageUploadForm):
    """A hash file to add to a series: VICS JSON, CSV with a hash column, or a plain list."""

    file = forms.FileField(
        label=_("Hash file"),
        help_text=_(
            "A VICS JSON file (1.x or 2.0), a CSV with a hash column (md5, sha1, sha256, pdq, "
            "photodna or hash), or one value per line. All of it is added, or nothing."
        ),
    )
