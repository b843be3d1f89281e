"""Serializers of the victims API: input and output kept apart where they differ."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.choices import (
    AgeBand,
    Distribution,
    IdentificationEventKind,
    SupportService,
    VictimStatus,
)
from cases.models import IdentificationEvent, Series, Victim
from victimid.models import SharingGroup


class VisibleSeriesField(serializers.SlugRelatedField):
    """A series named by code, looked up among the series the caller may see."""

    default_error_messages = {
        "does_not_exist": _("No series {value} that you can see."),
        "invalid": _("Give series codes as text."),
    }

    def __init__(self, **kwargs: Any) -> None:
        # The queryset given here only types the schema; lookups use get_queryset below.
        super().__init__(slug_field="code", queryset=Series.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[Series]:
        return Series.objects.visible_to(self.context["request"].user)


class VictimSerializer(serializers.ModelSerializer[Victim]):
    """A victim as the caller may see it: only the series the caller can see are listed."""

    series = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=VictimStatus.choices, source="current_status")
    agency = serializers.CharField(source="agency.name")
    owner_country = serializers.CharField(source="owner_country.code")

    class Meta:
        model = Victim
        fields = [
            "code",
            "series",
            "age_band",
            "status",
            "agency",
            "owner_country",
            "distribution",
            "sharing_group",
            "notes",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_series(self, victim: Victim) -> list[str]:
        return [link.series.code for link in getattr(victim, "visible_series_links", [])]


class VictimCreateSerializer(serializers.Serializer[Any]):
    series = VisibleSeriesField(many=True, allow_empty=False)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    notes = serializers.CharField(allow_blank=True, max_length=2000, default="")
    distribution = serializers.ChoiceField(
        choices=Distribution.choices, default=Distribution.AGENCY
    )
    sharing_group = serializers.PrimaryKeyRelatedField(
        queryset=SharingGroup.objects.all(), allow_null=True, default=None
    )


class VictimUpdateSerializer(serializers.Serializer[Any]):
    version = serializers.IntegerField(min_value=1)
    series = VisibleSeriesField(many=True, allow_empty=False, required=False)
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False)
    notes = serializers.CharField(allow_blank=True, max_length=2000, required=False)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    sharing_group = serializers.PrimaryKeyRelatedField(
        queryset=SharingGroup.objects.all(), allow_null=True, required=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "sharing_group" in attrs and "distribution" not in attrs:
            raise serializers.ValidationError(
                {"distribution": [_("Send the distribution together with the sharing group.")]}
            )
        return attrs


class IdentificationEventSerializer(serializers.ModelSerializer[IdentificationEvent]):
    """One event of the log; ``corrected`` is true once a correction points at it."""

    victim = serializers.CharField(source="victim.code")
    agency = serializers.CharField(source="agency.name")
    country = serializers.CharField(source="country.code")
    recorded_by = serializers.CharField(source="recorded_by.full_name")
    corrected = serializers.BooleanField(source="is_corrected")

    class Meta:
        model = IdentificationEvent
        fields = [
            "id",
            "victim",
            "kind",
            "occurred_on",
            "agency",
            "country",
            "recorded_by",
            "support_service",
            "corrects",
            "corrected",
            "note",
            "recorded_at",
        ]
        read_only_fields = fields


class IdentificationEventCreateSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=IdentificationEventKind.choices)
    occurred_on = serializers.DateField()
    note = serializers.CharField(allow_blank=True, max_length=2000, default="")
    support_service = serializers.ChoiceField(
        choices=SupportService.choices, allow_blank=True, default=""
    )
    corrects = serializers.IntegerField(min_value=1, allow_null=True, default=None)
    also_identified = serializers.BooleanField(
        default=False,
        help_text=_("With a safeguarding: record the identification on the same date first."),
    )


class SeriesFollowSerializer(serializers.Serializer[Any]):
    series = serializers.CharField()
    following = serializers.BooleanField()
