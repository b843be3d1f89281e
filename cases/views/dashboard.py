"""The landing page after sign-in."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from cases.selectors.claims import agency_claims
from cases.selectors.dashboard import casework_overview
from victimid.choices import VettingStatus
from victimid.gate import has_casework_access, stats_scope
from victimid.http import AuthenticatedRequest
from victimid.selectors.notifications import unread_notification_count
from victimid.selectors.users import users_manageable_by


def dashboard_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    context = {
        "casework": has_casework_access(user),
        "figures": stats_scope(user) is not None,
        "overview": casework_overview(actor=user),
        "claims": list(agency_claims(actor=user)[:50]) if has_casework_access(user) else [],
        "unread_count": unread_notification_count(actor=user),
        "pending_count": users_manageable_by(user)
        .filter(vetting_status=VettingStatus.PENDING)
        .count(),
    }
    return render(request, "cases/dashboard.html", context)
