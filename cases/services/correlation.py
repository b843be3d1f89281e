"""Correlation: finding clues in other series that look related to a new or changed clue.

Run by a Celery task queued after the clue's transaction commits
(``cases.tasks.correlate_clue``). It reads every clue, whatever its level — it is the
platform comparing records, not a person reading them — and stores suggestions with a
score and the reasons a person can read. Who may then see a suggestion is the access
policy's question (both clues); an owning agency that may not see the other side is told
only that a related restricted clue exists and which agency to contact.

Candidates come from indexed look-ups, each capped: the same or a neighbouring taxonomy
node, a shared country hypothesis or language, shared rare words (core full-text search,
no trigram extension), an approximate point within reach. **A value shared by more than
``VALUE_CAP`` clues generates nothing** (a taxonomy node on thousands of clues would
suggest everything); it is reported as skipped. Whether a value is over the cap is
asked of its index before any clue is read (``_over_cap``): on a large platform most
values are, and reading a thousand clues of each to learn it was nearly all the time.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from cases import access
from cases.languages import language_name
from cases.models import (
    Clue,
    ClueCountryHypothesis,
    ClueTaxonomyNode,
    CorrelationSuggestion,
    Series,
    SuggestionStatus,
)
from cases.services.common import casework_users, require_casework_writer
from victimid import audit_actions
from victimid.jobs import enqueue_after_commit
from victimid.models import NotificationKind, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = [
    "CANDIDATES_PER_VALUE",
    "ESTIMATE_MARGIN",
    "MIN_SCORE",
    "VALUE_CAP",
    "CorrelationResult",
    "clue_correlate",
    "correlation_notify",
    "suggestion_decide",
]

VALUE_CAP = 1000  # a value on more clues than this generates no suggestion
ESTIMATE_MARGIN = 10  # a value estimated on this many times the cap is not counted
CANDIDATES_PER_VALUE = 60  # the newest clues taken per value
MAX_CANDIDATES = 600  # scored at most
MIN_SCORE = 3.0
MAX_SUGGESTIONS = 20
WORDS_MAX = 12  # the longest words of the clue, for the text similarity
WORD_MIN_LENGTH = 5
PLACE_REACH_KM = 50
NOTIFY_TASK = (
    "cases.tasks.notify_correlation"  # two approximate points within their radii and this much more
)

WEIGHTS = {
    "same_node": 3.0,
    "neighbour_node": 1.5,
    "country": 1.0,
    "language": 1.0,
    "text": 2.0,
    "place": 2.5,
}


@dataclass
class CorrelationResult:
    """What one run found: suggestions written, values skipped for being too common."""

    clue_id: int
    suggested: list[int] = field(default_factory=list)
    skipped_values: list[str] = field(default_factory=list)
    candidates: int = 0


def _others(clue: Clue) -> Any:
    return Clue.objects.exclude(series_id=clue.series_id).exclude(status="discarded")


def _words(clue: Clue) -> list[str]:
    """The clue's longest distinct words, lower-cased as the ``simple`` configuration does."""
    text = f"{clue.title} {clue.description}".lower()
    words = {word for word in re.findall(r"\w+", text) if len(word) >= WORD_MIN_LENGTH}
    return sorted((w for w in words if w.isalpha()), key=lambda w: (-len(w), w))[:WORDS_MAX]


def _word_query(words: list[str]) -> str:
    return " | ".join("'" + word.replace("'", "") + "'" for word in words)


def _neighbour_nodes(clue: Clue) -> list[int]:
    node = clue.taxonomy_node
    around = Q(parent_id=node.pk)
    if node.parent_id:
        around |= Q(pk=node.parent_id) | Q(parent_id=node.parent_id)
    return list(
        ClueTaxonomyNode.objects.filter(around).exclude(pk=node.pk).values_list("pk", flat=True)
    )


def _estimated_rows(queryset: Any) -> float:
    """The planner's estimate of how many rows ``queryset`` finds (planned, not run)."""
    plan = json.loads(queryset.order_by().values("pk").explain(format="json"))
    return float(plan[0]["Plan"]["Plan Rows"])


