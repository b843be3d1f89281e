"""How the access policy restricts victims and their identification events.

A victim is visible when its own distribution level (or an explicit grant) admits
the user AND at least one series it appears in is visible to the user: victims
follow their series (DESIGN.md) and keep a level of their own (issue 4). Events
follow their victim. Both rules are one SQL clause (an EXISTS subquery), so lists,
counts and summaries filter in the database.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from victimid import access

__all__ = ["event_visibility_q", "register", "victim_visibility_q"]


def _appears_in_visible_series(user: Any, victim_ref: str) -> Exists:
    from cases.models import VictimSeries

    return Exists(
        VictimSeries.objects.filter(victim_id=OuterRef(victim_ref)).filter(
            access.series_visibility_q(user, prefix="series__")
        )
    )


def victim_visibility_q(user: Any) -> Q:
    """The WHERE clause admitting exactly the victims ``user`` may see."""
    from cases.models import Victim

    return access._level_q(user, Victim) & Q(_appears_in_visible_series(user, "pk"))


def event_visibility_q(user: Any) -> Q:
    """Identification events follow their victim."""
    from cases.models import Victim

    return access._level_q(user, Victim, prefix="victim__") & Q(
        _appears_in_visible_series(user, "victim_id")
    )


def register() -> None:
    """Teach the one access policy about victims and their events."""
    access.register_visibility("cases.victim", victim_visibility_q)
    access.register_visibility("cases.identificationevent", event_visibility_q)
