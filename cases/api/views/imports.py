"""Imports into a series, and the owner's changes to a series' hash values."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiRequest, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors
from cases.api import examples
from cases.api.serializers.triage import (
    HashImportCreateSerializer,
    HashImportJobSerializer,
    KnownHashMoveSerializer,
    KnownHashRemoveSerializer,
)
from cases.api.views.common import ERRORS, CaseworkView, validated
from cases.models import HashImportJob, Series
from cases.selectors.imports import hash_import_get, hash_imports, known_hash_get
from cases.services.imports import (
    hash_import_cancel,
    hash_import_create,
    known_hash_move,
    known_hash_remove,
)
from victimid.api.errors import Conflict
from victimid.middleware import accepts_uploads

__all__ = [
    "HashImportCancelView",
    "HashImportDetailView",
    "HashImportListView",
    "KnownHashMoveView",
    "KnownHashRemoveView",
]


def _named_series(request: Request, code: str, field: str = "series") -> Series:
    """A series named in the body: one the actor may not see is an unknown value (400)."""
    found = selectors.series_queryset(actor=request.user).filter(code=code.strip().upper()).first()
    if found is None:
        raise exceptions.ValidationError({field: [_("No series with this code that you may see.")]})
    return found


@accepts_uploads("TRIAGE_MAX_UPLOAD_BYTES")
class HashImportListView(CaseworkView):
    """Your import jobs; upload a file to import it into a series your agency owns."""

    serializer_class = HashImportJobSerializer
    queryset = HashImportJob.objects.none()
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="imports_list",
        responses={200: HashImportJobSerializer(many=True), **ERRORS},
        examples=[examples.IMPORT_JOB],
    )
    def get(self, request: Request) -> Response:
        return self.paginated(HashImportJobSerializer, hash_imports(actor=request.user))

    @extend_schema(
        operation_id="imports_create",
        request={
            "multipart/form-data": OpenApiRequest(
                HashImportCreateSerializer, examples=[examples.IMPORT_CREATE]
            )
        },
        responses={202: HashImportJobSerializer, **ERRORS},
        examples=[examples.IMPORT_CREATE, examples.IMPORT_JOB],
    )
    def post(self, request: Request) -> Response:
        data = validated(HashImportCreateSerializer, request)
        series = _named_series(request, data["series"])
        job = hash_import_create(
            actor=request.user,
            series=series,
            upload=data["file"],
            file_format=data.get("format", ""),
        )
        return self.respond(HashImportJobSerializer, job, status.HTTP_202_ACCEPTED)


class HashImportDetailView(CaseworkView):
    """One of your import jobs: progress, counts, where a failure stopped."""

    serializer_class = HashImportJobSerializer

    @extend_schema(
        operation_id="imports_get",
        responses={200: HashImportJobSerializer, **ERRORS},
        examples=[examples.IMPORT_JOB],
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.respond(HashImportJobSerializer, hash_import_get(actor=request.user, pk=pk))


class HashImportCancelView(CaseworkView):
    """Stop one of your imports: a queued one at once, a running one at its next chunk,
    before anything of it is added; 409 once it has finished."""

    serializer_class = HashImportJobSerializer

    @extend_schema(
        operation_id="imports_cancel",
        request=None,
        responses={200: HashImportJobSerializer, **ERRORS},
        examples=[examples.IMPORT_JOB],
    )
    def post(self, request: Request, pk: int) -> Response:
        job = hash_import_get(actor=request.user, pk=pk)
        try:
            job = hash_import_cancel(actor=request.user, job=job)
        except ValidationError as error:
            raise Conflict(error.messages[0], code="finished") from error
        return self.respond(HashImportJobSerializer, job)


class KnownHashRemoveView(CaseworkView):
    """The owner removes a value from a series, saying why."""

    serializer_class = KnownHashRemoveSerializer

    @extend_schema(
        operation_id="series_hashes_remove",
        request=KnownHashRemoveSerializer,
        responses={204: None, **ERRORS},
        examples=[examples.HASH_REMOVE],
    )
    def post(self, request: Request, code: str, pk: int) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, series)
        known = known_hash_get(actor=request.user, series=series, pk=pk)
        data = validated(KnownHashRemoveSerializer, request)
        known_hash_remove(actor=request.user, known_hash=known, reason=data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class KnownHashMoveView(CaseworkView):
    """The owner moves a value to another series it owns, saying why."""

    serializer_class = KnownHashMoveSerializer

    @extend_schema(
        operation_id="series_hashes_move",
        request=KnownHashMoveSerializer,
        responses={200: OpenApiTypes.OBJECT, **ERRORS},
        examples=[examples.HASH_MOVE, examples.HASH_MOVED],
    )
    def post(self, request: Request, code: str, pk: int) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, series)
        known = known_hash_get(actor=request.user, series=series, pk=pk)
        data = validated(KnownHashMoveSerializer, request)
        target = _named_series(request, data["series"])
        moved = known_hash_move(
            actor=request.user, known_hash=known, target=target, reason=data["reason"]
        )
        return Response({"id": moved.pk, "series": target.code})