def _over_cap(queryset: Any) -> bool:
    """Is this value on more than ``VALUE_CAP`` clues?

    Asked of every clue with the value (of this series or another, discarded or not), on
    the value's own index before any row is read: most values of a large platform are on
    far more clues than the cap, and reading a thousand rows of each to find that out was
    nearly all of a correlation's time. A value the planner's statistics put above
    ``ESTIMATE_MARGIN`` times the cap is over it without counting; any other is counted,
    exactly, up to one past the cap (an index-only scan where the index allows one).
    """
    if _estimated_rows(queryset) > VALUE_CAP * ESTIMATE_MARGIN:
        return True
    return int(queryset.order_by().values("pk")[: VALUE_CAP + 1].count()) > VALUE_CAP


def _candidates(clue: Clue, result: CorrelationResult) -> set[int]:
    """Candidate clue ids from every capped look-up."""
    found: set[int] = set()

    def take(label: str, value: Q) -> None:
        if _over_cap(Clue.objects.filter(value)):
            result.skipped_values.append(label)
            return
        # Under the cap: the value's clues in other series, the newest kept.
        ids = _others(clue).filter(value).order_by("-pk").values_list("pk", flat=True)
        found.update(ids[:CANDIDATES_PER_VALUE])

    take(f"taxonomy:{clue.taxonomy_node.slug}", Q(taxonomy_node_id=clue.taxonomy_node_id))
    for node_id in _neighbour_nodes(clue):
        take(f"taxonomy:{node_id}", Q(taxonomy_node_id=node_id))
    for hypothesis in clue.country_hypotheses.all():
        code = str(hypothesis.country)
        take(f"country:{code}", Q(country_hypotheses__country=code))
    for language in clue.languages:
        take(f"language:{language}", Q(languages__contains=[language]))
    for word in _words(clue):
        query = SearchQuery(_word_query([word]), config="simple", search_type="raw")
        take(f"word:{word}", Q(search_vector=query))
    if clue.latitude is not None and clue.longitude is not None:
        reach = (clue.radius_km or 0) + PLACE_REACH_KM + 500  # the widest other radius, loosely
        degrees = reach / 111.0
        take(
            "place",
            Q(
                latitude__gte=float(clue.latitude) - degrees,
                latitude__lte=float(clue.latitude) + degrees,
                longitude__isnull=False,
            ),
        )
    found.discard(clue.pk)
    # The newest first when there are more than are worth scoring.
    return set(sorted(found, reverse=True)[:MAX_CANDIDATES])


def _distance_km(a: Clue, b: Clue) -> float:
    lat1, lon1, lat2, lon2 = map(
        math.radians,
        [float(a.latitude), float(a.longitude), float(b.latitude), float(b.longitude)],  # type: ignore[arg-type]
    )
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 6371.0 * 2 * math.asin(math.sqrt(h))


def _text_ranks(clue: Clue, ids: set[int]) -> dict[int, float]:
    words = _words(clue)
    if not words or not ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, ts_rank(search_vector, to_tsquery('simple', %s), 1) FROM cases_clue"
            " WHERE id = ANY(%s) AND search_vector @@ to_tsquery('simple', %s)",
            [_word_query(words), list(ids), _word_query(words)],
        )
        return {row[0]: float(row[1]) for row in cursor.fetchall()}


