"""The oversight figures as JSON: the same tables as the dashboard and its CSV."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

__all__ = ["StatsViewSerializer"]


class StatsMeasureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(
        choices=["count", "days", "share"],
        help_text=_("count; days (a median or 90th percentile); share (a percentage)."),
    )


class StatsFigureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    measure = serializers.CharField()
    text = serializers.CharField(help_text=_("As the dashboard shows it: 12, <5, [c], n<5."))
    state = serializers.ChoiceField(
        choices=["shown", "small", "suppressed", "too_few"],
        help_text=_(
            "small: under the threshold; suppressed: hidden so that a small count cannot be "
            "worked out; too_few: a median or percentile over too few cases."
        ),
    )
    value = serializers.FloatField(allow_null=True, help_text=_("Null unless shown."))


class StatsRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField(help_text=_("A period (2025, 2025-Q1, 2025-03, now) or an area."))
    label = serializers.CharField()
    is_total = serializers.BooleanField()
    figures = serializers.SerializerMethodField()

    def get_figures(self, row: Any) -> list[dict[str, Any]]:
        measures = self.context["measures"][id(row)]
        return [
            {"measure": m.key, "text": c.text, "state": c.state, "value": c.value}
            for m, c in zip(measures, row.cells, strict=True)
        ]


class StatsTableSerializer(serializers.Serializer):  # type: ignore[type-arg]
    key = serializers.CharField()
    title = serializers.CharField()
    row_heading = serializers.CharField()
    measures = StatsMeasureSerializer(many=True)
    rows = StatsRowSerializer(many=True)


class StatsScopeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=["world", "country", "agency"])
    label = serializers.CharField()


class StatsFiltersSerializer(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField()
    granularity = serializers.ChoiceField(choices=["year", "quarter", "month"])
    area = serializers.CharField(help_text=_("M49 code (001 the world), or an ISO country code."))
    agency_kind = serializers.CharField(help_text=_("Empty: every kind."))


class StatsViewSerializer(serializers.Serializer):  # type: ignore[type-arg]
    scope = serializers.SerializerMethodField()
    filters = StatsFiltersSerializer()
    refreshed_at = serializers.DateTimeField(allow_null=True)
    threshold = serializers.IntegerField(help_text=_("Counts under it are shown as <threshold."))
    tables = StatsTableSerializer(many=True)

    def get_scope(self, view: Any) -> dict[str, str]:
        return {"kind": view.scope.kind, "label": view.scope_label}

    def to_representation(self, instance: Any) -> dict[str, Any]:
        self.context["measures"] = {
            id(row): table.measures for table in instance.tables for row in table.rows
        }
        return super().to_representation(instance)
