"""The clue taxonomy through the API."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from cases import selectors
from cases.api import examples
from cases.api.serializers import TaxonomyNodeSerializer
from cases.api.views.common import ERRORS, CaseworkView

__all__ = ["ClueTaxonomyView"]


class ClueTaxonomyView(CaseworkView):
    """The clue taxonomy, each parent before its children; labels in your language."""

    serializer_class = TaxonomyNodeSerializer
    pagination_class = None

    @extend_schema(
        operation_id="clue_taxonomy_list",
        responses={200: TaxonomyNodeSerializer(many=True), **ERRORS},
        examples=[examples.TAXONOMY],
    )
    def get(self, request: Request) -> Response:
        return self.respond(TaxonomyNodeSerializer, selectors.taxonomy_tree(), many=True)