def _score(
    clue: Clue,
    other: Clue,
    countries_of: dict[int, set[str]],
    neighbours: set[int],
    rank: float,
    skipped: set[str],
) -> tuple[float, list[str]]:
    score = 0.0
    reasons: list[str] = []
    node_label = clue.taxonomy_node.localized_label()
    if (
        other.taxonomy_node_id == clue.taxonomy_node_id
        and f"taxonomy:{clue.taxonomy_node.slug}" not in skipped
    ):
        score += WEIGHTS["same_node"]
        reasons.append(_("same kind of clue: %(node)s") % {"node": node_label})
    elif other.taxonomy_node_id in neighbours:
        score += WEIGHTS["neighbour_node"]
        reasons.append(
            _("neighbouring kinds of clue: %(node)s and %(other)s")
            % {"node": node_label, "other": other.taxonomy_node.localized_label()}
        )
    shared_countries = sorted(
        code
        for code in countries_of.get(clue.pk, set()) & countries_of.get(other.pk, set())
        if f"country:{code}" not in skipped
    )
    if shared_countries:
        score += WEIGHTS["country"] * min(2, len(shared_countries))
        reasons.append(
            _("both point to %(countries)s")
            % {"countries": ", ".join(str(countries.name(code)) for code in shared_countries)}
        )
    shared_languages = sorted(
        code
        for code in set(clue.languages) & set(other.languages)
        if f"language:{code}" not in skipped
    )
    if shared_languages:
        score += WEIGHTS["language"] * min(2, len(shared_languages))
        reasons.append(
            _("both mention %(languages)s")
            % {"languages": ", ".join(language_name(code) for code in shared_languages)}
        )
    if rank > 0:
        score += WEIGHTS["text"] * min(1.0, rank * 5)
        reasons.append(_("similar wording"))
    if (
        clue.latitude is not None
        and other.latitude is not None
        and other.longitude is not None
        and "place" not in skipped
    ):
        distance = _distance_km(clue, other)
        reach = (clue.radius_km or 0) + (other.radius_km or 0) + PLACE_REACH_KM
        if distance <= reach:
            score += WEIGHTS["place"]
            reasons.append(_("places %(km)d km apart") % {"km": round(distance)})
    return round(score, 2), reasons


def clue_correlate(*, clue_id: int) -> CorrelationResult:
    """Find and store the suggestions of one clue; safe to run twice (the pair is unique).

    Open suggestions of the clue are recomputed; confirmed and rejected ones keep the
    decision people took.
    """
    result = CorrelationResult(clue_id=clue_id)
    clue = Clue.objects.select_related("taxonomy_node", "agency").filter(pk=clue_id).first()
    if clue is None:
        return result
    ids = _candidates(clue, result)
    result.candidates = len(ids)
    skipped = set(result.skipped_values)
    others = list(Clue.objects.filter(pk__in=ids).select_related("taxonomy_node", "agency"))
    countries_of: dict[int, set[str]] = {}
    for clue_pk, code in ClueCountryHypothesis.objects.filter(
        clue_id__in=[clue.pk, *ids]
    ).values_list("clue_id", "country"):
        countries_of.setdefault(clue_pk, set()).add(str(code))
    neighbours = set(_neighbour_nodes(clue))
    ranks = _text_ranks(clue, ids)
    scored = []
    for other in others:
        score, reasons = _score(
            clue, other, countries_of, neighbours, ranks.get(other.pk, 0.0), skipped
        )
        if score >= MIN_SCORE:
            scored.append((score, other, reasons))
    scored.sort(key=lambda item: (-item[0], -item[1].pk))
    now = timezone.now()
    with transaction.atomic():
        involving = Q(clue_a_id=clue.pk) | Q(clue_b_id=clue.pk)
        keep = {
            pair
            for pair in CorrelationSuggestion.objects.filter(involving)
            .exclude(status=SuggestionStatus.OPEN)
            .values_list("clue_a_id", "clue_b_id")
        }
        CorrelationSuggestion.objects.filter(involving, status=SuggestionStatus.OPEN).delete()
        new_pairs = []
        for score, other, reasons in scored[:MAX_SUGGESTIONS]:
            a, b = sorted((clue.pk, other.pk))
            if (a, b) in keep:
                CorrelationSuggestion.objects.filter(clue_a_id=a, clue_b_id=b).update(
                    score=score, reasons=reasons, updated_at=now
                )
                continue
            suggestion = CorrelationSuggestion.objects.create(
                clue_a_id=a, clue_b_id=b, score=score, reasons=reasons
            )
            result.suggested.append(suggestion.pk)
            new_pairs.append((suggestion, other))
        audit_record(
            actor=None,
            action=audit_actions.CLUE_CORRELATED,
            target=clue,
            details={
                "suggestions": len(scored[:MAX_SUGGESTIONS]),
                "candidates": result.candidates,
                "skipped": result.skipped_values[:20],
            },
        )
        if new_pairs:
            # Who hears of it is worked out by a task of its own, after the commit: the
            # correlation itself stays quick (bench/bench_correlation.py).
            enqueue_after_commit(
                NOTIFY_TASK, clue.pk, [suggestion.pk for suggestion, _other in new_pairs]
            )
    return result


