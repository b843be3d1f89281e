"""What OPTIONS answers: the allowed methods and formats, not a description of each form."""

from __future__ import annotations

from typing import Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request


class MethodsOnlyMetadata(SimpleMetadata):
    """DRF's OPTIONS answer without ``actions``.

    DRF builds ``actions`` by loading the record for each write method through the
    view's ``get_object``; our views load records through the selectors (the access
    policy), so that path does not exist. The schema at /api/v1/schema describes the
    bodies instead.
    """

    def determine_actions(self, request: Request, view: Any) -> dict[str, Any]:
        return {}

    def determine_metadata(self, request: Request, view: Any) -> dict[str, Any]:
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata
