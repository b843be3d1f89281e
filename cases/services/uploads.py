"""Hash files uploaded for a worker: kept on disk while they wait, never in memory."""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, DateTimeField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Now
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.hash_files import FORMATS, CountingReader, HashFileError, hash_file_format
from cases.models import JobStatus
from victimid.jobs import enqueue_after_commit
from victimid.uploads import upload_store as file_store

__all__ = [
    "JobCancelled",
    "JobLost",
    "StoredUpload",
    "upload_discard",
    "upload_job_cancel_request",
    "upload_job_progress",
    "upload_job_run",
    "upload_jobs_requeue",
    "upload_store",
]

logger = logging.getLogger(__name__)

_CHUNK = 1024 * 1024
# Jobs queued again per kind and beat tick; the rest wait for the next tick.
_REQUEUE_BATCH = 100


class StoredUpload:
    """An upload copied to the shared upload directory, with its size and format."""

    def __init__(self, path: str, size: int, file_format: str, name: str) -> None:
        self.path = path
        self.size = size
        self.file_format = file_format
        self.name = name


def upload_store(upload: UploadedFile, *, file_format: str = "") -> StoredUpload:
    """Copy ``upload`` in chunks to the upload directory; its format given or sniffed.

    Django has already spooled a large upload to a temporary file; this copy is read
    chunk by chunk, so no upload is ever whole in memory.
    """
    size = upload.size or 0
    if size <= 0:
        raise ValidationError({"file": _("The file is empty.")})
    if size > settings.TRIAGE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(max)d bytes.")
                % {"max": settings.TRIAGE_MAX_UPLOAD_BYTES}
            }
        )
    if file_format and file_format not in FORMATS:
        raise ValidationError(
            {"format": _("Unknown format; use one of %(known)s.") % {"known": ", ".join(FORMATS)}}
        )
    folder = Path(settings.TRIAGE_UPLOAD_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    head = bytearray()
    written = 0

    def chunks() -> Iterator[bytes]:
        nonlocal written
        for chunk in upload.chunks(_CHUNK):
            if len(head) < 64 * 1024:
                head.extend(chunk[: 64 * 1024 - len(head)])
            written += len(chunk)
            yield chunk

    # Whole or not at all: a full disk raises StorageFull (507) and leaves no partial file.
    path = file_store(chunks=chunks(), directory=folder, name=f"{uuid.uuid4().hex}.upload")
    name = os.path.basename(upload.name or "upload")[:200]
    return StoredUpload(str(path), written, file_format or hash_file_format(bytes(head)), name)


def upload_discard(path: str) -> None:
    """Remove a stored upload (its probe values with it); nothing if already gone."""
    if path:
        Path(path).unlink(missing_ok=True)


class JobCancelled(Exception):
    """The job's user asked to stop it; the worker stops at its next chunk."""


class JobLost(Exception):
    """Another run holds the job now (this run's lease lapsed): stop, writing nothing."""


def _lease_end() -> ExpressionWrapper:
    """The database's now plus the lease: every worker reads the same clock."""
    return ExpressionWrapper(
        Now() + timedelta(seconds=settings.UPLOAD_JOB_LEASE_SECONDS),
        output_field=DateTimeField(),
    )


def _lapsed() -> Q:
    """A running job whose lease has lapsed (none: claimed before leases existed)."""
    return Q(status=JobStatus.RUNNING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=Now()))


