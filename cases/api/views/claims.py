"""Claims and notices through the API."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.serializers.claims import ClaimInputSerializer, ClaimSerializer, NoticesSerializer
from cases.api.views.common import ERRORS, CaseworkView, validated
from cases.models import Claim

__all__ = ["NoticeAcknowledgeView", "NoticeListView", "SeriesClaimsView"]

_CLAIM = {
    "id": 4,
    "series": "SER-2026-000123",
    "agency": {"id": 3, "name": "Demo National Police — VID Team", "country": "NL"},
    "contact": "VID desk, vid-desk@police.example.nl",
    "expires_on": "2026-06-30",
    "created_at": "2026-03-01T09:00:00Z",
    "updated_at": "2026-03-01T09:00:00Z",
}


class SeriesClaimsView(CaseworkView):
    """Who is working a series: its active claims; claim or renew it, withdraw yours."""

    serializer_class = ClaimSerializer
    queryset = Claim.objects.none()

    @extend_schema(
        operation_id="series_claims_list",
        responses={200: ClaimSerializer(many=True), **ERRORS},
        examples=[OpenApiExample("Claims", response_only=True, value=[_CLAIM])],
        description=_("The active claims on a series you may see: agency, contact, expiry."),
    )
    def get(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        claims = selectors.active_claims(actor=request.user, series=series)
        return self.respond(ClaimSerializer, claims, many=True)

    @extend_schema(
        operation_id="series_claims_create",
        request=ClaimInputSerializer,
        responses={201: ClaimSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Claim",
                request_only=True,
                value={
                    "contact": "VID desk, vid-desk@police.example.nl",
                    "expires_on": "2026-06-30",
                },
            ),
            OpenApiExample("A claim", response_only=True, value=_CLAIM),
        ],
        description=_(
            "Claim the series for your agency, or renew its claim. Other agencies claiming "
            "or following it are told your agency's name and this contact, and you theirs."
        ),
    )
    def post(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        data = validated(ClaimInputSerializer, request)
        claim = services.claim_set(actor=request.user, series=series, **data)
        return self.respond(ClaimSerializer, claim, status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="series_claims_withdraw",
        responses={204: None, **ERRORS},
        description=_("Withdraw your agency's claim (404 when it has none)."),
    )
    def delete(self, request: Request, code: str) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        services.claim_withdraw(actor=request.user, series=series)
        return Response(status=status.HTTP_204_NO_CONTENT)


class NoticeListView(CaseworkView):
    """Every notice to your agency: other agencies working your series, shared hash values."""

    serializer_class = NoticesSerializer
    queryset = Claim.objects.none()

    @extend_schema(
        operation_id="notices_list",
        responses={200: NoticesSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Notices",
                response_only=True,
                value={
                    "coordination": [
                        {
                            "notice_id": 7,
                            "created_at": "2026-03-02T10:00:00Z",
                            "series_code": "SER-2026-000123",
                            "other_agency_name": "Demo Federal Police — VID",
                            "other_agency_country": "DE",
                            "other_reason": "claims the series",
                            "other_contact": "+49 30 0000 0000",
                            "acknowledged": False,
                        }
                    ],
                    "hashes": [],
                    "unacknowledged": 1,
                },
            )
        ],
        description=_("Each notice names only the other agency and how to reach it."),
    )
    def get(self, request: Request) -> Response:
        return self.respond(NoticesSerializer, selectors.notices_for(actor=request.user))


class NoticeAcknowledgeView(CaseworkView):
    """Acknowledge a notice to your agency (`series` or `hash`)."""

    serializer_class = NoticesSerializer
    queryset = Claim.objects.none()

    @extend_schema(
        operation_id="notices_acknowledge",
        request=None,
        responses={204: None, **ERRORS},
        description=_("404 for a notice not addressed to your agency."),
    )
    def post(self, request: Request, kind: str, pk: int) -> Response:
        if kind not in ("series", "hash"):
            raise Http404
        services.notice_acknowledge(actor=request.user, kind=kind, notice_id=pk)  # type: ignore[arg-type]
        return Response(status=status.HTTP_204_NO_CONTENT)
