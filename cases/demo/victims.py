"""Demo victims and identification events on the demo series.

The demo log, its audit trail and its notifications look exactly like real use.
Nothing here describes a real child.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.choices import AgeBand, Distribution, IdentificationEventKind, SupportService
from cases.models import Series, Victim
from cases.services import identification_event_record, victim_create
from victimid import demo
from victimid.choices import Role
from victimid.models import User

__all__ = ["seed_victims"]

Kind = IdentificationEventKind

# Per demo series, in order: the children seen in it and what became of them
# (kind, days ago, extra fields).
PLAN: list[list[tuple[str, str, list[tuple[str, int, dict[str, Any]]]]]] = [
    [
        (
            AgeBand.AGE_7_10,
            Distribution.NETWORK,
            [
                (
                    Kind.IDENTIFIED,
                    60,
                    {"note": "Confirmed by the local unit after a school visit."},
                ),
                (Kind.SAFEGUARDED, 58, {"note": "Child protection services involved."}),
                (Kind.REFERRED, 55, {"support_service": SupportService.CHILD_ADVOCACY_CENTRE}),
            ],
        ),
        (AgeBand.AGE_11_13, Distribution.COUNTRY, [(Kind.PROVISIONALLY_IDENTIFIED, 12, {})]),
    ],
    [
        (AgeBand.AGE_3_6, Distribution.NETWORK, []),
        (AgeBand.UNKNOWN, Distribution.AGENCY, [(Kind.IDENTIFIED, 5, {})]),
    ],
]


def _investigator_of(series: Series) -> User | None:
    """A vetted casework user of the series' owning agency."""
    users = User.objects.filter(agency_id=series.agency_id, is_active=True).order_by("pk")
    for user in users:
        if user.is_vetted and (user.has_role(Role.INVESTIGATOR) or user.has_role(Role.COORDINATOR)):
            return user
    return None


def _demo_series() -> list[Series]:
    names = [agency.name for agency in demo.AGENCIES]
    return list(Series.objects.filter(agency__name__in=names).order_by("pk")[: len(PLAN)])


@transaction.atomic
def seed_victims() -> None:
    """Add a few fictional victims and events to the demo series, once; no series, no-op."""
    if Victim.objects.exists():
        return
    today = timezone.now().date()
    for series, children in zip(_demo_series(), PLAN, strict=False):
        actor = _investigator_of(series)
        if actor is None:
            continue
        for age_band, distribution, events in children:
            victim = victim_create(
                actor=actor, series=[series], age_band=age_band, distribution=distribution
            )
            for kind, days_ago, fields in events:
                identification_event_record(
                    actor=actor,
                    victim=victim,
                    kind=kind,
                    occurred_on=today - datetime.timedelta(days=days_ago),
                    **fields,
                )
