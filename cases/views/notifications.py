"""The signed-in user's own notifications, each linked to what it is about."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases.selectors.notifications import notifications_for
from victimid.http import AuthenticatedRequest
from victimid.services.notifications import notifications_mark_read


def notifications_view(request: AuthenticatedRequest) -> HttpResponse:
    rows = notifications_for(actor=request.user)
    return render(request, "cases/notifications.html", {"rows": rows})


@require_POST
def notifications_read_view(request: AuthenticatedRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications")
