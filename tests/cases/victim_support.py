"""Building series and victims for the victims tests, straight through the ORM and services."""

from __future__ import annotations

import datetime
from typing import Any

from cases.choices import Distribution, IdentificationEventKind
from cases.models import Series, Victim
from cases.models.base import next_code
from cases.services.victims import identification_event_record, victim_create
from victimid.models import Agency, SharingGroup, User

TODAY = datetime.date(2026, 11, 1)


def make_series(
    *,
    agency: Agency,
    created_by: User,
    distribution: str = Distribution.AGENCY,
    sharing_group: SharingGroup | None = None,
    first_seen: datetime.date | None = datetime.date(2025, 1, 10),
    title: str = "Green curtain",
) -> Series:
    """A series created directly with the ORM (the casework services live on another branch)."""
    return Series.objects.create(
        code=next_code("SER", "cases_series_code_seq"),
        title=title,
        agency=agency,
        distribution=distribution,
        sharing_group=sharing_group,
        first_seen=first_seen,
        created_by=created_by,
    )


def make_victim(actor: User, *series: Series, **fields: Any) -> Victim:
    """A victim in ``series``, created by ``actor`` through the service."""
    return victim_create(actor=actor, series=list(series), **fields)


def record(actor: User, victim: Victim, kind: str, on: datetime.date = TODAY, **fields: Any):
    """Record one event through the service; returns the event of ``kind``."""
    events = identification_event_record(
        actor=actor, victim=victim, kind=kind, occurred_on=on, **fields
    )
    return events[-1]


IDENTIFIED = IdentificationEventKind.IDENTIFIED
SAFEGUARDED = IdentificationEventKind.SAFEGUARDED
PROVISIONAL = IdentificationEventKind.PROVISIONALLY_IDENTIFIED
REFERRED = IdentificationEventKind.REFERRED
FOLLOW_UP = IdentificationEventKind.FOLLOW_UP
CORRECTION = IdentificationEventKind.CORRECTION
