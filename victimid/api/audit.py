"""The audit trail through the API, for auditors and platform admins: identifiers only."""

from __future__ import annotations

from typing import Any

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
)
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from victimid.api.pagination import DefaultCursorPagination
from victimid.api.permissions import IsVerifiedUser
from victimid.api.serializers import AUTH_ERRORS, INVALID_CURSOR, ErrorSerializer
from victimid.gate import AUDIT_REFUSED, has_audit_access
from victimid.models import AUDIT_EVENT_FIELDS, AuditEvent
from victimid.selectors.audit import audit_csv_rows
from victimid.services.audit_trail import audit_trail_read

__all__ = ["AuditEventListView", "AuditExportView"]


class HasAuditAccess(IsVerifiedUser):
    """Verified, vetted, and an auditor or a platform admin."""

    def has_permission(self, request: Request, view: Any) -> bool:
        super().has_permission(request, view)
        if not has_audit_access(request.user):
            raise exceptions.PermissionDenied(AUDIT_REFUSED, code="wrong_role")
        return True


class AuditCursorPagination(DefaultCursorPagination):
    ordering = "-sequence"


_FOREIGN_KEYS = {"actor_id": "actor", "actor_agency_id": "actor_agency"}


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    """One event as auditors see it: identifiers, never the content of a record."""

    class Meta:
        model = AuditEvent
        # The foreign keys by their field names: the ids, never the related records.
        fields = [_FOREIGN_KEYS.get(name, name) for name in AUDIT_EVENT_FIELDS]


AUDIT_PARAMETERS = [
    OpenApiParameter("actor", OpenApiTypes.STR, description=_("User id, or e-mail address.")),
    OpenApiParameter("agency", OpenApiTypes.INT, description=_("The actor's agency id.")),
    OpenApiParameter(
        "action",
        OpenApiTypes.STR,
        description=_("An action, e.g. clue.viewed; ending in a dot (auth.) for a family."),
    ),
    OpenApiParameter("target_type", OpenApiTypes.STR, description=_("e.g. cases.clue")),
    OpenApiParameter("target_id", OpenApiTypes.STR, description=_("The target's id.")),
    OpenApiParameter(
        "since", OpenApiTypes.STR, description=_("From this date or moment (UTC), included.")
    ),
    OpenApiParameter(
        "until", OpenApiTypes.STR, description=_("To this date (whole day) or moment, excluded.")
    ),
]
EVENT_EXAMPLE = {
    "sequence": 1042,
    "occurred_at": "2026-12-07T09:15:02.123456Z",
    "actor": 17,
    "actor_email": "ana.investigator@example.org",
    "actor_agency": 3,
    "action": "clue.searched",
    "target_type": "",
    "target_id": "",
    "outcome": "success",
    "source_ip": "203.0.113.9",
    "request_id": "9f1c2e7a5b8d4c3e",
    "details": {"filters": {"q": "socket"}},
    "chain_hash": "5e0f" + "0" * 60,
}
AUDIT_ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=_("A filter is not understood.")),
    **AUTH_ERRORS,
}


def _filters(request: Request) -> dict[str, str]:
    """The filters given (the selector refuses a name it does not know: a typo must not
    widen a search); the cursor and page size belong to the pagination."""
    return {
        key: value
        for key, value in request.query_params.items()
        if key not in {"cursor", "page_size"}
    }


class AuditEventListView(GenericAPIView):  # type: ignore[type-arg]
    """The audit trail, newest first; an actor's timeline is ``?actor=<id>``."""

    permission_classes = [HasAuditAccess]
    pagination_class = AuditCursorPagination
    serializer_class = AuditEventSerializer
    queryset = AuditEvent.objects.none()

    @extend_schema(
        operation_id="audit_list",
        description=_(
            "The audit trail for auditors and platform admins, newest first: identifiers "
            "only, never casework content. Reading it is itself recorded."
        ),
        parameters=AUDIT_PARAMETERS,
        examples=[OpenApiExample("A search", value=EVENT_EXAMPLE, response_only=True)],
        responses={200: AuditEventSerializer(many=True), **AUDIT_ERRORS, **INVALID_CURSOR},
    )
    def get(self, request: Request) -> Response:
        events = audit_trail_read(actor=request.user, filters=_filters(request))
        page = self.paginate_queryset(events)
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)


class AuditExportView(GenericAPIView):  # type: ignore[type-arg]
    """The filtered audit trail as CSV (UTF-8, a header row, newest first)."""

    permission_classes = [HasAuditAccess]
    queryset = AuditEvent.objects.none()
    pagination_class = None

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # The CSV is streamed by hand; errors stay JSON whatever the client accepts.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="audit_export",
        description=_(
            "The filtered audit trail as CSV (a header row, then one event a line, newest "
            "first). Cells a spreadsheet would run as a formula start with an apostrophe."
        ),
        parameters=AUDIT_PARAMETERS,
        examples=[
            OpenApiExample(
                "Two events",
                value="sequence,occurred_at,actor_id,...\n1042,2026-12-07T09:15:02Z,17,...\n",
                response_only=True,
                media_type="text/csv",
            )
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR, **AUDIT_ERRORS},
    )
    def get(self, request: Request) -> StreamingHttpResponse:
        events = audit_trail_read(actor=request.user, filters=_filters(request), export=True)
        response = StreamingHttpResponse(audit_csv_rows(events), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="audit-events.csv"'
        return response