class _Heartbeat(threading.Thread):
    """Renews a running job's lease between its progress writes, on its own connection.

    A step may spend minutes in one statement (the plain-list classification of a large
    file): without this, its lease would lapse and a living run lose its job. It renews
    every third of a lease while the run lives (a killed process stops it too), as the
    holder of the token only, and gives up once the run has written no progress for
    ``UPLOAD_JOB_STALL_SECONDS`` (a hung run lets its job be taken over).
    """

    def __init__(self, model: type[Any], job_id: int, token: str) -> None:
        super().__init__(name=f"lease-{model.__name__}-{job_id}", daemon=True)
        self.model, self.job_id, self.token = model, job_id, token
        self.stopped = threading.Event()
        self.last_progress = time.monotonic()

    def run(self) -> None:
        interval = settings.UPLOAD_JOB_LEASE_SECONDS / 3
        try:
            while not self.stopped.wait(interval):
                if time.monotonic() - self.last_progress > settings.UPLOAD_JOB_STALL_SECONDS:
                    logger.warning(
                        "%s %s shows no progress: its lease is left to lapse",
                        self.model.__name__,
                        self.job_id,
                    )
                    return
                held = self.model.objects.filter(
                    pk=self.job_id, status=JobStatus.RUNNING, claim_token=self.token
                ).update(lease_until=_lease_end())
                if not held:
                    return
        except DatabaseError:
            logger.exception(
                "the lease of %s %s could not be renewed", self.model.__name__, self.job_id
            )
        finally:
            connection.close()  # this thread's own

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=settings.UPLOAD_JOB_LEASE_SECONDS)


# The heartbeat of each job this process runs, told of every progress write.
_heartbeats: dict[tuple[str, int], _Heartbeat] = {}


def upload_job_progress(job: Any, reader: CountingReader, *, values_read: int) -> None:
    """Write a running job's progress and renew its lease, as the holder of its claim.

    Called by a job's steps between chunks. Raises ``JobLost`` when another run has
    taken the job over (nothing is written), ``JobCancelled`` when its user asked to stop.
    """
    model = type(job)
    held = model.objects.filter(
        pk=job.pk, status=JobStatus.RUNNING, claim_token=job.claim_token
    ).update(
        bytes_read=reader.bytes_read,
        lines_read=reader.lines_read,
        values_read=values_read,
        lease_until=_lease_end(),
    )
    if not held:
        raise JobLost
    heartbeat = _heartbeats.get((model._meta.label, job.pk))
    if heartbeat is not None:
        heartbeat.last_progress = time.monotonic()
    if model.objects.filter(pk=job.pk, cancel_requested=True).exists():
        raise JobCancelled


def upload_job_cancel_request(model: type[Any], job: Any) -> bool:
    """Stop a job at once when no worker runs it (queued, or its lease lapsed); else ask
    its worker to stop at its next chunk. True when stopped here (the caller discards the
    upload). Never waits for a worker writing the job's outcome (it holds the row): that
    is too late to stop, and is refused as such.
    """
    with transaction.atomic():
        held = model.objects.select_for_update(skip_locked=True).filter(pk=job.pk)
        if not held.values_list("pk", flat=True):
            raise ValidationError(
                _("This job is being started or is writing its outcome; try again in a moment."),
                code="finishing",
            )
        stopped = model.objects.filter(Q(status=JobStatus.QUEUED) | _lapsed(), pk=job.pk).update(
            status=JobStatus.CANCELLED,
            finished_at=timezone.now(),
            cancel_requested=True,
            claim_token=None,
            lease_until=None,
        )
        if not stopped:
            model.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(cancel_requested=True)
    return bool(stopped)


_CLAIM_FIELDS = ("status", "lapsed", "attempts", "cancel_requested")


