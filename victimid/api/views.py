"""People-and-trust API views."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from victimid.api.serializers import AUTH_ERRORS, MeSerializer, NotificationSerializer
from victimid.models import Notification


class MeView(APIView):
    """The signed-in user: agency, country, roles and vetting status."""

    @extend_schema(
        responses={200: MeSerializer, **AUTH_ERRORS},
        examples=[
            OpenApiExample(
                "Vetted investigator",
                value={
                    "email": "ana.investigator@example.org",
                    "full_name": "Ana Investigator",
                    "agency": {
                        "id": 3,
                        "name": "Policía Nacional — Unidad de Víctimas",
                        "country": "ES",
                        "kind": "national_vid_unit",
                        "contact_point": "+34 91 000 0000 (24/7 desk)",
                    },
                    "country": "ES",
                    "roles": ["investigator"],
                    "vetting_status": "vetted",
                    "vetted_until": "2027-11-22T08:00:00Z",
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)


@extend_schema(
    responses={200: NotificationSerializer(many=True), **AUTH_ERRORS},
    examples=[
        OpenApiExample(
            "A notification",
            value={
                "id": 812,
                "kind": "child_identified",
                "subject_type": "series",
                "subject_ref": "SER-2026-000017",
                "message": "A child seen in series SER-2026-000017 was identified. "
                "Identified in SER-2026-000017: 1 of 2 children.",
                "created_at": "2026-11-20T16:40:00Z",
                "read_at": None,
            },
            response_only=True,
        )
    ],
)
class NotificationListView(ListAPIView):
    """The caller's own notifications, newest first."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # the schema reads the model from here

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient=self.request.user)
