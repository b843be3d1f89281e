"""Celery tasks of casework: thin wrappers around services, ids in."""

from __future__ import annotations

from celery import shared_task

from cases.models import HashImportJob, TriageJob
from cases.services.correlation import clue_correlate, correlation_notify
from cases.services.imports import IMPORT_TASK, hash_import_run
from cases.services.stats import stats_refresh
from cases.services.triage import TRIAGE_TASK, triage_job_run, triage_results_purge
from cases.services.uploads import upload_jobs_requeue


@shared_task(name="cases.tasks.run_triage_job")
def run_triage_job(job_id: int) -> str:
    """Check one triage job's upload against the known set (safe to run twice)."""
    return triage_job_run(job_id=job_id)


@shared_task(name="cases.tasks.purge_expired_triage_results")
def purge_expired_triage_results() -> int:
    """Delete the probe values of triage jobs whose results have expired (periodic)."""
    return triage_results_purge()


@shared_task(name="cases.tasks.run_hash_import")
def run_hash_import(job_id: int) -> str:
    """Import one uploaded hash file into its series (safe to run twice)."""
    return hash_import_run(job_id=job_id)


@shared_task(name="cases.tasks.requeue_stalled_jobs")
def requeue_stalled_jobs() -> int:
    """Queue again the triage and import jobs no worker holds (periodic, via beat)."""
    return upload_jobs_requeue(kinds=((TriageJob, TRIAGE_TASK), (HashImportJob, IMPORT_TASK)))


@shared_task(name="cases.tasks.refresh_stats")
def refresh_stats() -> int:
    """Recompute and publish the oversight figures (Celery beat, STATS_REFRESH_MINUTES)."""
    return stats_refresh().figures


@shared_task(name="cases.tasks.correlate_clue")
def correlate_clue(clue_id: int) -> dict[str, object]:
    """Find clues in other series that look related to one clue; safe to run twice."""
    result = clue_correlate(clue_id=clue_id)
    return {
        "clue": result.clue_id,
        "suggested": len(result.suggested),
        "candidates": result.candidates,
        "skipped": result.skipped_values,
    }


@shared_task(name="cases.tasks.notify_correlation")
def notify_correlation(clue_id: int, suggestion_ids: list[int]) -> int:
    """Tell the owning agencies of new suggestions, each only what they may see."""
    return correlation_notify(clue_id=clue_id, suggestion_ids=suggestion_ids)
