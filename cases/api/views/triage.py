"""Triage jobs through the API: upload a seizure's list, follow it, read and download results."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiRequest,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import examples
from cases.api.serializers.triage import (
    TriageJobCreateSerializer,
    TriageJobSerializer,
    TriageResultSerializer,
)
from cases.api.views.common import ERRORS, CaseworkView, query_parameter, validated
from cases.models import TriageJob
from cases.selectors.hashes import EXPORT_CSV_FIELDS, series_export_rows, vics_media
from cases.selectors.series import series_get
from cases.selectors.triage import (
    triage_hits,
    triage_job_get,
    triage_jobs,
    triage_results_new_first,
)
from cases.services.triage import triage_job_cancel, triage_job_create
from victimid.api.errors import Conflict
from victimid.middleware import accepts_uploads

__all__ = [
    "TriageJobCancelView",
    "TriageJobDetailView",
    "TriageJobDownloadView",
    "TriageJobHitsView",
    "TriageJobListView",
    "FormatParameterView",
    "SeriesExportView",
    "triage_download_response",
]

DOWNLOAD_FIELDS = [
    "line",
    "value",
    "algorithm",
    "outcome",
    "series",
    "series_title",
    "vics_category",
]


@accepts_uploads("TRIAGE_MAX_UPLOAD_BYTES")
class TriageJobListView(CaseworkView):
    """Your triage jobs; upload a file to start one."""

    serializer_class = TriageJobSerializer
    queryset = TriageJob.objects.none()
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="triage_jobs_list",
        responses={200: TriageJobSerializer(many=True), **ERRORS},
        examples=[examples.TRIAGE_JOB],
    )
    def get(self, request: Request) -> Response:
        return self.paginated(TriageJobSerializer, triage_jobs(actor=request.user))

    @extend_schema(
        operation_id="triage_jobs_create",
        request={
            "multipart/form-data": OpenApiRequest(
                TriageJobCreateSerializer, examples=[examples.TRIAGE_UPLOAD]
            )
        },
        responses={202: TriageJobSerializer, **ERRORS},
        examples=[examples.TRIAGE_UPLOAD, examples.TRIAGE_JOB],
        description=_(
            "Accepted: a worker reads the file; follow `progress` on the job. Nothing is "
            "added to the known set."
        ),
    )
    def post(self, request: Request) -> Response:
        data = validated(TriageJobCreateSerializer, request)
        job = triage_job_create(
            actor=request.user, upload=data["file"], file_format=data.get("format", "")
        )
        return self.respond(TriageJobSerializer, job, status.HTTP_202_ACCEPTED)


class TriageJobDetailView(CaseworkView):
    """One of your jobs: status, progress, counts, where a failure stopped."""

    serializer_class = TriageJobSerializer

    @extend_schema(
        operation_id="triage_jobs_get",
        responses={200: TriageJobSerializer, **ERRORS},
        examples=[examples.TRIAGE_JOB],
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.respond(TriageJobSerializer, triage_job_get(actor=request.user, pk=pk))


class TriageJobCancelView(CaseworkView):
    """Stop a job: a queued one at once, a running one at its next chunk."""

    serializer_class = TriageJobSerializer

    @extend_schema(
        operation_id="triage_jobs_cancel",
        request=None,
        responses={200: TriageJobSerializer, **ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        job = triage_job_get(actor=request.user, pk=pk)
        try:
            job = triage_job_cancel(actor=request.user, job=job)
        except ValidationError as error:
            raise Conflict(error.messages[0], code="finished") from error
        return self.respond(TriageJobSerializer, job)


class TriageJobHitsView(CaseworkView):
    """The known values of a job, with the series you may see."""

    serializer_class = TriageResultSerializer

    @extend_schema(
        operation_id="triage_jobs_hits",
        parameters=[
            query_parameter(
                "outcome",
                _("known_identified, known_not_identified or known_restricted"),
            )
        ],
        responses={200: TriageResultSerializer(many=True), **ERRORS},
        examples=[examples.TRIAGE_HIT],
    )
    def get(self, request: Request, pk: int) -> Response:
        job = triage_job_get(actor=request.user, pk=pk)
        hits = triage_hits(actor=request.user, job=job, outcome=request.query_params.get("outcome"))
        return self.paginated(TriageResultSerializer, hits.order_by("-id"))


class FormatParameterView(CaseworkView):
    """A view whose ``format`` query parameter names a download's format.

    DRF reads ``?format=`` to choose a renderer and answers 404 for one it does not
    have; a download streams its own body, so the first renderer is taken regardless.
    """

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        return super().perform_content_negotiation(request, force=True)


class TriageJobDownloadView(FormatParameterView):
    """Every value of a job as CSV or JSON, new values first; streamed."""

    @extend_schema(
        operation_id="triage_jobs_download",
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["csv", "json"]
            )
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_("CSV or JSON, new values first."),
                examples=[examples.TRIAGE_DOWNLOAD],
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request, pk: int) -> StreamingHttpResponse:
        job = triage_job_get(actor=request.user, pk=pk)
        return triage_download_response(
            request.user, job, request.query_params.get("format", "csv")
        )


def triage_download_response(user: Any, job: TriageJob, file_format: str) -> StreamingHttpResponse:
    """The streamed download of a job's results (shared by the page's download links)."""
    rows = triage_results_new_first(actor=user, job=job)
    if file_format == "json":
        body: Iterator[str] = _json_lines(job, rows)
        content_type, suffix = "application/json", "json"
    else:
        body, content_type, suffix = _csv_lines(rows), "text/csv; charset=utf-8", "csv"
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="triage-{job.pk}.{suffix}"'
    response["Cache-Control"] = "no-store"
    return response


def _csv_lines(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DOWNLOAD_FIELDS)
    writer.writeheader()
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_lines(job: TriageJob, rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    head = {
        "job": job.pk,
        "status": job.status,
        "counts": {str(k): v for k, v in job.counts().items()},
    }
    yield json.dumps(head)[:-1] + ', "results": ['
    first = True
    for row in rows:
        yield ("" if first else ",\n") + json.dumps(row)
        first = False
    yield "]}\n"


class SeriesExportView(FormatParameterView):
    """A series' hash values as VICS 2.0 JSON or CSV, streamed, for those who may see it."""

    @extend_schema(
        operation_id="series_export",
        parameters=[
            OpenApiParameter(
                "format", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=["vics", "csv"]
            )
        ],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=_(
                    "VICS 2.0 (`@odata.context` …#Media) with Series, Category, IsDistributed "
                    "and VictimIdentified (from the identification log), or CSV."
                ),
                examples=[examples.SERIES_EXPORT],
            ),
            **ERRORS,
        },
    )
    def get(self, request: Request, code: str) -> StreamingHttpResponse:
        series = series_get(actor=request.user, code=code, audit=False)
        rows = series_export_rows(actor=request.user, series=series)
        if request.query_params.get("format", "vics") == "csv":
            body, content_type, suffix = _export_csv(rows), "text/csv; charset=utf-8", "csv"
        else:
            body, content_type, suffix = _export_vics(rows), "application/json", "json"
        response = StreamingHttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{series.code}.{suffix}"'
        response["Cache-Control"] = "no-store"
        return response


def _export_vics(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield '{"@odata.context": "https://victimid.invalid/odata/$metadata#Media", "value": ['
    for media_id, row in enumerate(rows, start=1):
        yield ("" if media_id == 1 else ",\n") + json.dumps(vics_media(row, media_id))
    yield "]}\n"


def _export_csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_CSV_FIELDS)
    writer.writeheader()
    for count, row in enumerate(rows, start=1):
        writer.writerow(
            {
                **row,
                "distributed": str(row["distributed"]).lower(),
                "victim_identified": str(row["victim_identified"]).lower(),
            }
        )
        if count % 1000 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
