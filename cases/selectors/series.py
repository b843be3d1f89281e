"""Reading series."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.choices import Distribution, SeriesStatus
from cases.models import Clue, KnownHash, Series
from cases.selectors.filters import (
    choice_filter,
    clean_filters,
    count_subquery,
    filters_for_audit,
    int_filter,
)
from cases.selectors.status_counts import StatusCount, status_counts
from victimid import audit_actions
from victimid.gate import has_casework_access
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = [
    "SERIES_FILTERS",
    "series_by_codes",
    "series_get",
    "series_list",
    "series_queryset",
    "series_status_counts",
]

SERIES_FILTERS = {"status", "distribution", "agency", "q"}


def series_queryset(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[Series]:
    """The series ``actor`` may see, filtered, with hash and visible-clue counts; not audited."""
    cleaned = clean_filters(filters, SERIES_FILTERS)
    queryset = Series.objects.visible_to(actor)
    if "status" in cleaned:
        queryset = queryset.filter(
            status=choice_filter("status", cleaned["status"], SeriesStatus.values)
        )
    if "distribution" in cleaned:
        queryset = queryset.filter(
            distribution=choice_filter("distribution", cleaned["distribution"], Distribution.values)
        )
    if "agency" in cleaned:
        queryset = queryset.filter(agency_id=int_filter("agency", cleaned["agency"]))
    if "q" in cleaned:
        text = str(cleaned["q"]).strip()
        queryset = queryset.filter(Q(title__icontains=text) | Q(code__iexact=text))
    return queryset.select_related("agency", "sharing_group").annotate(
        hash_count=count_subquery(KnownHash.objects.all(), "series"),
        # Count only the clues the actor may see: a count is information too.
        clue_count=count_subquery(Clue.objects.visible_to(actor), "series"),
    )


def series_status_counts(
    *, actor: User, filters: dict[str, Any] | None = None
) -> list[StatusCount]:
    """How many of the series ``actor`` may see are in each status; one query, not audited."""
    return status_counts(series_queryset(actor=actor, filters=filters), SeriesStatus)


def series_list(
    *, actor: User, filters: dict[str, Any] | None = None, audit: bool = True
) -> QuerySet[Series]:
    """The series ``actor`` may see, filtered; the listing is audited unless ``audit=False``."""
    queryset = series_queryset(actor=actor, filters=filters)
    if audit:
        audit_record(
            actor=actor,
            action=audit_actions.SERIES_LISTED,
            details={"filters": filters_for_audit(clean_filters(filters, SERIES_FILTERS))},
        )
    return queryset


def series_get(*, actor: User, code: str, audit: bool = True) -> Series:
    """One series by code; Http404 unless ``actor`` may see it. The view is audited."""
    series = (
        series_queryset(actor=actor).filter(code=str(code).strip().upper()).first()
        if has_casework_access(actor)
        else None
    )
    if series is None:
        raise Http404
    if audit:
        audit_record(actor=actor, action=audit_actions.SERIES_VIEWED, target=series)
    return series


def series_by_codes(*, actor: User, codes: Iterable[str]) -> dict[str, Series]:
    """The series among ``codes`` that ``actor`` may see, by code; the others are left out."""
    wanted = {str(code).strip().upper() for code in codes}
    visible = Series.objects.visible_to(actor).filter(code__in=wanted)
    return {series.code: series for series in visible}
