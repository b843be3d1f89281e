"""Reading and searching clues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from cases.choices import ClueStatus
from cases.countries import country_code
from cases.fulltext import MARK_START, clue_headline, search_query
from cases.languages import language_code
from cases.models import Clue, ClueCountryHypothesis, ClueTaxonomyNode
from cases.models.base import VisibleQuerySet
from cases.selectors.filters import (
    choice_filter,
    clean_filters,
    filters_for_audit,
    int_filter,
    moment_filter,
)
from cases.selectors.status_counts import StatusCount, status_counts
from cases.selectors.taxonomy import taxonomy_nodes_named
from victimid import audit_actions
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = [
    "CLUE_FILTERS",
    "SERIES_OF_PAGE",
    "clue_get",
    "clue_headlines",
    "clue_list",
    "clue_queryset",
    "clue_status_counts",
]

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


# The series of a page's clues are read by a second query on their ids (a page's worth
# at most), not joined: joined, the planner hashed the whole series table for a search
# that finds its matches by the search index (10,000 series read for 156 visible matches:
# the rare pair of bench/README.md "clue_access"). It reads exactly the rows the join
# read: the clue's visibility decides what of its series a list shows, as with the join.
SERIES_OF_PAGE = "series"


def _base(actor: User, queryset: VisibleQuerySet[Clue] | None = None) -> QuerySet[Clue]:
    """``queryset`` (every clue by default) narrowed to what ``actor`` may see, with the
    related rows a list shows."""
    start = _all_clues() if queryset is None else queryset
    return (
        start.visible_to(actor)
        .select_related("taxonomy_node", "agency", "sharing_group")
        .prefetch_related(
            SERIES_OF_PAGE,
            Prefetch(
                "country_hypotheses",
                queryset=ClueCountryHypothesis.objects.order_by("country"),
            ),
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
        country = _named(country_code, "country", cleaned["country"], _("country"))
        queryset = queryset.filter(
            pk__in=ClueCountryHypothesis.objects.filter(country=country).values("clue_id")
        )
    if "language" in cleaned:
        language = _named(language_code, "language", cleaned["language"], _("language"))
        queryset = queryset.filter(languages__contains=[language])
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
        query = search_query(text)
        nodes = taxonomy_nodes_named(text)
        words = Q(search_vector=query) if query is not None else Q(pk__in=[])
        queryset = queryset.filter(words | Q(taxonomy_node__in=nodes) if nodes else words)
    return _base(actor, queryset)


def _named(find: Callable[[str], str | None], name: str, typed: Any, what: str) -> str:
    """The code of a language or country typed as a code or an English name, or a 400."""
    code = find(str(typed))
    if code is None:
        raise ValidationError(
            {
                name: _("No %(what)s is called %(typed)s; give its code or English name.")
                % {"what": what, "typed": str(typed)[:100]}
            }
        )
    return code


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


def clue_headlines(*, actor: User, clues: list[Clue], text: str) -> dict[int, tuple[str, str]]:
    """Why each of ``clues`` matched ``text``: its title and the passages of its description
    with the matching words between ``fulltext.MARK_START`` and ``MARK_END``. One query for
    a page of results, through the access policy."""
    query = search_query(text) if clues and str(text).strip() else None
    if query is None:
        return {}
    rows = (
        Clue.objects.visible_to(actor)
        .filter(pk__in=[clue.pk for clue in clues])
        .annotate(
            title_marked=clue_headline("title", query),
            description_marked=clue_headline("description", query),
        )
        .values_list("pk", "title_marked", "description_marked")
    )
    # A description passage without a marked word says nothing about the match.
    return {
        pk: (title, description if MARK_START in description else "")
        for pk, title, description in rows
    }
