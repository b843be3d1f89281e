"""Reading claims and the notices that tell agencies about each other."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from cases import access
from cases.models import Claim, CoordinationNotice, CoordinationReason, Series
from cases.selectors.deconfliction import DeconflictionRow, deconfliction_notices_for
from victimid.gate import has_casework_access
from victimid.models import User

__all__ = [
    "CoordinationRow",
    "Notices",
    "active_claims",
    "agency_claims",
    "notices_for",
]


def _active(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    return queryset.filter(withdrawn_at__isnull=True, expires_on__gte=timezone.localdate())


def active_claims(*, actor: User, series: Series) -> QuerySet[Claim]:
    """The active claims on a series ``actor`` may see (they are seen with the series)."""
    return (
        _active(Claim.objects.visible_to(actor).filter(series=series))
        .select_related("agency")
        .order_by("created_at")
    )


def agency_claims(*, actor: User) -> QuerySet[Claim]:
    """The active claims of ``actor``'s agency on series they may see, soonest expiry first."""
    return (
        _active(Claim.objects.visible_to(actor).filter(agency_id=actor.agency_id or 0))
        .select_related("series")
        .order_by("expires_on", "pk")
    )


@dataclass(frozen=True)
class CoordinationRow:
    """Another agency works a series the reader's agency works: its name and contact only."""

    notice_id: int
    created_at: datetime.datetime
    series_code: str
    other_agency_name: str
    other_agency_country: str
    other_reason: str
    other_contact: str
    acknowledged: bool


@dataclass(frozen=True)
class Notices:
    coordination: list[CoordinationRow]
    hashes: list[DeconflictionRow]

    @property
    def unacknowledged(self) -> int:
        return sum(not row.acknowledged for row in self.coordination) + sum(
            not row.acknowledged for row in self.hashes
        )


def notices_for(*, actor: User, limit: int = 200) -> Notices:
    """Every notice addressed to ``actor``'s agency about a series they may see, newest
    first; not audited."""
    if not has_casework_access(actor) or actor.agency_id is None:
        return Notices([], [])
    # Addressed to the agency, shown to those of it who may see the series (as the
    # notification of it is): a series shared with one colleague by a grant, or no
    # longer shared, keeps its code, the other agency and its contact from the rest.
    coordination = (
        CoordinationNotice.objects.filter(agency_id=actor.agency_id)
        .filter(access.visibility_q(actor, Series, "series__"))
        .select_related("series", "other_agency")
        .order_by("-id")[:limit]
    )
    rows = [
        CoordinationRow(
            notice_id=notice.pk,
            created_at=notice.created_at,
            series_code=notice.series.code,
            other_agency_name=notice.other_agency.name,
            other_agency_country=notice.other_agency.country.code,
            other_reason=str(CoordinationReason(notice.other_reason).label),
            other_contact=notice.other_contact,
            acknowledged=notice.acknowledged_at is not None,
        )
        for notice in coordination
    ]
    return Notices(rows, deconfliction_notices_for(actor=actor, limit=limit))
