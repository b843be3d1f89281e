"""Casework Celery tasks: thin, a service call each."""

from __future__ import annotations

from celery import shared_task

from cases.services.stats import stats_refresh


@shared_task(name="cases.tasks.refresh_stats")
def refresh_stats() -> int:
    """Recompute and publish the oversight figures (Celery beat, STATS_REFRESH_MINUTES)."""
    return stats_refresh().figures
