"""Reference data for typing filters and clues: languages and countries by code or name."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api.views.common import ERRORS, CaseworkView, query_parameter
from cases.countries import country_suggestions
from cases.languages import language_suggestions

__all__ = ["CountryListView", "LanguageListView"]

MAX_SUGGESTIONS = 10


class ReferenceEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(help_text=_("ISO 639-3 (languages) or ISO 3166-1 alpha-2."))
    name = serializers.CharField(help_text=_("The English name."))


def _answer(pairs: list[tuple[str, str]]) -> Response:
    return Response([{"code": code, "name": name} for code, name in pairs])


def _typed(request: Request) -> str:
    return str(request.query_params.get("q", ""))[:100]


class LanguageListView(CaseworkView):
    """Languages whose code or English name starts with (then contains) what was typed."""

    serializer_class = ReferenceEntrySerializer
    pagination_class = None

    @extend_schema(
        operation_id="languages_list",
        parameters=[query_parameter("q", _("A code or the beginning of an English name."))],
        responses={200: ReferenceEntrySerializer(many=True), **ERRORS},
        examples=[
            OpenApiExample(
                "Typing 'dut'", value={"code": "nld", "name": "Dutch"}, response_only=True
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return _answer(language_suggestions(_typed(request), limit=MAX_SUGGESTIONS))


class CountryListView(CaseworkView):
    """Countries whose code or English name starts with (then contains) what was typed."""

    serializer_class = ReferenceEntrySerializer
    pagination_class = None

    @extend_schema(
        operation_id="countries_list",
        parameters=[query_parameter("q", _("A code or the beginning of an English name."))],
        responses={200: ReferenceEntrySerializer(many=True), **ERRORS},
        examples=[
            OpenApiExample(
                "Typing 'neth'", value={"code": "NL", "name": "Netherlands"}, response_only=True
            )
        ],
    )
    def get(self, request: Request) -> Response:
        return _answer(country_suggestions(_typed(request), limit=MAX_SUGGESTIONS))
