"""Reading known hashes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from cases import access
from cases.hash_files import VICS_HASH_FIELDS
from cases.models import KnownHash, Series
from cases.selectors.victims import series_identification_summary
from victimid import audit_actions
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = [
    "EXPORT_CSV_FIELDS",
    "VICS_FIELD",
    "known_hash_list",
    "series_export_rows",
    "vics_media",
]


def known_hash_list(*, actor: User, series: Series, audit: bool = True) -> QuerySet[KnownHash]:
    """The hash values of a series ``actor`` may see (Http404 otherwise); audited."""
    access.require_visible(actor, series)
    queryset = access.restrict(KnownHash.objects.filter(series=series), actor).select_related(
        "series", "submitting_agency"
    )
    if audit:
        audit_record(actor=actor, action=audit_actions.HASHES_LISTED, target=series)
    return queryset


# VICS 2.0 field of each algorithm (the reverse of ``cases.hash_files.VICS_HASH_FIELDS``).
VICS_FIELD = {algorithm: name for name, algorithm in VICS_HASH_FIELDS.items()}
EXPORT_CSV_FIELDS = [
    "algorithm",
    "value",
    "vics_category",
    "distributed",
    "series",
    "victim_identified",
]


def series_export_rows(*, actor: User, series: Series) -> Iterator[dict[str, Any]]:
    """Every hash value of a visible series as an export row, streamed; audited.

    ``victim_identified`` comes from the identification log: true when a child the
    reader may see in the series is identified (``series_identification_summary``).
    """
    access.require_visible(actor, series)
    identified = series_identification_summary(actor=actor, series=series)["identified"] > 0
    values = (
        access.restrict(KnownHash.objects.filter(series=series), actor)
        .order_by("id")
        .values_list("algorithm", "value", "vics_category", "distributed")
    )
    audit_record(
        actor=actor,
        action=audit_actions.SERIES_EXPORTED,
        target=series,
        details={"count": values.count()},
    )
    for algorithm, value, category, distributed in values.iterator(chunk_size=5000):
        yield {
            "algorithm": algorithm,
            "value": value,
            "vics_category": category,
            "distributed": distributed,
            "series": series.code,
            "victim_identified": identified,
        }


def vics_media(row: dict[str, Any], media_id: int) -> dict[str, Any]:
    """An export row as a VICS 2.0 media record."""
    return {
        "MediaID": media_id,
        VICS_FIELD[row["algorithm"]]: row["value"],
        "Category": row["vics_category"],
        "IsDistributed": row["distributed"],
        "VictimIdentified": row["victim_identified"],
        "Series": row["series"],
    }
