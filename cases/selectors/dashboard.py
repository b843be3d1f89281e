"""The casework on an investigator's landing page: a few short lists, a fixed number of queries.

Every list starts from the access policy through the non-audited querysets: the page
shows only codes, titles and counts the reader can already open, and writing an audit
event per section on every visit to the landing page would bury the reads that matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cases.choices import ClueStatus
from cases.models import Clue, Series
from cases.selectors.clues import SERIES_OF_PAGE, clue_queryset
from cases.selectors.deconfliction import DeconflictionRow, deconfliction_notices_for
from cases.selectors.series import series_queryset, series_status_counts
from cases.selectors.status_counts import StatusCount, status_counts
from cases.selectors.victims import series_identification_counts
from victimid.gate import has_casework_access
from victimid.models import User

__all__ = ["CaseworkOverview", "casework_overview"]

LATEST = 10
FOLLOWED = 50


@dataclass(frozen=True)
class CaseworkOverview:
    """The casework sections of the dashboard; empty for a user without casework access."""

    agency_series: list[Series] = field(default_factory=list)
    agency_series_by_status: list[StatusCount] = field(default_factory=list)
    agency_clues_by_status: list[StatusCount] = field(default_factory=list)
    shared_clues: list[Clue] = field(default_factory=list)
    followed_series: list[Series] = field(default_factory=list)
    deconfliction: list[DeconflictionRow] = field(default_factory=list)


def agency_series_latest(*, actor: User, limit: int = LATEST) -> list[Series]:
    """The newest series of ``actor``'s agency, with clue counts and identification progress."""
    return list(
        series_queryset(actor=actor, filters={"agency": actor.agency_id})
        .annotate(**series_identification_counts(actor=actor))
        .order_by("-id")[:limit]
    )


def agency_clues_by_status(*, actor: User) -> list[StatusCount]:
    """The clues ``actor`` may see in their agency's series, counted by status (one query).

    The same clues as the "Clues" column of the agency's series, whoever posted them.
    """
    return status_counts(clue_queryset(actor=actor).filter(series__agency=actor.agency), ClueStatus)


def shared_clues_latest(*, actor: User, limit: int = LATEST) -> list[Clue]:
    """The newest clues of other agencies that ``actor`` may see."""
    return list(
        clue_queryset(actor=actor)
        .exclude(agency=actor.agency)
        .prefetch_related(None)  # the country hypotheses are not shown here
        .prefetch_related(SERIES_OF_PAGE)
        .order_by("-id")[:limit]
    )


def followed_series_progress(*, actor: User, limit: int = FOLLOWED) -> list[Series]:
    """The series ``actor`` follows and may still see, with identification progress."""
    return list(
        series_queryset(actor=actor)
        .filter(followers__user=actor)
        .annotate(**series_identification_counts(actor=actor))
        .order_by("code")[:limit]
    )


def casework_overview(*, actor: User) -> CaseworkOverview:
    """Everything casework the dashboard shows ``actor``; not audited (see the module)."""
    if not has_casework_access(actor) or actor.agency_id is None:
        return CaseworkOverview()
    return CaseworkOverview(
        agency_series=agency_series_latest(actor=actor),
        agency_series_by_status=series_status_counts(
            actor=actor, filters={"agency": actor.agency_id}
        ),
        agency_clues_by_status=agency_clues_by_status(actor=actor),
        shared_clues=shared_clues_latest(actor=actor),
        followed_series=followed_series_progress(actor=actor),
        deconfliction=deconfliction_notices_for(actor=actor),
    )