def correlation_notify(*, clue_id: int, suggestion_ids: list[int]) -> int:
    """Tell each side's owning agency of new suggestions of a clue; how many were told.

    Those who may see both clues hear of the suggestion; those who may see only their own
    clue hear only that a related restricted clue exists and which agency to contact.
    Visibility is asked once per recipient for all the clues concerned.
    """
    suggestions = list(
        CorrelationSuggestion.objects.filter(pk__in=suggestion_ids).select_related(
            "clue_a__agency", "clue_b__agency", "clue_a__series", "clue_b__series"
        )
    )
    pairs: dict[int, list[tuple[Clue, Clue]]] = {}
    for suggestion in suggestions:
        for mine, theirs in (
            (suggestion.clue_a, suggestion.clue_b),
            (suggestion.clue_b, suggestion.clue_a),
        ):
            if clue_id in (mine.pk, theirs.pk):
                pairs.setdefault(mine.agency_id, []).append((mine, theirs))
    told = 0
    for agency_id, agency_pairs in pairs.items():
        wanted = {clue.pk for pair in agency_pairs for clue in pair}
        for user in casework_users(agency_id=agency_id):
            # A clue seen only through a routing request is seen without its series: the
            # message about it would name the series, so it counts as not seen.
            visible = set(
                Clue.objects.visible_to(user)
                .filter(access.visibility_q(user, Series, "series__"), pk__in=wanted)
                .values_list("pk", flat=True)
            )
            for mine, theirs in agency_pairs:
                if mine.pk in visible:
                    _notify(user, mine, theirs, sees_other=theirs.pk in visible)
                    told += 1
    return told


def _notify(user: User, mine: Clue, theirs: Clue, *, sees_other: bool) -> None:
    """One recipient hears of one suggestion, with only what they may see."""
    if sees_other:
        message = _("Clue “%(title)s” may be related to clue “%(other)s” of series %(series)s.") % {
            "title": mine.title,
            "other": theirs.title,
            "series": theirs.series.code,
        }
    else:
        agency = theirs.agency
        message = _(
            "Clue “%(title)s” may be related to a clue your agency may not see. "
            "Contact %(agency)s (%(country)s): %(contact)s"
        ) % {
            "title": mine.title,
            "agency": agency.name,
            "country": agency.country.code,
            "contact": agency.contact_point or "—",
        }
    notifications_create(
        recipients=[user],
        kind=NotificationKind.CORRELATION,
        subject_type="clue",
        subject_ref=str(mine.pk),
        message=message,
    )


def suggestion_decide(
    *, actor: User, suggestion: CorrelationSuggestion, decision: str
) -> CorrelationSuggestion:
    """Confirm or reject a suggestion: someone of either clue's owning agency who sees both."""
    require_casework_writer(actor)
    access.require_visible(actor, suggestion)
    if actor.agency_id not in (suggestion.clue_a.agency_id, suggestion.clue_b.agency_id):
        raise PermissionDenied(_("Only the agencies that own these clues decide on the link."))
    if decision not in (SuggestionStatus.CONFIRMED, SuggestionStatus.REJECTED):
        raise ValidationError({"decision": [_("Give confirmed or rejected.")]})
    with transaction.atomic():
        suggestion.status = decision
        suggestion.decided_by = actor
        suggestion.decided_at = timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action=audit_actions.SUGGESTION_DECIDED,
            target=suggestion.clue_a,
            details={
                "suggestion": suggestion.pk,
                "decision": decision,
                "other": suggestion.clue_b_id,
            },
        )
    return suggestion
