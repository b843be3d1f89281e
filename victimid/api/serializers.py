"""Serializers of the people-and-trust API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from victimid.models import Agency, Notification, User
from victimid.text_limits import TextLimitValidator


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
# Every cursor-paginated list: a cursor that was not one of ours.
INVALID_CURSOR = {
    404: OpenApiResponse(ErrorSerializer, description=_("Invalid cursor (`cursor` parameter)."))
}
AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description=_("No or bad credentials.")),
    403: OpenApiResponse(
        ErrorSerializer,
        description=_("Second factor missing (`mfa_required`), or not allowed for your role."),
    ),
}
# --- Input: what a client sends is taken as sent, or refused by name ----------------------------

_JSON_KINDS = {bool: _("true or false"), int: _("a number"), float: _("a number")}


class StrictCharField(serializers.CharField):
    """Text, and only text: a number or a list where text belongs is refused, not converted.

    DRF would store ``"title": 12345`` as "12345"; a client sending a number there has a bug
    it should hear about. Text over the limit is refused with the limit and its length,
    in the words the pages use.
    """

    default_error_messages = {"not_text": _("Give text here, not {kind}.")}
    validators: list[Any]  # DRF's property, for mypy (DRF has no type hints)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if self.max_length is not None:
            self.validators = [
                validator
                for validator in self.validators
                if not isinstance(validator, MaxLengthValidator)
            ] + [TextLimitValidator(self.max_length)]

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            kind = _JSON_KINDS.get(type(data))
            if kind is None:
                kind = _("a list") if isinstance(data, list) else _("an object")
            self.fail("not_text", kind=kind)
        return super().to_internal_value(data)  # type: ignore[no-any-return]


class RefusesUnknownFields(serializers.Serializer):  # type: ignore[type-arg]
    """Input naming a field the operation does not take is refused, field by field.

    DRF ignores unknown and read-only fields: a client's typo (``"titel"``) or an attempt
    to set what cannot be set would pass unnoticed and change nothing.
    """

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = {
                str(name): [
                    _("This field cannot be set.")
                    if name in self.fields
                    else _("Unknown field: this operation takes %(known)s.")
                    % {"known": ", ".join(sorted(writable)) or "—"}
                ]
                for name in data
                if name not in writable
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


class InputSerializer(RefusesUnknownFields):
    """Base of every request body: unknown fields refused; use ``StrictCharField`` for text."""


class InputModelSerializer(RefusesUnknownFields, serializers.ModelSerializer):  # type: ignore[type-arg]
    """A request body whose fields, limits and validators come from the model's fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
    }
