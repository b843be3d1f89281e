"""The caller's own notifications, each with the API address of what it is about."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cases.selectors.notifications import notification_rows
from victimid.api.serializers import AUTH_ERRORS, INVALID_CURSOR, NotificationSerializer
from victimid.models import Notification

__all__ = ["NotificationListView"]


class LinkedNotificationSerializer(NotificationSerializer):
    """A notification and the API address of its subject, while the caller may see it."""

    url = serializers.SerializerMethodField()

    class Meta(NotificationSerializer.Meta):
        fields = [*NotificationSerializer.Meta.fields, "url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_url(self, notification: Notification) -> str | None:
        return self.context["links"].get(notification.pk)


@extend_schema(
    responses={200: LinkedNotificationSerializer(many=True), **AUTH_ERRORS, **INVALID_CURSOR},
    examples=[
        OpenApiExample(
            "A notification",
            value={
                "id": 812,
                "kind": "child_identified",
                "subject_type": "series",
                "subject_ref": "SER-2026-000017",
                "message": "A child seen in series SER-2026-000017 was identified. "
                "Identified in SER-2026-000017: 1 of 2 children.",
                "created_at": "2026-11-20T16:40:00Z",
                "read_at": None,
                "url": "/api/v1/series/SER-2026-000017",
            },
            response_only=True,
        )
    ],
)
class NotificationListView(ListAPIView):  # type: ignore[type-arg]
    """The caller's own notifications, newest first; `url` is null once the caller may no
    longer see what a notification is about."""

    serializer_class = LinkedNotificationSerializer
    queryset = Notification.objects.none()  # the schema reads the model from here

    def get_queryset(self) -> QuerySet[Notification]:
        return Notification.objects.filter(recipient=self.request.user)  # type: ignore[misc]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset()) or []
        rows = notification_rows(actor=request.user, notifications=page)  # type: ignore[arg-type]
        links = {row.notification.pk: row.api_url for row in rows}
        data = LinkedNotificationSerializer(page, many=True, context={"links": links}).data
        return self.get_paginated_response(data)
