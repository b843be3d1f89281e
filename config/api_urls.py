"""Everything under /api/v1/: one URL rule, no route ends in a slash."""

from django.http import HttpResponsePermanentRedirect
from django.urls import include, path, reverse
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.views import APIView

from config.api_docs import api_docs_view


@extend_schema(exclude=True)
class MovedWithoutSlash(APIView):
    """An old address ending in a slash: a permanent redirect to the slashless one.

    An API view like the rest, so it asks for the same credentials (401 before anything
    else, as every /api/ address answers) and then keeps the query string.
    """

    target = ""

    def get(self, request: Request) -> HttpResponsePermanentRedirect:
        query = request.META.get("QUERY_STRING", "")
        url = reverse(self.target)
        return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


urlpatterns = [
    path("schema", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs", api_docs_view, name="api-docs"),
    path("schema/", MovedWithoutSlash.as_view(target="api-schema"), name="api-schema-moved"),
    path("docs/", MovedWithoutSlash.as_view(target="api-docs"), name="api-docs-moved"),
    path("", include("victimid.api.urls")),
    path("", include("cases.api.urls")),
]
