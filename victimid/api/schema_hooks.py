"""Postprocessing of the OpenAPI schema (drf-spectacular hooks)."""

from __future__ import annotations

from typing import Any

from victimid.api.pagination import DefaultCursorPagination

__all__ = ["document_page_size_refusal"]

_PAGE_SIZE = DefaultCursorPagination.page_size_query_param


def document_page_size_refusal(result: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
    """Every paginated list refuses a ``page_size`` that is not one whole number from 1 to
    the maximum with a 400 (``DefaultCursorPagination.get_page_size``): say so on each."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if _PAGE_SIZE not in names:
                continue
            operation.setdefault("responses", {}).setdefault(
                "400",
                {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"},
                        }
                    },
                    "description": "Invalid page size (`page_size` parameter).",
                },
            )
    return result
