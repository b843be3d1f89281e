"""The API's browsable documentation (Swagger UI) at /api/v1/docs/."""

from typing import Any

from csp.decorators import csp_update
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.renderers import JSONRenderer, TemplateHTMLRenderer
from rest_framework.request import Request
from rest_framework.response import Response


@extend_schema(exclude=True)  # a page about the API, not part of it
class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI for whoever accepts HTML; everything else in the API's JSON error shape.

    A client that accepts only JSON gets a 404 that points at the schema, rather than
    drf-spectacular's bare-text 406; errors (401, 403) are JSON as on every API URL.
    """

    # HTML first: a browser's Accept (text/html, */*) gets the page.
    renderer_classes = [TemplateHTMLRenderer, JSONRenderer]

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.accepted_renderer, TemplateHTMLRenderer):
            raise NotFound(
                _("The API documentation is a web page; the OpenAPI schema is at %(url)s.")
                % {"url": reverse("api-schema")}
            )
        response: Response = super().get(request, *args, **kwargs)
        return response

    def handle_exception(self, exc: Exception) -> Response:
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        response: Response = super().handle_exception(exc)
        return response


# The split view serves its init script from the same URL (?script) instead of inlining
# it, and our template keeps its styles in a file, so scripts and styles stay 'self'.
# Swagger UI's own stylesheet draws its icons as data: SVGs; images (which cannot run
# code) may be data: on this page and nowhere else.
api_docs_view = csp_update({"img-src": ["data:"]})(
    ApiDocsView.as_view(url_name="api-schema", template_name="victimid/api/swagger_ui.html")
)
