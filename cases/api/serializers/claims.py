"""Serializers of claims and notices."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.api.serializers.common import AgencyBriefSerializer
from cases.models import Claim
from cases.services.claims import CONTACT_MAX_LENGTH
from victimid.api.serializers import InputSerializer, StrictCharField

__all__ = ["ClaimInputSerializer", "ClaimSerializer", "NoticesSerializer"]


class ClaimSerializer(serializers.ModelSerializer[Claim]):
    series = serializers.CharField(source="series.code", read_only=True)
    agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "series", "agency", "contact", "expires_on", "created_at", "updated_at"]
        read_only_fields = fields


class ClaimInputSerializer(InputSerializer):
    contact = StrictCharField(max_length=CONTACT_MAX_LENGTH)
    expires_on = serializers.DateField(help_text=_("YYYY-MM-DD, from today, within a year."))


class CoordinationNoticeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    notice_id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    series_code = serializers.CharField()
    other_agency_name = serializers.CharField()
    other_agency_country = serializers.CharField()
    other_reason = serializers.CharField()
    other_contact = serializers.CharField()
    acknowledged = serializers.BooleanField()


class HashNoticeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    notice_id = serializers.IntegerField()
    perspective = serializers.CharField()
    created_at = serializers.DateTimeField()
    algorithm = serializers.CharField()
    value = serializers.CharField()
    own_series_code = serializers.CharField()
    other_series_code = serializers.CharField(allow_null=True)
    requesting_agency_name = serializers.CharField(allow_null=True)
    requesting_agency_country = serializers.CharField(allow_null=True)
    requesting_agency_contact_point = serializers.CharField(allow_null=True)
    acknowledged = serializers.BooleanField()


class NoticesSerializer(serializers.Serializer):  # type: ignore[type-arg]
    coordination = CoordinationNoticeSerializer(many=True)
    hashes = HashNoticeSerializer(many=True)
    unacknowledged = serializers.IntegerField()
