"""Hash lookups through the API: is each value known, and what became of the child?"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cases import services
from cases.api import examples
from cases.api.serializers import HashLookupResultSerializer, HashLookupSerializer
from cases.api.views.common import ERRORS, CaseworkView, service_errors, validated

__all__ = ["HashLookupView"]


class HashLookupView(CaseworkView):
    """Look up to 10,000 values at once; nothing is added to the known set."""

    serializer_class = HashLookupSerializer

    @extend_schema(
        operation_id="hashes_lookup",
        request=HashLookupSerializer,
        responses={
            200: HashLookupResultSerializer,
            413: OpenApiResponse(description=_("More than 10,000 values.")),
            **ERRORS,
        },
        examples=[examples.HASH_LOOKUP, examples.HASH_LOOKUP_RESULT],
        description=_(
            "One answer per value, in the order given. `known`: the series (code, title, "
            "status, identification counts, the agencies working it and their contact) and "
            'the VICS category. `known_restricted`: exactly `{"value", "status"}` — the '
            "value is known in a series you may not see; its owning agency is told that "
            "your agency asked (once a day per series). `new`: not in the known set."
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(HashLookupSerializer, request)
        with service_errors():
            answers = services.hashes_lookup(actor=request.user, entries=data["entries"])
        return Response({"results": answers, "counts": services.lookup_counts(answers)})
