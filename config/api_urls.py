"""Everything under /api/v1/."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

# The split view serves its init script from the same URL (?script) instead of inlining
# it, and our template keeps its styles in a file, so scripts and styles stay 'self'.
# Swagger UI's own stylesheet draws its icons as data: SVGs; images (which cannot run
# code) may be data: on this page and nowhere else.
api_docs_view = csp_update({"img-src": ["data:"]})(
    SpectacularSwaggerSplitView.as_view(
        url_name="api-schema", template_name="victimid/api/swagger_ui.html"
    )
)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs_view, name="api-docs"),
    path("", include("victimid.api.urls")),
    path("", include("cases.api.urls")),
]
