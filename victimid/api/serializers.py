"""Serializers of the people-and-trust API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
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


class ErrorBodySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """What went wrong: a code to branch on, a message to show, and details by kind."""

    code = serializers.CharField(help_text=_("A stable, machine-readable reason."))
    message = serializers.CharField(help_text=_("A human-readable summary."))
    fields = serializers.DictField(
        required=False,
        help_text=_(
            "Only on 400: each invalid field with its list of messages (nested input nests "
            "them the same way)."
        ),
    )
    current_version = serializers.IntegerField(
        required=False, help_text=_("Only on a version conflict: the version stored now.")
    )


# Documentation only: victimid.api.errors.exception_handler writes every error body.
class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The one shape of every API error."""

    error = ErrorBodySerializer()


# The answers every signed-in endpoint may give before it looks at anything else.
AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description=_("No or bad credentials.")),
    403: OpenApiResponse(
        ErrorSerializer,
        description=_("Second factor missing (`mfa_required`), or not allowed for your role."),
    ),
}
