"""Celery tasks of casework: thin wrappers around services (ids in, one service call)."""

from __future__ import annotations

from celery import shared_task

from cases.services.correlation import clue_correlate, correlation_notify


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