def _claim(model: type[Any], job_id: int) -> tuple[str, str]:
    """Claim a queued job, or take over a running one whose lease lapsed: (verdict, token).

    The verdict is ``claimed``, or why not: ``busy`` (a living run holds it, or is
    writing its outcome and holds its row), ``not queued`` (finished or unknown),
    ``given up`` / ``cancelled`` (a lapsed job stopped here instead of run again).
    """
    token = uuid.uuid4()
    with transaction.atomic():
        claimable = model.objects.filter(pk=job_id).annotate(
            lapsed=ExpressionWrapper(_lapsed(), output_field=BooleanField())
        )
        row = claimable.select_for_update(skip_locked=True).values(*_CLAIM_FIELDS).first()
        if row is None:
            status = model.objects.filter(pk=job_id).values_list("status", flat=True).first()
            if status != JobStatus.QUEUED:
                # Unknown, or a run is writing its outcome (it holds the row until it ends).
                return ("not queued" if status is None else "busy"), ""
            # A queued job's row is held only for a moment (a cancellation, beat): wait.
            row = claimable.select_for_update().values(*_CLAIM_FIELDS).first()
            if row is None:
                return "not queued", ""
        if row["status"] == JobStatus.RUNNING and not row["lapsed"]:
            return "busy", ""
        if row["status"] not in (JobStatus.QUEUED, JobStatus.RUNNING):
            return "not queued", ""
        taking_over = row["status"] == JobStatus.RUNNING
        if taking_over and (
            row["cancel_requested"] or row["attempts"] >= settings.UPLOAD_JOB_MAX_ATTEMPTS
        ):
            fields: dict[str, object] = {
                "status": JobStatus.CANCELLED,
                "finished_at": timezone.now(),
                "claim_token": None,
                "lease_until": None,
            }
            if not row["cancel_requested"]:
                fields.update(
                    status=JobStatus.FAILED,
                    error=_(
                        "The job stopped %(count)d times before it finished; it was not "
                        "started again."
                    )
                    % {"count": row["attempts"]},
                )
            model.objects.filter(pk=job_id).update(**fields)
            return ("cancelled" if row["cancel_requested"] else "given up"), ""
        model.objects.filter(pk=job_id).update(
            status=JobStatus.RUNNING,
            claim_token=token,
            lease_until=_lease_end(),
            attempts=F("attempts") + 1,
            started_at=Coalesce("started_at", Now()),
            # A new run reads the file from its start.
            bytes_read=0,
            lines_read=0,
            values_read=0,
        )
    if taking_over:
        logger.warning("%s %s taken over from a run whose lease lapsed", model.__name__, job_id)
    return "claimed", str(token)


def upload_job_run(
    model: type[Any],
    job_id: int,
    *,
    table: str,
    related: tuple[str, ...],
    prepare: Callable[[Any], None],
    load: Callable[[Any, CountingReader, str], Any],
    finish: Callable[[Any, str, Any], None],
    audit: Callable[[Any, str, HashFileError | None], None],
) -> str:
    """Run one queued upload job exactly once, however often it is delivered or killed.

    A run claims the job with a token and a lease (``_claim``); a second delivery finds it
    busy, unless the lease has lapsed (the worker was killed), when it takes the job over
    and starts again from the file's first byte. ``load`` reads the upload into the
    temporary table ``<table>_<id>`` of this session (nothing permanent: a killed run
    leaves nothing behind but the progress figures), calling ``upload_job_progress``
    between chunks, which renews the lease (a heartbeat thread renews it too, through a
    long statement, while the process lives). ``finish`` writes the outcome in one
    transaction that first locks the job's row as the holder of the current token, so a
    run whose lease was taken meanwhile writes nothing, and no one takes over a run that
    is writing. A failure or a cancellation marks the job, saying where reading stopped,
    and keeps nothing; the temporary table goes in any case, the upload unless the job
    was lost to another run (which reads it).
    """
    verdict, token = _claim(model, job_id)
    if verdict == "given up":
        _audit_lapsed(model, job_id, JobStatus.FAILED, related, audit)
    if verdict == "cancelled":
        _audit_lapsed(model, job_id, JobStatus.CANCELLED, related, audit)
    if verdict != "claimed":
        return verdict
    job = model.objects.select_related(*related).get(pk=job_id)
    probes = f"{table}_{job.pk}"
    reader: CountingReader | None = None
    outcome, error, lost = JobStatus.FAILED, None, False
    heartbeat = _Heartbeat(model, job.pk, token)
    _heartbeats[(model._meta.label, job.pk)] = heartbeat
    heartbeat.start()
    try:
        prepare(job)
        with open(job.upload_path, "rb") as raw:
            reader = CountingReader(raw)
            loaded = load(job, reader, probes)
        with transaction.atomic():
            # Locked until the outcome is written: nobody takes the job over meanwhile.
            held = model.objects.select_for_update().filter(
                pk=job.pk, status=JobStatus.RUNNING, claim_token=token
            )
            if not held.values_list("pk", flat=True):
                raise JobLost
            finish(job, probes, loaded)
        return "done"
    except JobLost:
        lost = True
        logger.warning(
            "%s %s was taken over by another run; this run stops", model.__name__, job_id
        )
        return "lost"
    except JobCancelled:
        outcome = JobStatus.CANCELLED
        return "cancelled"
    except HashFileError as failure:
        error = failure
        return "failed"
    except FileNotFoundError:
        error = HashFileError(_("The upload is gone."))
        return "failed"
    except Exception:
        logger.exception("%s %s failed", model.__name__, job_id)
        error = HashFileError(_("The job failed unexpectedly."))
        raise
    finally:
        heartbeat.stop()
        _heartbeats.pop((model._meta.label, job.pk), None)
        if not lost and (outcome == JobStatus.CANCELLED or error is not None):
            if _stop(model, job, token, outcome, reader, error):
                audit(job, outcome, error)
            else:
                lost = True
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {probes}")
        if not lost:
            upload_discard(job.upload_path)


