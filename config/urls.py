"""Top-level URL configuration: web UI, API, health checks and the admin."""

from django.contrib import admin
from django.urls import include, path

from victimid.views import health, metrics

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("victimid.urls")),
    path("", include("cases.urls")),
]

# API paths answer errors in the API's JSON shape even when no API view ran.
handler400 = "victimid.views.errors.bad_request"
handler404 = "victimid.views.errors.page_not_found"
handler500 = "victimid.views.errors.server_error"
