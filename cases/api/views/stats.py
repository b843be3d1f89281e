"""The oversight figures: aggregates only, already protected against small counts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from cases.api import examples
from cases.api.serializers.stats import StatsViewSerializer
from cases.api.views.common import ERRORS, query_parameter
from cases.selectors.stats import stats_filters, stats_view
from victimid.api.permissions import HasStatsAccess

__all__ = ["StatsFiguresView"]


class StatsFiguresView(GenericAPIView):  # type: ignore[type-arg]
    """The dashboard's tables for a year, an area and a kind of agency, in the reader's scope."""

    permission_classes = [HasStatsAccess]
    serializer_class = StatsViewSerializer
    pagination_class = None

    @extend_schema(
        operation_id="stats_figures",
        parameters=[
            query_parameter("year", _("A year with figures; the latest by default.")),
            query_parameter(
                "granularity",
                _("Rows by year, quarter (default) or month."),
                enum=["year", "quarter", "month"],
            ),
            query_parameter(
                "area",
                _(
                    "001 (the world, the default for oversight), an M49 region code, or an ISO "
                    "country code; coordinators their own country only; investigators none."
                ),
            ),
            query_parameter("agency_kind", _("One kind of agency; empty for every kind.")),
        ],
        responses={200: StatsViewSerializer, **ERRORS},
        examples=[examples.STATS],
    )
    def get(self, request: Request) -> Response:
        filters = stats_filters(actor=request.user, params=request.query_params)
        view = stats_view(actor=request.user, filters=filters)
        return Response(StatsViewSerializer(view).data)
