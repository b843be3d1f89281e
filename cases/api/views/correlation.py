"""Correlation suggestions through the API: a clue's, the reader's, and deciding on one."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api.serializers.correlation import SuggestionDecisionSerializer, SuggestionSerializer
from cases.api.views.common import ERRORS, CaseworkView, query_parameter, validated
from cases.models import CorrelationSuggestion, SuggestionStatus

__all__ = ["ClueSuggestionListView", "SuggestionDecisionView", "SuggestionListView"]

_SUGGESTION = {
    "id": 88,
    "clue_a": {"id": 57, "title": "Recessed type F wall socket", "series": "SER-2026-000123",
               "agency": "Demo National Police — VID Team"},
    "clue_b": {"id": 91, "title": "Cream socket with earthing clips", "series": "SER-2026-000140",
               "agency": "Demo Federal Police — VID"},
    "score": 6.5,
    "reasons": ["same kind of clue: Sockets and plugs", "both mention Dutch", "similar wording"],
    "status": "open",
    "decided_at": None,
    "created_at": "2026-03-02T10:00:00Z",
}  # fmt: skip
EXAMPLE = OpenApiExample("A suggestion", response_only=True, value=_SUGGESTION)
LIST_EXAMPLE = OpenApiExample(
    "Suggestions",
    response_only=True,
    value={"count": 1, "next": None, "previous": None, "results": [_SUGGESTION]},
)


class ClueSuggestionListView(CaseworkView):
    """The suggestions of a clue whose other clue you may see too."""

    serializer_class = SuggestionSerializer
    queryset = CorrelationSuggestion.objects.none()

    @extend_schema(
        operation_id="clue_suggestions_list",
        responses={200: SuggestionSerializer(many=True), **ERRORS},
        examples=[LIST_EXAMPLE],
        description=_("Open and confirmed suggestions of a clue, best first."),
    )
    def get(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        return self.paginated(
            SuggestionSerializer, selectors.suggestions_of_clue(actor=request.user, clue=clue)
        )


class SuggestionListView(CaseworkView):
    """Suggestions touching your agency's clues that you may see (both clues), newest first."""

    serializer_class = SuggestionSerializer
    queryset = CorrelationSuggestion.objects.none()

    @extend_schema(
        operation_id="suggestions_list",
        parameters=[query_parameter("status", _("open (default), confirmed or rejected."))],
        responses={200: SuggestionSerializer(many=True), **ERRORS},
        examples=[LIST_EXAMPLE],
        description=_("Each suggestion is shown only to those who may see both of its clues."),
    )
    def get(self, request: Request) -> Response:
        status = request.query_params.get("status", SuggestionStatus.OPEN)
        if status not in SuggestionStatus.values:
            raise ValidationError({"status": [_("Give open, confirmed or rejected.")]})
        return self.paginated(
            SuggestionSerializer, selectors.suggestion_list(actor=request.user, status=status)
        )


class SuggestionDecisionView(CaseworkView):
    """Confirm or reject a suggestion (either clue's owning agency)."""

    serializer_class = SuggestionSerializer
    queryset = CorrelationSuggestion.objects.none()

    @extend_schema(
        operation_id="suggestions_decide",
        request=SuggestionDecisionSerializer,
        responses={200: SuggestionSerializer, **ERRORS},
        examples=[
            OpenApiExample("Confirm", request_only=True, value={"decision": "confirmed"}),
            EXAMPLE,
        ],
        description=_("A confirmed link appears on both series' pages."),
    )
    def post(self, request: Request, pk: int) -> Response:
        suggestion = selectors.suggestion_get(actor=request.user, pk=pk)
        data = validated(SuggestionDecisionSerializer, request)
        suggestion = services.suggestion_decide(
            actor=request.user, suggestion=suggestion, decision=data["decision"]
        )
        return self.respond(SuggestionSerializer, suggestion)
