"""The hash lookup page: paste values or drop a small file, see what is known of each."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from cases.forms import HashLookupForm
from cases.selectors.status_counts import StatusCount
from cases.services import hashes_lookup, lookup_counts
from cases.services.lookups import KNOWN, KNOWN_RESTRICTED, NEW
from cases.views.common import CaseworkRequest, add_service_errors, casework_required

__all__ = ["hash_lookup_view"]

OUTCOME_LABELS = {
    KNOWN: _("Known"),
    KNOWN_RESTRICTED: _("Known, restricted"),
    NEW: _("New"),
}


def _chart(counts: dict[str, int] | None) -> list[StatusCount]:
    if counts is None:
        return []
    return [StatusCount(key, str(label), counts[key]) for key, label in OUTCOME_LABELS.items()]


@casework_required
def hash_lookup_view(request: CaseworkRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "cases/hash_lookup.html", {"form": HashLookupForm()})
    form = HashLookupForm(request.POST, request.FILES)
    answers = None
    if form.is_valid():
        try:
            answers = hashes_lookup(actor=request.user, entries=form.cleaned_data["entries"])
        except ValidationError as error:
            add_service_errors(form, error)
    counts = lookup_counts(answers) if answers is not None else None
    context = {"form": form, "answers": answers, "counts": counts, "chart": _chart(counts)}
    return render(request, "cases/hash_lookup.html", context, status=200 if answers else 400)
