"""The signed-in user's own notifications."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from victimid.http import AuthenticatedRequest
from victimid.models import Notification
from victimid.services.notifications import notifications_mark_read


def notifications_view(request: AuthenticatedRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "victimid/notifications.html", {"notifications": notifications})


@require_POST
def notifications_read_view(request: AuthenticatedRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)
    return redirect("notifications")
