"""Series through the API: list, create, read and change them (with the version read)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from cases import access, selectors, services
from cases.api import examples
from cases.api.serializers import (
    SeriesDetailSerializer,
    SeriesInputSerializer,
    SeriesSerializer,
    SeriesUpdateSerializer,
)
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
from cases.models import Series
from cases.selectors.series import SERIES_FILTERS

__all__ = [
    "SeriesDetailView",
    "SeriesGrantDetailView",
    "SeriesGrantListView",
    "SeriesListView",
]

SERIES_PARAMETERS = [
    query_parameter("status", _("active, identified, closed or merged.")),
    query_parameter("distribution", _("agency, country, group or network.")),
    OpenApiParameter("agency", OpenApiTypes.INT, description=_("Owning agency id.")),
    query_parameter("q", _("Words of the title, or an exact series code.")),
]


class SeriesListView(CaseworkView):
    """Series you may see; create a series owned by your agency."""

    serializer_class = SeriesSerializer
    queryset = Series.objects.none()

    @extend_schema(
        operation_id="series_list",
        parameters=SERIES_PARAMETERS,
        responses={200: SeriesSerializer(many=True), **ERRORS},
        examples=[examples.SERIES],
    )
    def get(self, request: Request) -> Response:
        queryset = selectors.series_list(
            actor=request.user, filters=query_filters(request, SERIES_FILTERS)
        )
        return self.paginated(SeriesSerializer, queryset)

    @extend_schema(
        operation_id="series_create",
        request=SeriesInputSerializer,
        responses={201: SeriesDetailSerializer, **ERRORS},
        examples=[examples.SERIES_CREATE, examples.SERIES],
    )
    def post(self, request: Request) -> Response:
        data = validated(SeriesInputSerializer, request)
        data.pop("merged_into", None)
        series = services.series_create(actor=request.user, **data)
        series = selectors.series_get(actor=request.user, code=series.code, audit=False)
        return self.respond(SeriesDetailSerializer, series, status.HTTP_201_CREATED)


class SeriesDetailView(CaseworkView):
    """One series by code; its owning agency changes it, carrying the version it read."""

    serializer_class = SeriesDetailSerializer
    queryset = Series.objects.none()

    def _render(self, series: Series) -> Response:
        target = series.merged_into
        target_visible = target is not None and access.can_view(self.request.user, target)
        return self.respond(SeriesDetailSerializer, series, merge_target_visible=target_visible)

    @extend_schema(
        operation_id="series_retrieve",
        responses={200: SeriesDetailSerializer, **ERRORS},
        examples=[examples.SERIES],
    )
    def get(self, request: Request, code: str) -> Response:
        return self._render(selectors.series_get(actor=request.user, code=code))

    def _update(self, request: Request, code: str, *, partial: bool) -> Response:
        series = selectors.series_get(actor=request.user, code=code, audit=False)
        access.require_editable(request.user, series)  # 403 before any word about the input
        data = validated(SeriesUpdateSerializer, request, partial=partial)
        version = data.pop("version")
        with service_errors():
            services.series_update(actor=request.user, series=series, version=version, **data)
        return self._render(selectors.series_get(actor=request.user, code=code, audit=False))

    @extend_schema(
        operation_id="series_update",
        request=SeriesUpdateSerializer,
        responses={200: SeriesDetailSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.SERIES_UPDATE],
    )
    def put(self, request: Request, code: str) -> Response:
        return self._update(request, code, partial=False)

    @extend_schema(
        operation_id="series_partial_update",
        request=SeriesUpdateSerializer,
        responses={200: SeriesDetailSerializer, 409: VERSION_CONFLICT, **ERRORS},
        examples=[examples.SERIES_UPDATE],
    )
    def patch(self, request: Request, code: str) -> Response:
        return self._update(request, code, partial=True)


class _SeriesGrantsView(RecordGrantsView):
    queryset = Series.objects.none()

    def _series(self, code: str) -> Series:
        return selectors.series_get(actor=self.request.user, code=code, audit=False)


class SeriesGrantListView(_SeriesGrantsView):
    """The explicit grants of a series (its owning agency only); grant it to someone."""

    @extend_schema(operation_id="series_grants_list", **GRANTS_LIST)
    def get(self, request: Request, code: str) -> Response:
        return self.list_grants(self._series(code))

    @extend_schema(operation_id="series_grants_create", **GRANTS_CREATE)
    def post(self, request: Request, code: str) -> Response:
        return self.grant(self._series(code))


class SeriesGrantDetailView(_SeriesGrantsView):
    """Withdraw one explicit grant of a series."""

    @extend_schema(operation_id="series_grants_revoke", **GRANTS_REVOKE)
    def delete(self, request: Request, code: str, key: str) -> Response:
        return self.revoke(self._series(code), key)
