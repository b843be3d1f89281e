"""Serializers of series: what a reader sees, and what a caller sends to change one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
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
from cases.models import Series
from cases.models.base import distribution_problems
from cases.models.series import series_merge_problems
from victimid.api.serializers import InputModelSerializer

__all__ = [
    "SeriesDetailSerializer",
    "SeriesInputSerializer",
    "SeriesSerializer",
    "SeriesUpdateSerializer",
]


class SeriesSerializer(CanEditMixin, serializers.ModelSerializer[Series]):
    """A series as a caller who may see it reads it."""

    agency = AgencyBriefSerializer(read_only=True)
    owner_country = serializers.CharField(source="owner_country.code", read_only=True)
    sharing_group = SharingGroupBriefSerializer(read_only=True, allow_null=True)
    hash_count = serializers.IntegerField(read_only=True)
    clue_count = serializers.IntegerField(
        read_only=True, help_text=_("Clues of this series that you may see.")
    )

    class Meta:
        model = Series
        fields = [
            "code",
            "title",
            "status",
            "first_seen",
            "summary",
            "distribution",
            "distribution_explained",
            "sharing_group",
            "agency",
            "owner_country",
            "hash_count",
            "clue_count",
            "version",
            "can_edit",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SeriesDetailSerializer(SeriesSerializer):
    """One series; also names the series it was merged into, when the caller may see it."""

    merged_into = serializers.SerializerMethodField()

    class Meta(SeriesSerializer.Meta):
        fields = [*SeriesSerializer.Meta.fields, "merged_into"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, series: Series) -> str | None:
        visible = self.context.get("merge_target_visible", False)
        target = series.merged_into
        return target.code if target is not None and visible else None


class SeriesInputSerializer(ModelRulesMixin, InputModelSerializer):
    """What a caller sends to create a series or (with ``version``) change one."""

    rules = (distribution_problems, series_merge_problems)

    sharing_group = MySharingGroupField(allow_null=True, required=False)
    merged_into = VisibleSeriesField(allow_null=True, required=False)

    class Meta:
        model = Series
        fields = [
            "title",
            "distribution",
            "sharing_group",
            "first_seen",
            "summary",
            "status",
            "merged_into",
        ]
        extra_kwargs = {"distribution": {"required": True}}


class SeriesUpdateSerializer(VersionRequiredMixin, SeriesInputSerializer):
    """A change to a series, carrying the version read."""

    changes_stored = True

    class Meta(SeriesInputSerializer.Meta):
        fields = [*SeriesInputSerializer.Meta.fields, "version"]
