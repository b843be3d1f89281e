"""Series pages: the list, a series with its clues and hashes, creating and editing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import access
from cases.exceptions import HashConflict, VersionConflict
from cases.forms import (
    ClaimForm,
    GrantForm,
    HashAddForm,
    SeriesEditForm,
    SeriesFilterForm,
    SeriesForm,
    claim_initial,
    series_initial,
)
from cases.models import Series
from cases.selectors import (
    active_claims,
    clue_list,
    known_hash_list,
    series_get,
    series_links,
    series_list,
    sharing_groups_for,
)
from cases.selectors.clues import clue_status_counts
from cases.selectors.grants import series_grant_count
from cases.selectors.victims import series_identification_summary, series_is_followed
from cases.services import known_hashes_add, series_create, series_update
from cases.views.common import (
    CaseworkRequest,
    add_service_errors,
    casework_required,
    conflicting_fields,
)
from cases.views.grants import grant_add, grant_revoke, grant_section

PAGE_SIZE = 50
SERIES_PAGE_CLUES = 200
LATEST_HASHES = 20


@casework_required
def series_list_view(request: CaseworkRequest) -> HttpResponse:
    form = SeriesFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "cases/series_list.html", {"form": form}, status=400)
    filters: dict[str, Any] = form.filters(request.user) if form.is_bound else {}
    series = series_list(actor=request.user, filters=filters).order_by("-id")
    page = Paginator(series, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/series_list.html", {"form": form, "page": page})


@casework_required
def series_create_view(request: CaseworkRequest) -> HttpResponse:
    groups = sharing_groups_for(actor=request.user)
    form = SeriesForm(request.POST or None, sharing_groups=groups)
    if request.method != "POST":
        return render(request, "cases/series_form.html", {"form": form})
    if form.is_valid():
        try:
            series = series_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Series %(code)s created.") % {"code": series.code})
            return redirect("series-detail", code=series.code)
    return render(request, "cases/series_form.html", {"form": form}, status=400)


def series_page(
    request: CaseworkRequest,
    series: Series,
    hash_form: HashAddForm | None = None,
    *,
    grant_form: GrantForm | None = None,
    claim_form: ClaimForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The series page: facts, who can see it (and its grants, for the owner), clues, hashes,
    and who is working it (active claims)."""
    is_owner = series.agency_id == request.user.agency_id
    claims = list(active_claims(actor=request.user, series=series))
    own_claim = next((c for c in claims if c.agency_id == request.user.agency_id), None)
    agency = request.user.agency
    context = {
        "claims": claims,
        "links": [
            (link, link.clue_b if link.clue_a.series_id == series.pk else link.clue_a)
            for link in series_links(actor=request.user, series=series)[:50]
        ],
        "own_claim": own_claim,
        "claim_form": claim_form
        or ClaimForm(
            initial={"contact": own_claim.contact, "expires_on": own_claim.expires_on}
            if own_claim
            else claim_initial(agency.contact_point if agency else "")
        ),
        "series": series,
        # One view of the series is one audit event (series_get wrote it): the clues and
        # hashes shown on its page are part of that view, not reads of their own.
        "clues": clue_list(actor=request.user, filters={"series": series.code}, audit=False)[
            :SERIES_PAGE_CLUES
        ],
        "clues_by_status": clue_status_counts(actor=request.user, filters={"series": series.code}),
        "can_edit": access.can_edit(request.user, series),
        "is_owner": is_owner,
        "grant_count": series_grant_count(series=series) if is_owner else None,
        "hash_form": hash_form or HashAddForm(),
        "latest_hashes": known_hash_list(actor=request.user, series=series, audit=False)[
            :LATEST_HASHES
        ],
        "identification_summary": series_identification_summary(actor=request.user, series=series),
        "following": series_is_followed(actor=request.user, series=series),
        # The series it was merged into is named only to those who may see that one too.
        "merged_into": series.merged_into
        if series.merged_into is not None and access.can_view(request.user, series.merged_into)
        else None,
        **grant_section(request, series, grant_form),
    }
    return render(request, "cases/series_detail.html", context, status=status)


@casework_required
def series_detail_view(request: CaseworkRequest, code: str) -> HttpResponse:
    return series_page(request, series_get(actor=request.user, code=code))


@casework_required
def series_edit_view(request: CaseworkRequest, code: str) -> HttpResponse:
    # The form shows the series (a view, audited); a POST is audited by the update itself.
    series = series_get(actor=request.user, code=code, audit=request.method != "POST")
    access.require_editable(request.user, series)
    groups = sharing_groups_for(actor=request.user)
    if request.method != "POST":
        form = SeriesEditForm(
            initial=series_initial(series), sharing_groups=groups, current_status=series.status
        )
        return render(request, "cases/series_form.html", {"form": form, "series": series})
    form = SeriesEditForm(request.POST, sharing_groups=groups, current_status=series.status)
    if form.is_valid():
        changes = dict(form.cleaned_data)
        version = changes.pop("version")
        try:
            series_update(actor=request.user, series=series, version=version, **changes)
        except VersionConflict:
            return _conflict(request, form, code)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Series %(code)s saved.") % {"code": series.code})
            return redirect("series-detail", code=series.code)
    context = {"form": form, "series": series}
    return render(request, "cases/series_form.html", context, status=400)


def _conflict(request: CaseworkRequest, form: SeriesEditForm, code: str) -> HttpResponse:
    """Someone saved first: keep this editor's input, show what is saved now, take its version."""
    current = series_get(actor=request.user, code=code, audit=False)
    data = request.POST.copy()
    data["version"] = str(current.version)
    context = {
        "form": SeriesEditForm(
            data,
            sharing_groups=sharing_groups_for(actor=request.user),
            current_status=current.status,
        ),
        "series": current,
        "conflict": conflicting_fields(form, series_initial(current)),
    }
    return render(request, "cases/series_form.html", context, status=409)


@require_POST
@casework_required
def series_hashes_add_view(request: CaseworkRequest, code: str) -> HttpResponse:
    series = series_get(actor=request.user, code=code, audit=False)
    access.require_editable(request.user, series)
    form = HashAddForm(request.POST)
    if form.is_valid():
        entries = [
            {**entry, "vics_category": form.cleaned_data["vics_category"]}
            for entry in form.cleaned_data["lines"]
        ]
        try:
            added = known_hashes_add(actor=request.user, series=series, entries=entries)
        except HashConflict as conflict:
            form.add_error("lines", str(conflict))
        except ValidationError as error:
            add_service_errors(form, error, aliases={"entries": "lines"})
        else:
            messages.success(request, _("%(count)d hash value(s) added.") % {"count": len(added)})
            return redirect("series-detail", code=series.code)
    return series_page(request, series, form, status=400)


@require_POST
@casework_required
def series_grant_add_view(request: CaseworkRequest, code: str) -> HttpResponse:
    series = series_get(actor=request.user, code=code, audit=False)
    return grant_add(
        request, series, lambda form: series_page(request, series, grant_form=form, status=400)
    )


@require_POST
@casework_required
def series_grant_revoke_view(request: CaseworkRequest, code: str, key: str) -> HttpResponse:
    return grant_revoke(request, series_get(actor=request.user, code=code, audit=False), key)
