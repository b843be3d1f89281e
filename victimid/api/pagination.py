"""Pagination for API lists."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

# Positions are ids: anything outside a PostgreSQL bigint cannot come from us.
_BIGINT = 2**63


class DefaultCursorPagination(CursorPagination):
    """Cursor pagination: stable under inserts and cheap on large tables.

    A cursor is opaque base64 that a client could forge; a position that is not an id
    answers 404 "Invalid cursor" like any other broken cursor, never a server error.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def get_page_size(self, request: Request) -> int:
        """The page size asked for, or the default; a ``page_size`` that is not one whole
        number from 1 to the maximum is a 400 naming it (DRF would quietly use the default,
        and the client would page through a size it never asked for)."""
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        value = values[0].strip()
        if len(values) > 1 or not value.isascii() or not value.isdigit():
            raise ValidationError({self.page_size_query_param: [self._page_size_refusal()]})
        size = int(value)
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [self._page_size_refusal()]})
        return size

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters

    def _page_size_refusal(self) -> str:
        return _("Give one whole number from 1 to %(max)d.") % {"max": self.max_page_size}

    def decode_cursor(self, request: Request) -> Cursor | None:
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        try:
            position = int(cursor.position)
        except (TypeError, ValueError):
            raise NotFound(self.invalid_cursor_message) from None
        if not -_BIGINT < position < _BIGINT:
            raise NotFound(self.invalid_cursor_message)
        return Cursor(offset=cursor.offset, reverse=cursor.reverse, position=str(position))
