"""Reading deconfliction notices, with design principle 4 applied here, not in a template.

The agency that holds a value learns which agency asked, and how to reach it, so the two
can talk. The agency that asked learns only that its value is known elsewhere and that the
holder has been told: the other series is named only when the reader may see it anyway.
Rows carry display-ready values and never the notice itself, so no template or serializer
can reach past the rule.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, Q

from cases.choices import HashAlgorithm
from cases.models import DeconflictionNotice, Series
from victimid.gate import has_casework_access
from victimid.models import User

__all__ = ["DeconflictionRow", "Perspective", "deconfliction_notices_for"]


class Perspective(StrEnum):
    """Which side of a notice the reader's agency is on."""

    HOLDER = "holder"  # the value was already in one of our series
    REQUESTER = "requester"  # we submitted a value someone else already holds


@dataclass(frozen=True)
class DeconflictionRow:
    """One notice as the reader's agency may see it."""

    notice_id: int
    perspective: Perspective
    created_at: datetime.datetime
    algorithm: str
    algorithm_label: str
    value: str
    # The reader's own series: the holder's existing series, or the requester's series.
    own_series_code: str
    # The other side's series: only when the reader may see it, else None.
    other_series_code: str | None
    # Holder side only: who asked and how to reach them (principle 4). None for requesters.
    requesting_agency_name: str | None
    requesting_agency_country: str | None
    requesting_agency_contact_point: str | None
    # Has the reader's agency acknowledged it (each side acknowledges for itself)?
    acknowledged: bool = False


def deconfliction_notices_for(*, actor: User, limit: int = 10) -> list[DeconflictionRow]:
    """The latest notices concerning ``actor``'s agency, disclosure rule applied; not audited."""
    if not has_casework_access(actor) or actor.agency_id is None:
        return []
    agency_id = actor.agency_id
    visible_series = Series.objects.visible_to(actor)
    notices = (
        DeconflictionNotice.objects.filter(
            Q(existing_agency_id=agency_id) | Q(requesting_agency_id=agency_id)
        )
        .select_related("existing_series", "requesting_series", "requesting_agency")
        .annotate(
            # One query for the whole list: may the reader see each side's series?
            existing_visible=Exists(visible_series.filter(pk=OuterRef("existing_series_id"))),
            requesting_visible=Exists(visible_series.filter(pk=OuterRef("requesting_series_id"))),
        )
        .order_by("-id")[:limit]
    )
    return [_row(notice, agency_id) for notice in notices]


def _row(notice: DeconflictionNotice, agency_id: int) -> DeconflictionRow:
    # Our own submission (also when both series are ours) reads from the requester's side.
    asked = notice.requesting_agency_id == agency_id
    requester = notice.requesting_agency
    if asked:
        own_series, other_series = notice.requesting_series, notice.existing_series
        other_visible = bool(getattr(notice, "existing_visible", False))
    else:
        own_series, other_series = notice.existing_series, notice.requesting_series
        other_visible = bool(getattr(notice, "requesting_visible", False))
    return DeconflictionRow(
        notice_id=notice.pk,
        perspective=Perspective.REQUESTER if asked else Perspective.HOLDER,
        created_at=notice.created_at,
        algorithm=notice.algorithm,
        algorithm_label=str(HashAlgorithm(notice.algorithm).label),
        value=notice.value,
        own_series_code=own_series.code,
        other_series_code=other_series.code if other_visible else None,
        requesting_agency_name=None if asked else requester.name,
        requesting_agency_country=None if asked else requester.country.code,
        requesting_agency_contact_point=None if asked else requester.contact_point,
        acknowledged=(notice.requester_acknowledged_at if asked else notice.holder_acknowledged_at)
        is not None,
    )
