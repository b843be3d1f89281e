"""Routing pages: ask countries about a clue, the queue of a country, pass on, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import access
from cases.forms import RoutingForm, RoutingPassForm
from cases.models import RoutingStatus
from cases.selectors import clue_get, routing_overdue_before, routing_queue, routing_request_get
from cases.selectors.routing import ROUTING_QUEUE_STATUSES
from cases.services import (
    clue_route,
    country_investigators,
    routing_pass,
    routing_proposed_countries,
    routing_withdraw,
)
from cases.views.clues import clue_page
from cases.views.common import CaseworkRequest, add_service_errors, casework_required
from victimid.choices import Role
from victimid.models import User


@require_POST
@casework_required
def clue_route_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    clue = clue_get(actor=request.user, pk=pk, audit=False)
    access.require_editable(request.user, clue)
    form = RoutingForm(request.POST, proposed=routing_proposed_countries(clue))
    if form.is_valid():
        try:
            asked = clue_route(actor=request.user, clue=clue, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error, {"countries": "countries"})
        else:
            messages.success(
                request,
                _("Asked %(countries)s.")
                % {"countries": ", ".join(str(r.country.name) for r in asked)},
            )
            return redirect("clue-detail", pk=clue.pk)
    return clue_page(request, clue, routing_form=form, status=400)


@require_GET
@casework_required
def routing_queue_view(request: CaseworkRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    if status not in ROUTING_QUEUE_STATUSES:
        status = "open"
    requests = list(routing_queue(actor=request.user, status=status)[:500])
    coordinator = request.user.has_role(Role.COORDINATOR)
    investigators = (
        country_investigators(str(request.user.agency.country))
        if coordinator and request.user.agency
        else []
    )
    overdue_before = routing_overdue_before()
    rows = [
        {
            "request": routing_request,
            "overdue": routing_request.status == RoutingStatus.OPEN
            and routing_request.asked_at < overdue_before,
            "pass_form": RoutingPassForm(
                investigators=investigators,
                initial={"user": routing_request.assignee_id},
                auto_id=f"pass-{routing_request.pk}-%s",
            )
            if coordinator and routing_request.status == RoutingStatus.OPEN
            else None,
        }
        for routing_request in requests
    ]
    rows.sort(key=lambda row: (not row["overdue"], row["request"].asked_at))  # type: ignore[union-attr]
    context = {
        "rows": rows,
        "status": status,
        "coordinator": coordinator,
        "overdue_count": sum(1 for row in rows if row["overdue"]),
    }
    return render(request, "cases/routing_queue.html", context)


@require_POST
@casework_required
def routing_pass_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    routing_request = routing_request_get(actor=request.user, pk=pk)
    investigators = country_investigators(str(routing_request.country))
    form = RoutingPassForm(request.POST, investigators=investigators)
    # An invalid choice still goes to the service, which refuses who may not pass the
    # request before it looks at the choice (the answer never tells who exists).
    chosen = form.cleaned_data["user"] if form.is_valid() else None
    assignee = User.objects.filter(pk=chosen).first() if chosen is not None else None
    try:
        routing_pass(actor=request.user, request=routing_request, assignee=assignee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("routing-queue")
    assert assignee is not None  # routing_pass refuses nobody
    messages.success(request, _("Passed to %(who)s.") % {"who": assignee.email})
    return redirect("routing-queue")


@require_POST
@casework_required
def routing_withdraw_view(request: CaseworkRequest, pk: int) -> HttpResponse:
    routing_request = routing_request_get(actor=request.user, pk=pk)
    try:
        routing_withdraw(actor=request.user, request=routing_request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Request to %(country)s withdrawn: the clue is no longer shared with it.")
            % {"country": routing_request.country.name},
        )
    return redirect("clue-detail", pk=routing_request.clue_id)
