"""Reading and searching clues."""

from __future__ import annotations

from typing import Any, cast

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.choices import ClueStatus
from cases.models import Clue, ClueCountryHypothesis, ClueTaxonomyNode
from cases.models.base import VisibleQuerySet
from cases.models.clues import SEARCH_CONFIG
from cases.selectors.filters import (
    choice_filter,
    clean_filters,
    filters_for_audit,
    int_filter,
    moment_filter,
)
from cases.selectors.status_counts import StatusCount, status_counts
from victimid import audit_actions
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = ["CLUE_FILTERS", "clue_get", "clue_list", "clue_queryset", "clue_status_counts"]

CLUE_FILTERS = {
    "series",
    "taxonomy",
    "country",
    "language",
    "status",
    "created_after",
    "created_before",
    "q",
}
MAX_QUERY_LENGTH = 200


def _base(actor: User, queryset: VisibleQuerySet[Clue] | None = None) -> QuerySet[Clue]:
    """``queryset`` (every clue by default) narrowed to what ``actor`` may see, with the
    related rows a list shows."""
    start = _all_clues() if queryset is None else queryset
    return (
        start.visible_to(actor)
        .select_related("series", "taxonomy_node", "agency", "sharing_group")
        .prefetch_related(
            Prefetch(
                "country_hypotheses",
                queryset=ClueCountryHypothesis.objects.order_by("country"),
            )
        )
    )


def _all_clues() -> VisibleQuerySet[Clue]:
    return cast("VisibleQuerySet[Clue]", Clue.objects.all())


def clue_queryset(*, actor: User, filters: dict[str, Any] | None = None) -> QuerySet[Clue]:
    """The clues ``actor`` may see, filtered and searched; not audited (facets, counts).

    The access policy is applied after the filters: PostgreSQL tests conditions it costs
    alike in the order they are written, and walking the newest clues for a search it
    then tests a clue's access keys only when the clue matches the words (about one in
    eight for a common word) instead of testing every clue it passes (bench/README.md).
    """
    cleaned = clean_filters(filters, CLUE_FILTERS)
    queryset = _all_clues()
    if "series" in cleaned:
        queryset = queryset.filter(series__code=str(cleaned["series"]).strip().upper())
    if "taxonomy" in cleaned:
        node = ClueTaxonomyNode.objects.filter(slug=str(cleaned["taxonomy"])).first()
        if node is None:
            raise ValidationError({"taxonomy": _("Unknown kind of clue.")})
        queryset = queryset.filter(taxonomy_node__path__startswith=node.path)
    if "country" in cleaned:
        country = str(cleaned["country"]).strip().upper()
        queryset = queryset.filter(
            pk__in=ClueCountryHypothesis.objects.filter(country=country).values("clue_id")
        )
    if "language" in cleaned:
        queryset = queryset.filter(languages__contains=[str(cleaned["language"]).strip().lower()])
    if "status" in cleaned:
        queryset = queryset.filter(
            status=choice_filter("status", cleaned["status"], ClueStatus.values)
        )
    if "created_after" in cleaned:
        queryset = queryset.filter(
            created_at__gte=moment_filter("created_after", cleaned["created_after"])
        )
    if "created_before" in cleaned:
        queryset = queryset.filter(
            created_at__lte=moment_filter(
                "created_before", cleaned["created_before"], end_of_day=True
            )
        )
    if "q" in cleaned:
        text = str(cleaned["q"]).strip()
        if len(text) > MAX_QUERY_LENGTH:
            raise ValidationError(
                {"q": _("At most %(limit)d characters.") % {"limit": MAX_QUERY_LENGTH}}
            )
        queryset = queryset.filter(
            search_vector=SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        )
    return _base(actor, queryset)


def clue_status_counts(*, actor: User, filters: dict[str, Any] | None = None) -> list[StatusCount]:
    """How many of the clues ``actor`` may see are in each status; one query, not audited."""
    return status_counts(clue_queryset(actor=actor, filters=filters), ClueStatus)


def clue_list(
    *, actor: User, filters: dict[str, Any] | None = None, audit: bool = True
) -> QuerySet[Clue]:
    """The clues ``actor`` may see; audited as a search when ``q`` is given, else a listing."""
    queryset = clue_queryset(actor=actor, filters=filters)
    if audit:
        cleaned = clean_filters(filters, CLUE_FILTERS)
        audit_record(
            actor=actor,
            action=audit_actions.CLUE_SEARCHED if "q" in cleaned else audit_actions.CLUE_LISTED,
            details={"filters": filters_for_audit(cleaned)},
        )
    return queryset


def clue_get(*, actor: User, pk: int | str, audit: bool = True) -> Clue:
    """One clue; Http404 unless ``actor`` may see it (and its series). The view is audited."""
    try:
        clue_id = int_filter("pk", pk)
    except ValidationError:
        raise Http404 from None
    clue = _base(actor).filter(pk=clue_id).first()
    if clue is None:
        raise Http404
    if audit:
        audit_record(actor=actor, action=audit_actions.CLUE_VIEWED, target=clue)
    return clue
