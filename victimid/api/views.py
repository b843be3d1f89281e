"""People-and-trust API views."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from victimid.api.serializers import AUTH_ERRORS, MeSerializer


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
