"""Serializers of correlation suggestions."""

from __future__ import annotations

from rest_framework import serializers

from cases.models import Clue, CorrelationSuggestion, SuggestionStatus
from victimid.api.serializers import InputSerializer

__all__ = ["SuggestionDecisionSerializer", "SuggestionSerializer"]


class _ClueBriefSerializer(serializers.ModelSerializer[Clue]):
    series = serializers.CharField(source="series.code")
    agency = serializers.CharField(source="agency.name")

    class Meta:
        model = Clue
        fields = ["id", "title", "series", "agency"]
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer[CorrelationSuggestion]):
    """A suggestion as someone who may see both clues reads it."""

    clue_a = _ClueBriefSerializer(read_only=True)
    clue_b = _ClueBriefSerializer(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = CorrelationSuggestion
        fields = [
            "id",
            "clue_a",
            "clue_b",
            "score",
            "reasons",
            "status",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class SuggestionDecisionSerializer(InputSerializer):
    decision = serializers.ChoiceField(
        choices=[SuggestionStatus.CONFIRMED, SuggestionStatus.REJECTED]
    )
