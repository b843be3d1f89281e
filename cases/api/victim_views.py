"""Victims API: thin views over the victim services and selectors.

Not visible → 404 (no existence leak); visible but not the caller's to change → 403;
a stale version → 409 with the current one; the log is append-only, so its events
answer 405 to PUT, PATCH and DELETE.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.victim_serializers import (
    IdentificationEventCreateSerializer,
    IdentificationEventSerializer,
    SeriesFollowSerializer,
    VictimCreateSerializer,
    VictimSerializer,
    VictimUpdateSerializer,
)
from cases.api.views import service_errors
from cases.choices import VictimStatus
from cases.models import IdentificationEvent, Series, Victim
from cases.selectors.victims import victim_events, victim_get, victim_list
from cases.services.victims import (
    identification_event_record,
    series_follow,
    series_unfollow,
    victim_create,
    victim_update,
)
from victimid.api.pagination import DefaultCursorPagination
from victimid.api.permissions import HasCaseworkAccess

VICTIM_EXAMPLE = {
    "code": "VIC-2026-000042",
    "series": ["SER-2026-000017"],
    "age_band": "7-10",
    "status": "identified",
    "agency": "Demo National Police — VID Team",
    "owner_country": "NL",
    "distribution": "country",
    "sharing_group": None,
    "notes": "Same room as in SER-2026-000017, later period.",
    "version": 3,
    "created_at": "2026-11-02T09:14:00Z",
    "updated_at": "2026-11-20T16:40:00Z",
}
EVENT_EXAMPLE = {
    "id": 311,
    "victim": "VIC-2026-000042",
    "kind": "safeguarded",
    "occurred_on": "2026-11-19",
    "agency": "Demo Policía Nacional — Unidad de Víctimas",
    "country": "ES",
    "recorded_by": "Elena Investigadora",
    "support_service": "",
    "corrects": None,
    "corrected": False,
    "note": "Placed with family; local child protection informed.",
    "recorded_at": "2026-11-20T16:40:00Z",
}


def _victim_or_404(request: Request, code: str, *, record_read: bool = True) -> Victim:
    return victim_get(actor=request.user, code=code, audit=record_read)  # type: ignore[arg-type]


class VictimListView(GenericAPIView[Victim]):
    """List the victims you may see (filter by series code and status); register a victim."""

    permission_classes = [HasCaseworkAccess]
    pagination_class = DefaultCursorPagination
    serializer_class = VictimSerializer

    def get_queryset(self) -> QuerySet[Victim]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user, no audit
            return Victim.objects.none()
        return victim_list(
            actor=self.request.user,  # type: ignore[arg-type]
            series_code=self.request.query_params.get("series") or None,
            status=self.request.query_params.get("status") or None,
        )

    @extend_schema(
        operation_id="victims_list",
        responses=VictimSerializer(many=True),
        parameters=[
            OpenApiParameter("series", OpenApiTypes.STR, description="A series code."),
            OpenApiParameter("status", OpenApiTypes.STR, enum=VictimStatus.values),
        ],
        examples=[OpenApiExample("A page of victims", value=VICTIM_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(VictimSerializer(page, many=True).data)

    @extend_schema(
        request=VictimCreateSerializer,
        responses={201: VictimSerializer},
        examples=[
            OpenApiExample(
                "A child seen in one series",
                value={
                    "series": ["SER-2026-000017"],
                    "age_band": "7-10",
                    "distribution": "country",
                    "notes": "",
                },
                request_only=True,
            ),
            OpenApiExample("Registered", value=VICTIM_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = VictimCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        victim = victim_create(actor=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(
            VictimSerializer(_victim_or_404(request, victim.code, record_read=False)).data,
            status=status.HTTP_201_CREATED,
        )


class VictimDetailView(GenericAPIView[Victim]):
    """One victim by code; PATCH changes age band, series links, notes or distribution."""

    permission_classes = [HasCaseworkAccess]
    serializer_class = VictimSerializer
    queryset = Victim.objects.none()  # types the schema; reads go through victim_get
    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(
        examples=[OpenApiExample("A victim", value=VICTIM_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(VictimSerializer(_victim_or_404(request, code)).data)

    @extend_schema(
        request=VictimUpdateSerializer,
        responses={200: VictimSerializer},
        examples=[
            OpenApiExample(
                "Correct the age band",
                value={"version": 3, "age_band": "11-13"},
                request_only=True,
            ),
            OpenApiExample(
                "Stale version",
                value={
                    "error": {
                        "code": "version_conflict",
                        "message": "The record changed since you read it (now version 4); "
                        "reload it.",
                        "current_version": 4,
                    }
                },
                response_only=True,
                status_codes=["409"],
            ),
        ],
    )
    def patch(self, request: Request, code: str) -> Response:
        victim = _victim_or_404(request, code, record_read=False)
        serializer = VictimUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with service_errors():  # a stale version answers 409 like every casework update
            victim_update(actor=request.user, victim=victim, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(VictimSerializer(_victim_or_404(request, code, record_read=False)).data)


class VictimEventsView(GenericAPIView[IdentificationEvent]):
    """The victim's identification log: list, or append an event (never change one)."""

    permission_classes = [HasCaseworkAccess]
    pagination_class = DefaultCursorPagination
    serializer_class = IdentificationEventSerializer
    queryset = IdentificationEvent.objects.none()  # types the schema; reads use victim_events
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(
        operation_id="victims_events_list",
        responses=IdentificationEventSerializer(many=True),
        examples=[OpenApiExample("The log", value=EVENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, code: str) -> Response:
        victim = _victim_or_404(request, code)
        page = self.paginate_queryset(victim_events(actor=request.user, victim=victim))  # type: ignore[arg-type]
        return self.get_paginated_response(IdentificationEventSerializer(page, many=True).data)

    @extend_schema(
        request=IdentificationEventCreateSerializer,
        responses={201: IdentificationEventSerializer(many=True)},
        description=(
            "Append an event. Any casework user who can see the victim may record one; it "
            "carries the caller's agency and country. A safeguarding needs an identification "
            "first: send `also_identified: true` to record both on the same date. A correction "
            "names the event it corrects (`corrects`) and a note. Answers the events recorded."
        ),
        examples=[
            OpenApiExample(
                "Identified and safeguarded together",
                value={"kind": "safeguarded", "occurred_on": "2026-11-19", "also_identified": True},
                request_only=True,
            ),
            OpenApiExample(
                "Referral",
                value={
                    "kind": "referred",
                    "occurred_on": "2026-11-20",
                    "support_service": "child_advocacy_centre",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Correction",
                value={
                    "kind": "correction",
                    "occurred_on": "2026-11-21",
                    "corrects": 311,
                    "note": "Recorded against the wrong child.",
                },
                request_only=True,
            ),
            OpenApiExample("Recorded", value=[EVENT_EXAMPLE], response_only=True),
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        victim = _victim_or_404(request, code, record_read=False)
        serializer = IdentificationEventCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(serializer.validated_data)
        corrects_id = data.pop("corrects")
        corrects = None
        if corrects_id is not None:
            corrects = (
                victim_events(actor=request.user, victim=victim).filter(pk=corrects_id).first()
            )  # type: ignore[arg-type]
            if corrects is None:
                raise exceptions.ValidationError({"corrects": [_("No such event of this child.")]})
        created = identification_event_record(
            actor=request.user,  # type: ignore[arg-type]
            victim=victim,
            corrects=corrects,
            **data,
        )
        events = victim_events(actor=request.user, victim=victim).filter(  # type: ignore[arg-type]
            pk__in=[event.pk for event in created]
        )
        return Response(
            IdentificationEventSerializer(events.order_by("id"), many=True).data,
            status=status.HTTP_201_CREATED,
        )


class SeriesFollowView(GenericAPIView[Series]):
    """Follow a series (POST) to hear when a child in it is identified or safeguarded."""

    permission_classes = [HasCaseworkAccess]
    serializer_class = SeriesFollowSerializer
    queryset = Series.objects.none()  # types the schema; lookups go through visible_to
    http_method_names = ["post", "delete", "options"]

    def _series(self, code: str) -> Series:
        series = Series.objects.visible_to(self.request.user).filter(code=code).first()
        if series is None:
            raise exceptions.NotFound()
        return series

    @extend_schema(
        request=None,
        responses={201: SeriesFollowSerializer, 200: SeriesFollowSerializer},
        examples=[
            OpenApiExample(
                "Following",
                value={"series": "SER-2026-000017", "following": True},
                response_only=True,
            )
        ],
    )
    def post(self, request: Request, code: str) -> Response:
        series = self._series(code)
        already = series.followers.filter(user=request.user).exists()
        series_follow(actor=request.user, series=series)  # type: ignore[arg-type]
        return Response(
            {"series": series.code, "following": True},
            status=status.HTTP_200_OK if already else status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, code: str) -> Response:
        series_unfollow(actor=request.user, series=self._series(code))  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
