"""Parsing list filters: bad values are a ValidationError naming the filter, never a 500."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

__all__ = [
    "choice_filter",
    "clean_filters",
    "count_subquery",
    "filters_for_audit",
    "int_filter",
    "moment_filter",
]


def clean_filters(filters: dict[str, Any] | None, known: set[str]) -> dict[str, Any]:
    """Drop empty values; refuse filters nobody knows."""
    cleaned = {key: value for key, value in (filters or {}).items() if value not in (None, "")}
    unknown = sorted(set(cleaned) - known)
    if unknown:
        raise ValidationError({name: _("Unknown filter.") for name in unknown})
    return cleaned


def choice_filter(name: str, value: Any, choices: list[str]) -> str:
    if value not in choices:
        raise ValidationError({name: _("Use one of %(known)s.") % {"known": ", ".join(choices)}})
    return str(value)


def int_filter(name: str, value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({name: _("Give a number.")}) from None


def moment_filter(name: str, value: Any, *, end_of_day: bool = False) -> datetime:
    """A date (YYYY-MM-DD) or an ISO 8601 date-time, as an aware datetime."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time.max if end_of_day else time.min)
    else:
        text = str(value)
        try:
            moment = parse_datetime(text)  # type: ignore[assignment]
            if moment is None:
                day = parse_date(text)
                if day is None:
                    raise ValueError(text)
                moment = datetime.combine(day, time.max if end_of_day else time.min)
        except ValueError:
            raise ValidationError(
                {name: _("Give a date (YYYY-MM-DD) or a date and time (ISO 8601).")}
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, UTC)
    return moment


def count_subquery(queryset: QuerySet[Any], field: str) -> Coalesce:
    """COUNT of ``queryset`` rows whose ``field`` is the outer row: no join fan-out."""
    counted = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def filters_for_audit(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Filters as the audit event keeps them: plain strings (or lists of strings)."""
    return {
        key: [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
        for key, value in cleaned.items()
    }
