"""Counts of records by status, for the charts that compare them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet, TextChoices

__all__ = ["StatusCount", "status_counts"]


@dataclass(frozen=True)
class StatusCount:
    """How many records are in one status."""

    status: str
    label: str
    count: int


def status_counts(records: QuerySet[Any], statuses: type[TextChoices]) -> list[StatusCount]:
    """Counts of ``records`` by status, in the order of ``statuses`` with zeros included.

    One GROUP BY query over exactly the rows given: the caller passes a queryset that
    went through the access policy, so a count never includes a record its reader
    cannot open. Every status is listed, so charts of two series line up.
    """
    counts = dict(records.order_by().values_list("status").annotate(n=Count("pk")))
    return [
        StatusCount(status=status, label=str(label), count=counts.get(status, 0))
        for status, label in statuses.choices
    ]