def _audit_lapsed(
    model: type[Any],
    job_id: int,
    status: str,
    related: tuple[str, ...],
    audit: Callable[[Any, str, HashFileError | None], None],
) -> None:
    """Record a lapsed job stopped instead of run again, and remove its upload."""
    job = model.objects.select_related(*related).get(pk=job_id)
    audit(job, status, HashFileError(job.error) if job.error else None)
    upload_discard(job.upload_path)


def _stop(
    model: type[Any],
    job: Any,
    token: str,
    status: str,
    reader: CountingReader | None,
    error: HashFileError | None,
) -> bool:
    """Mark the job stopped, as the holder of its claim; False when another run holds it."""
    fields: dict[str, object] = {
        "status": status,
        "finished_at": timezone.now(),
        "claim_token": None,
        "lease_until": None,
    }
    if reader is not None:
        fields.update(bytes_read=reader.bytes_read, lines_read=reader.lines_read)
    if error is not None:
        byte = error.byte if error.byte is not None else (reader.bytes_read if reader else None)
        fields.update(error=str(error.message)[:500], error_line=error.line, error_byte=byte)
    return bool(
        model.objects.filter(pk=job.pk, status=JobStatus.RUNNING, claim_token=token).update(
            **fields
        )
    )


def upload_jobs_requeue(*, kinds: Sequence[tuple[type[Any], str]]) -> int:
    """Queue again, through the outbox, jobs no worker holds: how many.

    A running job whose lease lapsed (its worker was killed and the broker has not given
    the task back) and a queued job that has waited ten leases (its message was lost);
    each at most once a lease, so a busy queue does not fill with copies. The task they
    reach claims the job as usual (``upload_job_run``): a copy too many finds it busy.
    """
    lease = timedelta(seconds=settings.UPLOAD_JOB_LEASE_SECONDS)
    stalled = (_lapsed() | Q(status=JobStatus.QUEUED, created_at__lt=Now() - lease * 10)) & (
        Q(requeued_at__isnull=True) | Q(requeued_at__lt=Now() - lease)
    )
    queued = 0
    for model, task_name in kinds:
        with transaction.atomic():
            ids = list(
                model.objects.select_for_update(skip_locked=True)
                .filter(stalled)
                .order_by("pk")
                .values_list("pk", flat=True)[:_REQUEUE_BATCH]
            )
            model.objects.filter(pk__in=ids).update(requeued_at=Now())
            for job_id in ids:
                enqueue_after_commit(task_name, job_id)
        for job_id in ids:
            logger.warning("%s %s queued again: no worker holds it", model.__name__, job_id)
        queued += len(ids)
    return queued
