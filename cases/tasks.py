"""Celery tasks of casework: thin wrappers around services, ids in."""

from __future__ import annotations

from celery import shared_task

from cases.services.imports import hash_import_run
from cases.services.stats import stats_refresh
from cases.services.triage import triage_job_run, triage_results_purge


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


@shared_task(name="cases.tasks.refresh_stats")
def refresh_stats() -> int:
    """Recompute and publish the oversight figures (Celery beat, STATS_REFRESH_MINUTES)."""
    return stats_refresh().figures
