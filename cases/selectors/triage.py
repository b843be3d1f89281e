"""Reading triage jobs and their results: the job's user's own, through the access policy.

A result names its series only when the reader may see that series now (a series can be
hidden after the job ran): the code is read through ``Series.objects.visible_to``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from cases import access
from cases.models import Series, TriageJob, TriageOutcome, TriageResult
from victimid import audit_actions
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = [
    "HIT_OUTCOMES",
    "triage_hits",
    "triage_job_get",
    "triage_jobs",
    "triage_results_new_first",
]

HIT_OUTCOMES = (
    TriageOutcome.KNOWN_NOT_IDENTIFIED,
    TriageOutcome.KNOWN_IDENTIFIED,
    TriageOutcome.KNOWN_RESTRICTED,
)


def triage_jobs(*, actor: User) -> QuerySet[TriageJob]:
    """The actor's own triage jobs, newest first."""
    return access.restrict(TriageJob.objects.all(), actor).order_by("-id")


def triage_job_get(*, actor: User, pk: int, audit: bool = False) -> TriageJob:
    """One of the actor's jobs; Http404 for anyone else's (no existence leak)."""
    job = triage_jobs(actor=actor).filter(pk=pk).first()
    if job is None:
        raise Http404
    if audit:
        audit_record(actor=actor, action=audit_actions.TRIAGE_JOB_VIEWED, target=job)
    return job


def _results(actor: User, job: TriageJob) -> QuerySet[TriageResult]:
    visible_series = Series.objects.visible_to(actor).filter(pk=OuterRef("series_id"))
    return (
        access.restrict(TriageResult.objects.filter(job=job), actor)
        .annotate(series_visible=Exists(visible_series))
        .select_related("series")
    )


def triage_hits(
    *, actor: User, job: TriageJob, outcome: str | None = None
) -> QuerySet[TriageResult]:
    """The known values of a job (or those of one outcome), by outcome then line."""
    outcomes = [outcome] if outcome in HIT_OUTCOMES else list(HIT_OUTCOMES)
    return _results(actor, job).filter(outcome__in=outcomes).order_by("outcome", "line")


def triage_results_new_first(*, actor: User, job: TriageJob) -> Iterator[dict[str, Any]]:
    """Every result as a row for a download, new values first, then hits; streamed."""
    audit_record(actor=actor, action=audit_actions.TRIAGE_RESULTS_DOWNLOADED, target=job)
    new = _results(actor, job).filter(outcome=TriageOutcome.NEW).order_by("line")
    hits = _results(actor, job).filter(outcome__in=HIT_OUTCOMES).order_by("outcome", "line")
    for queryset in (new, hits):
        for result in queryset.iterator(chunk_size=5000):
            yield triage_result_row(result)


def triage_result_row(result: TriageResult) -> dict[str, Any]:
    """A result as the reader may see it: the series only when visible now."""
    shown = bool(getattr(result, "series_visible", False)) and result.series_id is not None
    return {
        "line": result.line,
        "value": result.value,
        "algorithm": result.algorithm or None,
        "outcome": result.outcome,
        "series": result.series.code if shown and result.series else None,
        "series_title": result.series.title if shown and result.series else None,
        "vics_category": result.vics_category if shown else None,
    }
