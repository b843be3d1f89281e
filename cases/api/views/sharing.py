"""Sharing groups through the API: the groups of your agency; coordinators manage them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors, services
from cases.api import examples
from cases.api.serializers import (
    SharingGroupInputSerializer,
    SharingGroupMemberInputSerializer,
    SharingGroupSerializer,
)
from cases.api.views.common import ERRORS, CaseworkView, validated
from victimid.models import SharingGroup

__all__ = [
    "SharingGroupDetailView",
    "SharingGroupListView",
    "SharingGroupMemberDetailView",
    "SharingGroupMemberListView",
]


class SharingGroupListView(CaseworkView):
    """Sharing groups your agency belongs to or manages; coordinators create them."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(
        operation_id="sharing_groups_list",
        responses={200: SharingGroupSerializer(many=True), **ERRORS},
        examples=[examples.SHARING_GROUP],
    )
    def get(self, request: Request) -> Response:
        return self.paginated(
            SharingGroupSerializer, selectors.sharing_groups_for(actor=request.user)
        )

    @extend_schema(
        operation_id="sharing_groups_create",
        request=SharingGroupInputSerializer,
        responses={201: SharingGroupSerializer, **ERRORS},
        examples=[examples.SHARING_GROUP_CREATE, examples.SHARING_GROUP],
    )
    def post(self, request: Request) -> Response:
        data = validated(SharingGroupInputSerializer, request)
        group = services.sharing_group_create(actor=request.user, **data)
        group = selectors.sharing_group_get(actor=request.user, pk=group.pk)
        return self.respond(SharingGroupSerializer, group, status.HTTP_201_CREATED)


class SharingGroupDetailView(CaseworkView):
    """One sharing group your agency belongs to or manages."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(
        operation_id="sharing_groups_retrieve",
        responses={200: SharingGroupSerializer, **ERRORS},
        examples=[examples.SHARING_GROUP],
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.respond(
            SharingGroupSerializer, selectors.sharing_group_get(actor=request.user, pk=pk)
        )


class SharingGroupMemberListView(CaseworkView):
    """Add an agency to a group (the managing agency's coordinators)."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(
        operation_id="sharing_groups_members_add",
        request=SharingGroupMemberInputSerializer,
        responses={201: SharingGroupSerializer, **ERRORS},
        examples=[examples.MEMBER_ADD],
    )
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.sharing_group_get(actor=request.user, pk=pk)
        if not services.can_manage_sharing_group(request.user, group):
            raise exceptions.PermissionDenied(
                _("Only the managing agency's coordinators change this group's members.")
            )
        data = validated(SharingGroupMemberInputSerializer, request)
        services.sharing_group_member_add(
            actor=request.user, sharing_group=group, agency=data["agency"]
        )
        group = selectors.sharing_group_get(actor=request.user, pk=pk)
        return self.respond(SharingGroupSerializer, group, status.HTTP_201_CREATED)


class SharingGroupMemberDetailView(CaseworkView):
    """Remove an agency from a group (the managing agency's coordinators)."""

    serializer_class = SharingGroupSerializer
    queryset = SharingGroup.objects.none()

    @extend_schema(operation_id="sharing_groups_members_remove", responses={204: None, **ERRORS})
    def delete(self, request: Request, pk: int, agency_id: int) -> Response:
        group = selectors.sharing_group_get(actor=request.user, pk=pk)
        membership = group.memberships.filter(agency_id=agency_id).select_related("agency").first()
        if membership is None:
            raise exceptions.NotFound(_("This agency is not a member of the group."))
        services.sharing_group_member_remove(
            actor=request.user, sharing_group=group, agency=membership.agency
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
