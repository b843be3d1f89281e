"""The landing page after sign-in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from victimid.access import has_casework_access
from victimid.choices import VettingStatus
from victimid.http import AuthenticatedRequest
from victimid.selectors.users import users_manageable_by


def dashboard_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = {
        "casework": has_casework_access(user),
        "pending_count": users_manageable_by(user)
        .filter(vetting_status=VettingStatus.PENDING)
        .count(),
    }
    return render(request, "victimid/dashboard.html", context)
