"""Reading a clue's assessments and the consensus they add up to."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from cases.choices import Confidence, Verdict
from cases.models import Assessment, Clue
from victimid.models import User

__all__ = [
    "AttributionConsensus",
    "Consensus",
    "assessment_consensus",
    "assessment_list",
]

MAX_ASSESSMENTS_SHOWN = 500
_CONFIDENCE_RANK: dict[str, int] = {Confidence.LOW: 1, Confidence.MEDIUM: 2, Confidence.HIGH: 3}


def assessment_list(*, actor: User, clue: Clue) -> QuerySet[Assessment]:
    """The assessments of ``clue`` that ``actor`` may see (all of them, or none), newest first."""
    return (
        Assessment.objects.visible_to(actor)
        .filter(clue=clue)
        .select_related("agency")
        .prefetch_related("attributions")[:MAX_ASSESSMENTS_SHOWN]
    )


@dataclass(frozen=True)
class AttributionConsensus:
    """One country the assessors attribute the clue to, and how firmly."""

    country: str
    assessors: int
    confidence: str  # the highest given
    places: tuple[str, ...]
    disputed: bool
    why_disputed: str


@dataclass(frozen=True)
class Consensus:
    """What the assessors, each by their latest assessment, say together."""

    assessors: int
    verdicts: dict[str, int]
    verdict: str | None  # held by more than half of the assessors; None: no majority
    verdict_disputed: bool  # some recognise it, others do not
    attributions: list[AttributionConsensus] = field(default_factory=list)

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label) if self.verdict else str(_("No majority"))


def assessment_consensus(assessments: Iterable[Assessment]) -> Consensus:
    """Each assessor's latest assessment counted once; attributions that disagree marked.

    An attribution is disputed when the assessors attribute the clue to more than one
    country, or when an assessor of that very country does not recognise it (a
    country's own investigators know best what is specific to it).
    """
    latest: dict[int, Assessment] = {}
    for assessment in sorted(assessments, key=lambda a: (a.created_at, a.pk)):
        latest[assessment.assessor_id] = assessment
    verdicts = Counter(assessment.verdict for assessment in latest.values())
    total = len(latest)
    majority = next((v for v, n in verdicts.items() if n * 2 > total), None)
    by_country: dict[str, list[tuple[str, str]]] = {}
    for assessment in latest.values():
        for attribution in assessment.attributions.all():
            by_country.setdefault(str(attribution.country), []).append(
                (attribution.confidence, attribution.place_text)
            )
    not_recognised_in = {
        str(a.assessor_country) for a in latest.values() if a.verdict == Verdict.NOT_RECOGNISED
    }
    rows = []
    for country, given in by_country.items():
        others = sorted(set(by_country) - {country})
        reasons = []
        if others:
            reasons.append(_("also attributed to %(countries)s") % {"countries": ", ".join(others)})
        if country in not_recognised_in:
            reasons.append(
                _("an assessor in %(country)s does not recognise it") % {"country": country}
            )
        rows.append(
            AttributionConsensus(
                country=country,
                assessors=len(given),
                confidence=max((c for c, _p in given), key=lambda c: _CONFIDENCE_RANK.get(c, 0)),
                places=tuple(sorted({p for _c, p in given if p})),
                disputed=bool(reasons),
                why_disputed="; ".join(str(r) for r in reasons),
            )
        )
    rows.sort(key=lambda row: (-row.assessors, row.country))
    return Consensus(
        assessors=total,
        verdicts={v: verdicts.get(v, 0) for v in Verdict.values},
        verdict=majority,
        verdict_disputed=bool(verdicts[Verdict.RECOGNISED] and verdicts[Verdict.NOT_RECOGNISED]),
        attributions=rows,
    )
