"""Routing through the API: ask countries about a clue, a country's queue, pass, withdraw."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.serializers.routing import (
    ClueRoutingSerializer,
    RoutingInputSerializer,
    RoutingPassSerializer,
    RoutingRequestSerializer,
)
from cases.api.views.common import ERRORS, CaseworkView, query_parameter, validated
from cases.models import RoutingRequest
from cases.selectors.routing import ROUTING_QUEUE_STATUSES
from victimid.models import User

__all__ = [
    "ClueRoutingView",
    "RoutingPassView",
    "RoutingQueueView",
    "RoutingWithdrawView",
]

_REQUEST = {
    "id": 31,
    "clue": 57,
    "clue_title": "Recessed type F wall socket",
    "country": "DE",
    "question": "Is this plate sold in your country?",
    "status": "open",
    "asking_agency": {"id": 3, "name": "Demo National Police — VID Team", "country": "NL"},
    "asked_at": "2026-01-06T10:00:00Z",
    "due_at": "2026-01-20T10:00:00Z",
    "overdue": False,
    "passed_to": None,
    "passed_at": None,
    "answer": None,
    "answered_at": None,
    "closed_at": None,
}
REQUEST_EXAMPLE = OpenApiExample("A routing request", response_only=True, value=_REQUEST)
QUEUE_EXAMPLE = OpenApiExample(
    "A queue",
    response_only=True,
    value={"count": 1, "next": None, "previous": None, "results": [_REQUEST]},
)


class ClueRoutingView(CaseworkView):
    """A clue's routing requests and the countries proposed; ask countries (owner only)."""

    serializer_class = RoutingRequestSerializer
    queryset = RoutingRequest.objects.none()

    @extend_schema(
        operation_id="clue_routing_list",
        responses={200: ClueRoutingSerializer, **ERRORS},
        examples=[
            OpenApiExample(
                "Routing of a clue",
                response_only=True,
                value={"proposed_countries": ["BE", "SR"], "requests": [_REQUEST]},
            )
        ],
        description=_(
            "The countries asked about a clue you may see, and the countries its hypotheses "
            "and languages propose that have not been asked yet."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk)
        body = {
            "proposed_countries": services.routing_proposed_countries(clue),
            "requests": selectors.routing_requests_of_clue(actor=request.user, clue=clue),
        }
        return self.respond(ClueRoutingSerializer, body)

    @extend_schema(
        operation_id="clue_routing_create",
        request=RoutingInputSerializer,
        responses={201: RoutingRequestSerializer(many=True), **ERRORS},
        examples=[
            OpenApiExample(
                "Ask Germany",
                request_only=True,
                value={"countries": ["DE"], "question": "Is this plate sold in your country?"},
            ),
            REQUEST_EXAMPLE,
        ],
        description=_(
            "Ask the coordinators of each country whether they recognise the clue (its "
            "owning agency only). They see the clue, not its series, until they answer "
            "(an assessment) or the request is withdrawn."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        data = validated(RoutingInputSerializer, request)
        asked = services.clue_route(actor=request.user, clue=clue, **data)
        return self.respond(RoutingRequestSerializer, asked, status.HTTP_201_CREATED, many=True)


class RoutingQueueView(CaseworkView):
    """The routing requests to your country (coordinators) or passed to you."""

    serializer_class = RoutingRequestSerializer
    queryset = RoutingRequest.objects.none()

    @extend_schema(
        operation_id="routing_requests_list",
        parameters=[query_parameter("status", _("open (default), closed or all."))],
        responses={200: RoutingRequestSerializer(many=True), **ERRORS},
        examples=[QUEUE_EXAMPLE],
        description=_(
            "A coordinator's queue: every request to their country, oldest first, `overdue` "
            "when open longer than the set period; an investigator's: those passed to them."
        ),
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status", "open")
        if wanted not in ROUTING_QUEUE_STATUSES:
            raise ValidationError({"status": [_("Give open, closed or all.")]})
        return self.paginated(
            RoutingRequestSerializer, selectors.routing_queue(actor=request.user, status=wanted)
        )


class RoutingPassView(CaseworkView):
    """A coordinator of the asked country passes a request to one of its investigators."""

    serializer_class = RoutingRequestSerializer
    queryset = RoutingRequest.objects.none()

    @extend_schema(
        operation_id="routing_requests_pass",
        request=RoutingPassSerializer,
        responses={200: RoutingRequestSerializer, **ERRORS},
        examples=[
            OpenApiExample("Pass on", request_only=True, value={"user": 42}),
            REQUEST_EXAMPLE,
        ],
        description=_("Coordinators of the asked country only; the investigator sees the clue."),
    )
    def post(self, request: Request, pk: int) -> Response:
        routing_request = selectors.routing_request_get(actor=request.user, pk=pk)
        data = validated(RoutingPassSerializer, request)
        assignee = User.objects.filter(pk=data["user"]).first()  # None: refused in the service
        routing_request = services.routing_pass(
            actor=request.user, request=routing_request, assignee=assignee
        )
        return self.respond(RoutingRequestSerializer, routing_request)


class RoutingWithdrawView(CaseworkView):
    """The clue's owning agency withdraws an open request."""

    serializer_class = RoutingRequestSerializer
    queryset = RoutingRequest.objects.none()

    @extend_schema(
        operation_id="routing_requests_withdraw",
        request=None,
        responses={200: RoutingRequestSerializer, **ERRORS},
        examples=[REQUEST_EXAMPLE],
        description=_("The clue is no longer shared with the asked country."),
    )
    def post(self, request: Request, pk: int) -> Response:
        routing_request = selectors.routing_request_get(actor=request.user, pk=pk)
        routing_request = services.routing_withdraw(actor=request.user, request=routing_request)
        return self.respond(RoutingRequestSerializer, routing_request)
