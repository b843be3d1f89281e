"""Serializers of victims, their identification log and series follows.

Input and output are kept apart where they differ.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers.common import (
    ModelRulesMixin,
    VersionRequiredMixin,
    VisibleSeriesField,
)
from cases.choices import (
    AgeBand,
    Distribution,
    IdentificationEventKind,
    SupportService,
    VictimStatus,
)
from cases.models import IdentificationEvent, Victim
from cases.models.base import distribution_problems
from cases.models.victims import identification_event_problems
from victimid.api.serializers import InputSerializer, StrictCharField
from victimid.models import SharingGroup

# The limits of the model fields the serializers take.
_NOTES_LIMIT = Victim._meta.get_field("notes").max_length
_NOTE_LIMIT = IdentificationEvent._meta.get_field("note").max_length

__all__ = [
    "IdentificationEventCreateSerializer",
    "IdentificationEventSerializer",
    "IdentificationEventsRecordedSerializer",
    "SeriesFollowSerializer",
    "VictimCreateSerializer",
    "VictimSerializer",
    "VictimUpdateSerializer",
]


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


class VictimCreateSerializer(ModelRulesMixin, InputSerializer):
    """What a caller sends to register a victim."""

    rules = (distribution_problems,)

    series = VisibleSeriesField(
        many=True, allow_empty=False, help_text=_("Codes of the series the child appears in.")
    )
    age_band = serializers.ChoiceField(choices=AgeBand.choices, default=AgeBand.UNKNOWN)
    notes = StrictCharField(allow_blank=True, max_length=_NOTES_LIMIT, default="")
    distribution = serializers.ChoiceField(
        choices=Distribution.choices, default=Distribution.AGENCY
    )
    sharing_group = serializers.PrimaryKeyRelatedField(
        queryset=SharingGroup.objects.all(), allow_null=True, default=None
    )


class VictimUpdateSerializer(VersionRequiredMixin, ModelRulesMixin, InputSerializer):
    """A change to a victim, carrying the version read; fields left out stay as they are.

    A distribution sent without a sharing group means no group (``victim_update``), so
    the rule reads a group left out as none.
    """

    rules = (distribution_problems,)

    series = VisibleSeriesField(
        many=True,
        allow_empty=False,
        required=False,
        help_text=_("Replaces the links to series you can see; links to others are kept."),
    )
    age_band = serializers.ChoiceField(choices=AgeBand.choices, required=False)
    notes = StrictCharField(allow_blank=True, max_length=_NOTES_LIMIT, required=False)
    distribution = serializers.ChoiceField(choices=Distribution.choices, required=False)
    sharing_group = serializers.PrimaryKeyRelatedField(
        queryset=SharingGroup.objects.all(), allow_null=True, required=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "sharing_group" in attrs and "distribution" not in attrs:
            raise serializers.ValidationError(
                {"distribution": [_("Send the distribution together with the sharing group.")]}
            )
        return super().validate(attrs)


class _SupportServiceField(serializers.ChoiceField):
    """The kind of support service of a referral; null on every other kind of event."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=SupportService.choices, allow_null=True, **kwargs)

    def to_representation(self, value: Any) -> Any:
        return value or None  # stored as "" when there is none


class IdentificationEventSerializer(serializers.ModelSerializer[IdentificationEvent]):
    """One event of the log; ``corrected`` is true once a correction points at it."""

    victim = serializers.CharField(source="victim.code")
    agency = serializers.CharField(source="agency.name")
    country = serializers.CharField(source="country.code")
    recorded_by = serializers.CharField(source="recorded_by.full_name")
    support_service = _SupportServiceField(
        help_text=_("Only on a referral: the kind of service; null otherwise.")
    )
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


class IdentificationEventsRecordedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What recording answers: the events appended, oldest first (two with also_identified)."""

    events = IdentificationEventSerializer(many=True)


class IdentificationEventCreateSerializer(ModelRulesMixin, InputSerializer):
    """One event to append to the log; a field only another kind of event uses is refused."""

    rules = (identification_event_problems,)

    kind = serializers.ChoiceField(
        choices=IdentificationEventKind.choices,
        error_messages={
            "required": format_lazy(
                _("Say what happened: one of {kinds}."),
                kinds=", ".join(IdentificationEventKind.values),
            )
        },
    )
    occurred_on = serializers.DateField()
    note = StrictCharField(allow_blank=True, max_length=_NOTE_LIMIT, default="")
    support_service = _SupportServiceField(
        allow_blank=True,
        default=None,
        help_text=_("Only with a referral: the kind of service the child was referred to."),
    )
    corrects = serializers.IntegerField(
        min_value=1,
        allow_null=True,
        default=None,
        help_text=_("Only with a correction: the id of the event it corrects."),
    )
    also_identified = serializers.BooleanField(
        default=False,
        help_text=_("With a safeguarding: record the identification on the same date first."),
    )

    def validate_support_service(self, value: str | None) -> str:
        return value or ""  # the log stores "" for "no service"


class SeriesFollowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Whether the caller follows the series."""

    series = serializers.CharField()
    following = serializers.BooleanField()
