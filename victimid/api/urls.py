from django.urls import path

from victimid.api.audit import AuditEventListView, AuditExportView
from victimid.api.views import MeView

urlpatterns = [
    path("me", MeView.as_view(), name="api-me"),
    path("audit", AuditEventListView.as_view(), name="api-audit-list"),
    path("audit/export", AuditExportView.as_view(), name="api-audit-export"),
]
