"""Explicit grants through the API: the base of each record's grant views, and their schema.

Each record's views module routes its own grant URLs to a subclass of ``RecordGrantsView``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from cases import access, services
from cases.api import examples
from cases.api.serializers import RecordGrantInputSerializer, RecordGrantSerializer
from cases.api.views.common import ERRORS, CaseworkView, validated
from cases.selectors.grants import grant_key, record_grant_get, record_grant_list

__all__ = ["GRANTS_CREATE", "GRANTS_LIST", "GRANTS_REVOKE", "GRANT_KEY", "RecordGrantsView"]

GRANT_KEY = OpenApiParameter(
    "key",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=_("`agency-<agency id>` or `user-<user id>`, as the list gives it."),
)
GRANTS_LIST: dict[str, Any] = {
    "responses": {200: RecordGrantSerializer(many=True), **ERRORS},
    "examples": [examples.GRANTS],
    "description": _(
        "Who else may see the record through an explicit grant. Its owning agency only: "
        "others get 403 when they can see the record, 404 when they cannot."
    ),
}
GRANTS_CREATE: dict[str, Any] = {
    "request": RecordGrantInputSerializer,
    "responses": {
        201: RecordGrantSerializer,
        200: OpenApiResponse(
            RecordGrantSerializer,
            description=_("Already granted: nothing changed, the grant as it stands."),
        ),
        **ERRORS,
    },
    "examples": [examples.GRANT_TO_AGENCY, examples.GRANT_TO_USER, examples.GRANT],
    "description": _(
        "Let one agency (`agency`: its id) or one vetted investigator (`user`: their "
        "e-mail address) see the record even though its level would not show it to them. "
        "Its owning agency only. Granting what is already granted answers 200 and changes "
        "nothing. Check `sees_record`: a clue stays hidden from whoever cannot see its series, "
        "a victim from whoever can see none of the series the child appears in."
    ),
}
GRANTS_REVOKE: dict[str, Any] = {
    "parameters": [GRANT_KEY],
    "responses": {204: None, **ERRORS},
    "description": _("Withdraw a grant; its owning agency only. 404 when there is no such grant."),
}


class RecordGrantsView(CaseworkView):
    """Base of the grant views: list, make and withdraw the grants of one record."""

    serializer_class = RecordGrantSerializer
    pagination_class = None

    def list_grants(self, record: Any) -> Response:
        grants = record_grant_list(actor=self.request.user, record=record)
        return self.respond(RecordGrantSerializer, grants, many=True)

    def grant(self, record: Any) -> Response:
        access.require_editable(self.request.user, record)  # 403 before any word about the input
        data = validated(RecordGrantInputSerializer, self.request)
        created = services.record_grant(actor=self.request.user, record=record, **data)
        key = grant_key(**data)
        grant = record_grant_get(actor=self.request.user, record=record, key=key)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return self.respond(RecordGrantSerializer, grant, code)

    def revoke(self, record: Any, key: str) -> Response:
        grant = record_grant_get(actor=self.request.user, record=record, key=key)
        grantee = {"user": grant.user} if grant.user is not None else {"agency": grant.agency}
        services.record_grant_revoke(actor=self.request.user, record=record, **grantee)
        return Response(status=status.HTTP_204_NO_CONTENT)
