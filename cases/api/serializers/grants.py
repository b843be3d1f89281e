"""Serializers of explicit grants: one record granted to one agency or one person."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers.common import AgencyBriefSerializer
from victimid.api.serializers import InputSerializer
from victimid.models import Agency

__all__ = ["GranteeUserField", "RecordGrantInputSerializer", "RecordGrantSerializer"]


class RecordGrantSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One explicit grant of a record, as its owning agency reads it."""

    key = serializers.CharField(
        help_text=_("Address of the grant: `agency-<agency id>` or `user-<user id>`.")
    )
    kind = serializers.CharField(help_text=_("`agency` or `user`."))
    agency = AgencyBriefSerializer(
        allow_null=True, help_text=_("The agency granted to, or the person's agency.")
    )
    user = serializers.EmailField(source="user_email", allow_null=True)
    granted_at = serializers.DateTimeField()
    sees_record = serializers.BooleanField(
        help_text=_(
            "Whether the grantee can see the record now. A clue also needs its series, and "
            "a victim at least one of its series: granting one whose series the grantee "
            "cannot see shows them nothing."
        )
    )
    warning = serializers.CharField(
        allow_null=True, help_text=_("Why the grant has no effect yet, in plain words.")
    )


@extend_schema_field(OpenApiTypes.EMAIL)
class GranteeUserField(serializers.Field):  # type: ignore[type-arg]
    """An e-mail address, resolved to the vetted investigator who uses it."""

    def to_internal_value(self, data: Any) -> Any:
        from cases.selectors.grants import grantee_user_by_email
        from cases.services.grants import NO_SUCH_INVESTIGATOR

        user = grantee_user_by_email(data) if isinstance(data, str) and data.strip() else None
        if user is None:
            raise serializers.ValidationError(str(NO_SUCH_INVESTIGATOR))
        return user

    def to_representation(self, value: Any) -> Any:
        return value.email


class RecordGrantInputSerializer(InputSerializer):
    """Grant a record to one agency or to one person: exactly one of the two."""

    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), required=False, help_text=_("An agency id.")
    )
    user = GranteeUserField(required=False, help_text=_("A vetted investigator's e-mail."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) != 1:
            raise serializers.ValidationError(
                _("Send either `agency` (an agency id) or `user` (an e-mail address), not both.")
            )
        return attrs
