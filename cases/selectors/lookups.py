"""Which probe values are known, and what a reader may learn of the series holding them.

Set-based: one query finds every known value among the probes and says, from the access
policy, whether the reader may see its series; one more reads the visible series with
their identification counts and owning agency. Nothing here reads per value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.expressions import RawSQL

from cases import access
from cases.models import KnownHash, Series
from cases.selectors.victims import series_identification_counts
from victimid.models import User

__all__ = ["KnownMatch", "SeriesFacts", "known_matches", "series_facts"]

_VALUE_COLUMN = f'"{KnownHash._meta.db_table}"."value"'


@dataclass(frozen=True)
class KnownMatch:
    """One probe value found in the known set; ``series_id`` is for the caller's use only.

    When ``visible`` is False the reader may learn nothing but that the value is known:
    the series id is there so the owning agency can be told, never to be shown.
    """

    algorithm: str
    value: str
    series_id: int
    owning_agency_id: int
    vics_category: int
    visible: bool


@dataclass(frozen=True)
class SeriesFacts:
    """What a reader who may see a series learns of it from a lookup."""

    code: str
    title: str
    status: str
    children: int
    identified: int
    safeguarded: int
    agencies: tuple[dict[str, str], ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "status": self.status,
            "identification": {
                "children": self.children,
                "identified": self.identified,
                "safeguarded": self.safeguarded,
            },
            "agencies": [dict(agency) for agency in self.agencies],
        }


def known_matches(
    *, actor: User, probes: Mapping[str, Iterable[str]]
) -> dict[tuple[str, str], KnownMatch]:
    """The known values among ``probes`` (algorithm → normalised values), in one query."""
    condition = Q()
    for algorithm, values in probes.items():
        values = list(values)
        if values:
            # One array parameter, not one parameter per value: 10,000 placeholders cost
            # more to send and plan than the lookup itself.
            any_value = RawSQL(f"{_VALUE_COLUMN} = ANY(%s)", (values,), BooleanField())  # noqa: S611
            condition |= Q(algorithm=algorithm) & Q(any_value)
    if not condition:
        return {}
    rows = (
        KnownHash.objects.filter(condition)
        .annotate(
            visible=ExpressionWrapper(
                access.visibility_q(actor, KnownHash), output_field=BooleanField()
            )
        )
        .values_list(
            "algorithm", "value", "series_id", "series__agency_id", "vics_category", "visible"
        )
    )
    return {
        (algorithm, value): KnownMatch(algorithm, value, series_id, agency_id, category, visible)
        for algorithm, value, series_id, agency_id, category, visible in rows
    }


def series_facts(*, actor: User, series_ids: Iterable[int]) -> dict[int, SeriesFacts]:
    """Code, title, status, identification counts and owning agency of visible series.

    Series the reader may not see are left out (the policy narrows the query), so a
    caller that passes a hidden id by mistake still shows nothing of it. One query.

    The agencies working a series are its owning agency, with its 24/7 contact point.
    """
    ids = set(series_ids)
    if not ids:
        return {}
    rows = (
        access.restrict(Series.objects.filter(pk__in=ids), actor)
        .annotate(**series_identification_counts(actor=actor))
        .select_related("agency")
        .order_by()
    )
    return {
        series.pk: SeriesFacts(
            code=series.code,
            title=series.title,
            status=series.status,
            children=series.children,  # type: ignore[attr-defined]  # annotated above
            identified=series.identified,  # type: ignore[attr-defined]
            safeguarded=series.safeguarded,  # type: ignore[attr-defined]
            agencies=(
                {
                    "name": series.agency.name,
                    "country": series.agency.country.code,
                    "contact_point": series.agency.contact_point,
                },
            ),
        )
        for series in rows
    }
