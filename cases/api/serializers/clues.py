"""Serializers of clues and the clue taxonomy."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.api.serializers.common import (
    AgencyBriefSerializer,
    CanEditMixin,
    ModelRulesMixin,
    MySharingGroupField,
    SharingGroupBriefSerializer,
    VersionRequiredMixin,
    VisibleSeriesField,
)
from cases.choices import Confidence
from cases.models import Clue, ClueCountryHypothesis, ClueTaxonomyNode
from cases.models.base import distribution_problems
from cases.models.clues import (
    clue_point_problems,
    clue_time_window_problems,
    country_given_twice_message,
    repeated_countries,
)
from cases.services.clues import MAX_COUNTRY_HYPOTHESES
from victimid.api.serializers import InputModelSerializer, InputSerializer, StrictCharField

__all__ = [
    "ClueInputSerializer",
    "ClueSerializer",
    "ClueUpdateSerializer",
    "CountryHypothesisInputSerializer",
    "CountryHypothesisSerializer",
    "TaxonomyNodeBriefSerializer",
    "TaxonomyNodeSerializer",
]


class TaxonomyNodeSerializer(serializers.ModelSerializer[ClueTaxonomyNode]):
    label = serializers.SerializerMethodField()
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    depth = serializers.IntegerField(read_only=True)

    class Meta:
        model = ClueTaxonomyNode
        fields = ["slug", "label", "parent", "path", "depth", "description"]
        read_only_fields = fields

    def get_label(self, node: ClueTaxonomyNode) -> str:
        return node.localized_label()


class TaxonomyNodeBriefSerializer(TaxonomyNodeSerializer):
    class Meta(TaxonomyNodeSerializer.Meta):
        fields = ["slug", "label", "path"]
        read_only_fields = fields


class CountryHypothesisSerializer(serializers.ModelSerializer[ClueCountryHypothesis]):
    country = serializers.CharField(
        source="country.code", help_text=_("ISO 3166-1 alpha-2, e.g. NL.")
    )
    confidence = serializers.ChoiceField(choices=Confidence.choices)

    class Meta:
        model = ClueCountryHypothesis
        fields = ["country", "confidence"]


class CountryHypothesisInputSerializer(InputSerializer):
    country = StrictCharField(max_length=8, help_text=_("ISO 3166-1 alpha-2, e.g. NL."))
    confidence = StrictCharField(
        max_length=16, default=Confidence.MEDIUM, help_text=_("low, medium or high.")
    )


class ClueSerializer(CanEditMixin, serializers.ModelSerializer[Clue]):
    """A clue as a caller who may see it (and its series) reads it."""

    series = serializers.CharField(source="series.code", read_only=True)
    taxonomy_node = TaxonomyNodeBriefSerializer(read_only=True)
    country_hypotheses = CountryHypothesisSerializer(many=True, read_only=True)
    agency = AgencyBriefSerializer(read_only=True)
    sharing_group = SharingGroupBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Clue
        fields = [
            "id",
            "series",
            "taxonomy_node",
            "title",
            "description",
            "languages",
            "country_hypotheses",
            "place_text",
            "latitude",
            "longitude",
            "radius_km",
            "time_from",
            "time_to",
            "status",
            "distribution",
            "distribution_explained",
            "sharing_group",
            "agency",
            "version",
            "can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClueInputSerializer(ModelRulesMixin, InputModelSerializer):
    """What a caller sends to post a clue; its limits, validators and rules are the model's."""

    rules = (distribution_problems, clue_time_window_problems, clue_point_problems)

    series = VisibleSeriesField()
    taxonomy_node = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ClueTaxonomyNode.objects.all(),
        help_text=_("Slug of a node of /clue-taxonomy."),
        error_messages={"does_not_exist": _("Unknown kind of clue: {value}.")},
    )
    languages = serializers.ListField(
        child=StrictCharField(max_length=8),
        required=False,
        max_length=Clue._meta.get_field("languages").size,  # type: ignore[attr-defined]
        help_text=_("ISO 639-3 codes, e.g. nld, spa, tgl."),
    )
    country_hypotheses = CountryHypothesisInputSerializer(
        many=True, required=False, max_length=MAX_COUNTRY_HYPOTHESES
    )
    sharing_group = MySharingGroupField(allow_null=True, required=False)

    class Meta:
        model = Clue
        fields = [
            "series",
            "taxonomy_node",
            "title",
            "description",
            "languages",
            "country_hypotheses",
            "place_text",
            "latitude",
            "longitude",
            "radius_km",
            "time_from",
            "time_to",
            "status",
            "distribution",
            "sharing_group",
        ]
        extra_kwargs = {"distribution": {"required": True}}

    def validate_country_hypotheses(self, value: list[dict[str, str]]) -> list[tuple[str, str]]:
        repeated = repeated_countries(item["country"] for item in value)
        if repeated:  # clue_country_once
            raise serializers.ValidationError(
                [
                    country_given_twice_message(value[position]["country"].strip().upper())
                    for position in repeated
                ]
            )
        # PATCH leaves nested defaults unapplied, so the default confidence is set here too.
        return [(item["country"], item.get("confidence", Confidence.MEDIUM)) for item in value]


class ClueUpdateSerializer(VersionRequiredMixin, ClueInputSerializer):
    """A change to a clue: any field but its series, and the version read."""

    series = None  # type: ignore[assignment]
    changes_stored = True

    class Meta(ClueInputSerializer.Meta):
        fields = [*ClueInputSerializer.Meta.fields[1:], "version"]
