"""Serializers of the people-and-trust API."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from victimid.models import Agency, Notification, User


class AgencySerializer(serializers.ModelSerializer[Agency]):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Agency
        fields = ["id", "name", "country", "kind", "contact_point"]


class MeSerializer(serializers.ModelSerializer[User]):
    agency = AgencySerializer(allow_null=True)
    country = serializers.SerializerMethodField()
    roles = serializers.SerializerMethodField()
    vetting_status = serializers.CharField(source="effective_vetting_status")

    class Meta:
        model = User
        fields = [
            "email",
            "full_name",
            "agency",
            "country",
            "roles",
            "vetting_status",
            "vetted_until",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_country(self, user: User) -> str | None:
        return user.country_code

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_roles(self, user: User) -> list[Any]:
        return sorted(user.role_names)


class NotificationSerializer(serializers.ModelSerializer[Notification]):
    class Meta:
        model = Notification
        fields = ["id", "kind", "subject_type", "subject_ref", "message", "created_at", "read_at"]
