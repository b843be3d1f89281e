"""Serializers of assessments and the consensus of a clue's assessors."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.api.serializers.common import AgencyBriefSerializer
from cases.choices import Confidence, Verdict
from cases.models import Assessment, AssessmentAttribution
from cases.models.assessments import MAX_ATTRIBUTIONS
from cases.services.assessments import PLACE_MAX_LENGTH
from victimid.api.serializers import InputSerializer, StrictCharField

__all__ = [
    "AssessmentInputSerializer",
    "AssessmentListSerializer",
    "AssessmentSerializer",
    "AttributionInputSerializer",
]


class AttributionSerializer(serializers.ModelSerializer[AssessmentAttribution]):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = AssessmentAttribution
        fields = ["country", "place_text", "confidence"]
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer[Assessment]):
    """One assessment as a reader of its clue sees it: the agency, never the person."""

    clue = serializers.IntegerField(source="clue_id", read_only=True)
    agency = AgencyBriefSerializer(read_only=True)
    attributions = AttributionSerializer(many=True, read_only=True)

    class Meta:
        model = Assessment
        fields = ["id", "clue", "verdict", "attributions", "comment", "agency", "created_at"]
        read_only_fields = fields


class AttributionConsensusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    country = serializers.CharField()
    assessors = serializers.IntegerField()
    confidence = serializers.CharField(help_text=_("The highest confidence given."))
    places = serializers.ListField(child=serializers.CharField())
    disputed = serializers.BooleanField()
    why_disputed = serializers.CharField()


class ConsensusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    assessors = serializers.IntegerField(help_text=_("Each assessor counts once: their latest."))
    verdicts = serializers.DictField(child=serializers.IntegerField())
    verdict = serializers.CharField(allow_null=True, help_text=_("Held by more than half."))
    verdict_disputed = serializers.BooleanField()
    attributions = AttributionConsensusSerializer(many=True)


class AssessmentListSerializer(serializers.Serializer):  # type: ignore[type-arg]
    consensus = ConsensusSerializer()
    assessments = AssessmentSerializer(many=True)


class AttributionInputSerializer(InputSerializer):
    country = StrictCharField(max_length=8, help_text=_("ISO 3166-1 alpha-2, e.g. NL."))
    place_text = StrictCharField(
        max_length=PLACE_MAX_LENGTH, required=False, default="", allow_blank=True
    )
    confidence = serializers.ChoiceField(choices=Confidence.choices, default=Confidence.MEDIUM)


class AssessmentInputSerializer(InputSerializer):
    """What a caller sends to assess a clue."""

    verdict = serializers.ChoiceField(choices=Verdict.choices)
    attributions = AttributionInputSerializer(
        many=True, required=False, default=list, max_length=MAX_ATTRIBUTIONS
    )
    comment = StrictCharField(max_length=2000, required=False, default="", allow_blank=True)
