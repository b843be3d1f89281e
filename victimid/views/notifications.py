"""The signed-in user's own notifications."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from victimid.models import Notification
from victimid.services.notifications import notifications_mark_read


def notifications_view(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user)[:200]
    return render(request, "victimid/notifications.html", {"notifications": notifications})


@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    notifications_mark_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications")
