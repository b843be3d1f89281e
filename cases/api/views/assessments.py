"""Assessments through the API: a clue's assessments with their consensus; assess a clue."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api import examples
from cases.api.serializers.assessments import (
    AssessmentInputSerializer,
    AssessmentListSerializer,
    AssessmentSerializer,
)
from cases.api.views.common import ERRORS, CaseworkView, validated
from cases.models import Assessment

__all__ = ["ClueAssessmentListView"]


class ClueAssessmentListView(CaseworkView):
    """The assessments of a clue you may see, with their consensus; assess the clue."""

    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    @extend_schema(
        operation_id="clue_assessments_list",
        responses={200: AssessmentListSerializer, **ERRORS},
        examples=[examples.ASSESSMENTS],
        description=_(
            "Every assessment of a clue you may see, newest first, and their consensus: each "
            "assessor counts once, by their latest assessment; attributions that disagree "
            "are marked disputed."
        ),
    )
    def get(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk)  # audited: the clue is read
        assessments = list(selectors.assessment_list(actor=request.user, clue=clue))
        body = {
            "consensus": selectors.assessment_consensus(assessments),
            "assessments": assessments,
        }
        return self.respond(AssessmentListSerializer, body)

    @extend_schema(
        operation_id="clue_assessments_create",
        request=AssessmentInputSerializer,
        responses={201: AssessmentSerializer, **ERRORS},
        examples=[examples.ASSESSMENT_CREATE, examples.ASSESSMENT],
        description=_(
            "Assess a clue you may see: recognised, not recognised (no attributions) or "
            "unsure, with up to ten country attributions and a comment. The clue's author "
            "and its series' followers who may see it are notified."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        data = validated(AssessmentInputSerializer, request)
        assessment = services.assessment_create(actor=request.user, clue=clue, **data)
        return self.respond(AssessmentSerializer, assessment, status.HTTP_201_CREATED)
