"""Correlation pages: the reader's suggestions, confirming or rejecting one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.models import SuggestionStatus
from cases.selectors import suggestion_get, suggestion_list
from cases.services import suggestion_decide
from cases.views.common import CaseworkRequest, casework_required


@require_GET
@casework_required
def suggestion_list_view(request: CaseworkRequest) -> HttpResponse:
    status = request.GET.get("status", SuggestionStatus.OPEN)
    if status not in SuggestionStatus.values:
        status = SuggestionStatus.OPEN
    suggestions = list(suggestion_list(actor=request.user, status=status)[:200])
    context = {"suggestions": suggestions, "status": status, "statuses": SuggestionStatus.choices}
    return render(request, "cases/suggestions.html", context)


@require_POST
@casework_required
def suggestion_decide_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    suggestion = suggestion_get(actor=request.user, pk=pk)
    try:
        suggestion_decide(
            actor=request.user, suggestion=suggestion, decision=request.POST.get("decision", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Decision recorded."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("suggestion-list")
