"""Claim pages: claim or renew a series, withdraw a claim; the notices page, acknowledge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.forms import ClaimForm
from cases.selectors import notices_for, series_get
from cases.services import claim_set, claim_withdraw, notice_acknowledge
from cases.views.common import CaseworkRequest, add_service_errors, casework_required
from cases.views.series import series_page

NOTICE_KINDS = ("series", "hash")


@require_POST
@casework_required
def series_claim_view(request: CaseworkRequest, code: str) -> HttpResponse:
    series = series_get(actor=request.user, code=code, audit=False)
    form = ClaimForm(request.POST)
    if form.is_valid():
        try:
            claim_set(actor=request.user, series=series, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Your agency's claim on %(code)s is recorded.") % {"code": series.code}
            )
            return redirect("series-detail", code=series.code)
    return series_page(request, series, claim_form=form, status=400)


@require_POST
@casework_required
def series_claim_withdraw_view(request: CaseworkRequest, code: str) -> HttpResponse:
    series = series_get(actor=request.user, code=code, audit=False)
    try:
        claim_withdraw(actor=request.user, series=series)
    except Http404:
        messages.error(request, _("Your agency has no standing claim on this series."))
    else:
        messages.success(request, _("Your agency's claim is withdrawn."))
    return redirect("series-detail", code=series.code)


@require_GET
@casework_required
def notices_view(request: CaseworkRequest) -> HttpResponse:
    return render(request, "cases/notices.html", {"notices": notices_for(actor=request.user)})


@require_POST
@casework_required
def notice_acknowledge_view(request: CaseworkRequest, kind: str, pk: int) -> HttpResponse:
    if kind not in NOTICE_KINDS:
        raise Http404
    notice_acknowledge(actor=request.user, kind=kind, notice_id=pk)  # type: ignore[arg-type]
    messages.success(request, _("Notice acknowledged."))
    return redirect("notices")
