"""Serializers of sharing groups and their members."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.api.serializers.common import AgencyBriefSerializer
from victimid.api.serializers import InputSerializer, StrictCharField
from victimid.models import Agency, SharingGroup, SharingGroupMembership

__all__ = [
    "SharingGroupInputSerializer",
    "SharingGroupMemberInputSerializer",
    "SharingGroupMemberSerializer",
    "SharingGroupSerializer",
]


class SharingGroupMemberSerializer(serializers.ModelSerializer[SharingGroupMembership]):
    agency = AgencyBriefSerializer(read_only=True)

    class Meta:
        model = SharingGroupMembership
        fields = ["agency", "added_at"]
        read_only_fields = fields


class SharingGroupSerializer(serializers.ModelSerializer[SharingGroup]):
    managing_agency = AgencyBriefSerializer(read_only=True)
    members = SharingGroupMemberSerializer(source="memberships", many=True, read_only=True)
    can_manage = serializers.SerializerMethodField()

    class Meta:
        model = SharingGroup
        fields = ["id", "name", "description", "managing_agency", "members", "can_manage"]
        read_only_fields = fields

    def get_can_manage(self, group: SharingGroup) -> bool:
        from cases.services import can_manage_sharing_group

        request = self.context.get("request")
        return bool(request and can_manage_sharing_group(request.user, group))


class SharingGroupInputSerializer(InputSerializer):
    name = StrictCharField(max_length=SharingGroup._meta.get_field("name").max_length)
    description = StrictCharField(
        max_length=SharingGroup._meta.get_field("description").max_length,
        allow_blank=True,
        required=False,
    )
    members = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(),
        many=True,
        required=False,
        help_text=_("Ids of the member agencies; your own agency is always a member."),
    )


class SharingGroupMemberInputSerializer(InputSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
