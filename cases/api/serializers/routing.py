"""Serializers of routing requests."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.api.serializers.common import AgencyBriefSerializer
from cases.models import RoutingRequest
from cases.services.routing import MAX_COUNTRIES_PER_ROUTING, QUESTION_MAX_LENGTH
from victimid.api.serializers import InputSerializer, StrictCharField

__all__ = [
    "ClueRoutingSerializer",
    "RoutingInputSerializer",
    "RoutingPassSerializer",
    "RoutingRequestSerializer",
]


class RoutingRequestSerializer(serializers.ModelSerializer[RoutingRequest]):
    """A routing request as its readers (with its clue) see it."""

    clue = serializers.IntegerField(source="clue_id", read_only=True)
    clue_title = serializers.CharField(source="clue.title", read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    asking_agency = AgencyBriefSerializer(read_only=True)
    passed_to = serializers.SerializerMethodField()
    answer = serializers.IntegerField(source="answer_id", read_only=True, allow_null=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    due_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = RoutingRequest
        fields = [
            "id",
            "clue",
            "clue_title",
            "country",
            "question",
            "status",
            "asking_agency",
            "asked_at",
            "due_at",
            "overdue",
            "passed_to",
            "passed_at",
            "answer",
            "answered_at",
            "closed_at",
        ]
        read_only_fields = fields

    def get_passed_to(self, request: RoutingRequest) -> str | None:
        return request.assignee.email if request.assignee is not None else None


class ClueRoutingSerializer(serializers.Serializer):  # type: ignore[type-arg]
    proposed_countries = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("From the clue's country hypotheses and languages; not yet asked."),
    )
    requests = RoutingRequestSerializer(many=True)


class RoutingInputSerializer(InputSerializer):
    countries = serializers.ListField(
        child=StrictCharField(max_length=8),
        min_length=1,
        max_length=MAX_COUNTRIES_PER_ROUTING,
        help_text=_("ISO 3166-1 alpha-2 codes of the countries to ask."),
    )
    question = StrictCharField(
        max_length=QUESTION_MAX_LENGTH, required=False, default="", allow_blank=True
    )


class RoutingPassSerializer(InputSerializer):
    user = serializers.IntegerField(help_text=_("The id of an investigator of your country."))
