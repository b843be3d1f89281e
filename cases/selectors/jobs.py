"""Reading the state of the worker jobs for operators: counts only, never a job's content."""

from __future__ import annotations

from django.db.models import Q
from django.db.models.functions import Now

from cases.models import HashImportJob, JobStatus, TriageJob

__all__ = ["upload_jobs_lapsed"]


def upload_jobs_lapsed() -> dict[str, int]:
    """Jobs marked running whose lease has lapsed (their worker died), per kind.

    Beat queues them again (``cases.tasks.requeue_stalled_jobs``); a count that stays
    above zero for minutes means no worker takes them (the metrics,
    ``victimid_jobs_lease_lapsed``, read it through ``METRICS_LAPSED_JOBS``).
    """
    lapsed = Q(status=JobStatus.RUNNING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=Now()))
    return {
        "triage": TriageJob.objects.filter(lapsed).count(),
        "import": HashImportJob.objects.filter(lapsed).count(),
    }
