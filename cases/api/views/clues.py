"""Clues through the API: list and search, post, read, change (with the version read), delete."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.api import examples
from cases.api.serializers import ClueInputSerializer, ClueSerializer, ClueUpdateSerializer
from cases.api.views.common import (
    ERRORS,
    VERSION_CONFLICT,
    CaseworkView,
    query_filters,
    query_parameter,
    service_errors,
    validated,
)
from cases.api.views.grants import GRANTS_CREATE, GRANTS_LIST, GRANTS_REVOKE, RecordGrantsView
from cases.models import Clue
from cases.selectors.clues import CLUE_FILTERS

__all__ = [
    "ClueDetailView",
    "ClueGrantDetailView",
    "ClueGrantListView",
    "ClueListView",
]

CLUE_PARAMETERS = [
    query_parameter("series", _("Series code.")),
    query_parameter("taxonomy", _("Taxonomy node slug; includes the nodes below it.")),
    query_parameter("country", _("A country hypothesis (ISO 3166-1 alpha-2).")),
    query_parameter("language", _("A language (ISO 639-3).")),
    query_parameter("status", _("open, in_progress, resolved or discarded.")),
    query_parameter("created_after", _("Date (YYYY-MM-DD) or ISO 8601 date-time.")),
    query_parameter("created_before", _("Date (YYYY-MM-DD) or ISO 8601 date-time, inclusive.")),
    query_parameter(
        "q",
        _('Full-text search of title, description and place: words, "a phrase", -not, OR.'),
    ),
]


class ClueListView(CaseworkView):
    """Clues you may see (their series too), filtered and searched; post a clue."""

    serializer_class = ClueSerializer
    queryset = Clue.objects.none()

    @extend_schema(
        operation_id="clues_list",
        parameters=CLUE_PARAMETERS,
        responses={200: ClueSerializer(many=True), **ERRORS},
        examples=[examples.CLUE],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.clue_list(
            actor=request.user, filters=query_filters(request, CLUE_FILTERS)
        )
        return self.paginated(ClueSerializer, queryset)

    @extend_schema(
        operation_id="clues_create",
        request=ClueInputSerializer,
        responses={201: ClueSerializer, **ERRORS},
        examples=[examples.CLUE_CREATE, examples.CLUE],
    )
    def post(self, request: Request) -> Response:
        data = validated(ClueInputSerializer, request)
        clue = services.clue_create(actor=request.user, **data)
        clue = selectors.clue_get(actor=request.user, pk=clue.pk, audit=False)
        return self.respond(ClueSerializer, clue, status.HTTP_201_CREATED)


class ClueDetailView(CaseworkView):
    """One clue; its author's agency changes it (with the version read) or deletes it."""

    serializer_class = ClueSerializer
    queryset = Clue.objects.none()

    @extend_schema(
        operation_id="clues_retrieve",
        responses={200: ClueSerializer, **ERRORS},
        examples=[examples.CLUE],
    )
    def get(self, request: Request, pk: int) -> Response:
        return self.respond(ClueSerializer, selectors.clue_get(actor=request.user, pk=pk))

    def _update(self, request: Request, pk: int, *, partial: bool) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        access.require_editable(request.user, clue)
        data = validated(ClueUpdateSerializer, request, partial=partial)
        version = data.pop("version")
        with service_errors():
            services.clue_update(actor=request.user, clue=clue, version=version, **data)
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        return self.respond(ClueSerializer, clue)

    @extend_schema(
        operation_id="clues_update",
        request=ClueUpdateSerializer,
        responses={200: ClueSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.CLUE_UPDATE],
    )
    def put(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=False)

    @extend_schema(
        operation_id="clues_partial_update",
        request=ClueUpdateSerializer,
        responses={200: ClueSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.CLUE_UPDATE],
    )
    def patch(self, request: Request, pk: int) -> Response:
        return self._update(request, pk, partial=True)

    @extend_schema(
        operation_id="clues_destroy",
        responses={204: None, **ERRORS},
        description=_("Only the author's agency, and only while nobody has assessed the clue."),
    )
    def delete(self, request: Request, pk: int) -> Response:
        clue = selectors.clue_get(actor=request.user, pk=pk, audit=False)
        services.clue_delete(actor=request.user, clue=clue)
        return Response(status=status.HTTP_204_NO_CONTENT)


class _ClueGrantsView(RecordGrantsView):
    queryset = Clue.objects.none()

    def _clue(self, pk: int) -> Clue:
        return selectors.clue_get(actor=self.request.user, pk=pk, audit=False)


class ClueGrantListView(_ClueGrantsView):
    """The explicit grants of a clue (its owning agency only); grant it to someone."""

    @extend_schema(operation_id="clue_grants_list", **GRANTS_LIST)
    def get(self, request: Request, pk: int) -> Response:
        return self.list_grants(self._clue(pk))

    @extend_schema(operation_id="clue_grants_create", **GRANTS_CREATE)
    def post(self, request: Request, pk: int) -> Response:
        return self.grant(self._clue(pk))


class ClueGrantDetailView(_ClueGrantsView):
    """Withdraw one explicit grant of a clue."""

    @extend_schema(operation_id="clue_grants_revoke", **GRANTS_REVOKE)
    def delete(self, request: Request, pk: int, key: str) -> Response:
        return self.revoke(self._clue(pk), key)
