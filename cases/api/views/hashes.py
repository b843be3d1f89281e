"""Known hash values of a series through the API: list them, add a batch."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.api import examples
from cases.api.serializers import (
    KnownHashAddDocSerializer,
    KnownHashAddResultSerializer,
    KnownHashAddSerializer,
    KnownHashSerializer,
)
from cases.api.views.common import ERRORS, CaseworkView, service_errors, validated
from cases.models import KnownHash

__all__ = ["SeriesHashListView"]


class SeriesHashListView(CaseworkView):
    """The known hash values of a series; its owning agency adds up to 10,000 at once."""

    serializer_class = KnownHashSerializer
    queryset = KnownHash.objects.none()

    @extend_schema(
        operation_id="series_hashes_list",
        responses={200: KnownHashSerializer(many=True), **ERRORS},
        examples=[examples.KNOWN_HASH],
    )
    def get(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        return self.paginated(
            KnownHashSerializer, selectors.known_hash_list(actor=request.user, series=series)
        )

    @extend_schema(
        operation_id="series_hashes_add",
        request=KnownHashAddDocSerializer,
        responses={
            201: KnownHashAddResultSerializer,
            409: OpenApiResponse(
                description=_(
                    "A value already belongs to another series. Nothing was added; both "
                    "owning agencies received a deconfliction notice. The other series is "
                    "named only if you may see it."
                ),
                examples=[examples.HASH_CONFLICT],
            ),
            413: OpenApiResponse(description=_("More than 10,000 entries.")),
            **ERRORS,
        },
        examples=[examples.HASHES_ADD, examples.HASHES_ADDED],
    )
    def post(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, series)
        data = validated(KnownHashAddSerializer, request)
        with service_errors():
            added = services.known_hashes_add(
                actor=request.user, series=series, entries=data["entries"], source=data["source"]
            )
        return Response({"added": len(added)}, status=status.HTTP_201_CREATED)
