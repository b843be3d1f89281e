"""Pagination for API lists."""

from __future__ import annotations

from rest_framework.exceptions import NotFound
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
