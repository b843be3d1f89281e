"""Reading correlation suggestions: only those whose two clues the reader may both see."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from cases.access import restrict_through
from cases.models import Clue, CorrelationSuggestion, Series, SuggestionStatus
from victimid.models import User

__all__ = [
    "series_links",
    "suggestion_get",
    "suggestion_list",
    "suggestions_of_clue",
]


# What a list shows of each clue: never the long text, its search vector or its keys.
_CLUE_SHOWN = ("id", "title", "agency_id", "series_id", "created_by_id")


def _visible(actor: User) -> QuerySet[CorrelationSuggestion]:
    return _shown(CorrelationSuggestion.objects.visible_to(actor))


def _shown(queryset: QuerySet[CorrelationSuggestion]) -> QuerySet[CorrelationSuggestion]:
    shown = [f"{side}__{name}" for side in ("clue_a", "clue_b") for name in _CLUE_SHOWN] + [
        f"{side}__{related}__{name}"
        for side in ("clue_a", "clue_b")
        for related, name in (("series", "code"), ("agency", "name"), ("agency", "country"))
    ]
    return queryset.select_related(
        "clue_a__series", "clue_b__series", "clue_a__agency", "clue_b__agency"
    ).only(
        "id",
        "score",
        "reasons",
        "status",
        "decided_at",
        "created_at",
        "clue_a",
        "clue_b",
        *shown,
    )


def suggestions_of_clue(*, actor: User, clue: Clue) -> QuerySet[CorrelationSuggestion]:
    """Open and confirmed suggestions of a clue that ``actor`` may see, best first."""
    return (
        _visible(actor)
        .filter(Q(clue_a=clue) | Q(clue_b=clue))
        .exclude(status=SuggestionStatus.REJECTED)
        .order_by("-score", "-id")
    )


def suggestion_list(*, actor: User, status: str = "open") -> QuerySet[CorrelationSuggestion]:
    """Suggestions touching a clue of ``actor``'s agency that ``actor`` may see, newest first.

    Read through the agency's entries (``SuggestionInbox``: one per suggestion on one of
    its clues), whose rule admits the suggestion itself too: the page walks the agency's
    entries that someone there may see on an index, newest first, and asks the rule of
    both clues only of those (``bench/bench_correlation.py``).
    """
    mine: dict[str, object] = {"agency_id": actor.agency_id or 0}
    if status in SuggestionStatus.values:
        mine["status"] = status
    queryset = restrict_through(CorrelationSuggestion.objects.all(), actor, "inbox", **mine)
    return _shown(queryset).order_by("-id")


def suggestion_get(*, actor: User, pk: int) -> CorrelationSuggestion:
    suggestion = _visible(actor).filter(pk=pk).first()
    if suggestion is None:
        raise Http404
    return suggestion


def series_links(*, actor: User, series: Series) -> QuerySet[CorrelationSuggestion]:
    """Confirmed links of a series' clues to clues of other series, that ``actor`` may see."""
    return (
        _visible(actor)
        .filter(Q(clue_a__series=series) | Q(clue_b__series=series))
        .filter(status=SuggestionStatus.CONFIRMED)
        .order_by("-decided_at", "-id")
    )
