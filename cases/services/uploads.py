"""Hash files uploaded for a worker: kept on disk while they wait, never in memory."""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.hash_files import FORMATS, CountingReader, HashFileError, hash_file_format
from cases.models import JobStatus
from victimid.uploads import upload_store as file_store

__all__ = ["JobCancelled", "StoredUpload", "upload_discard", "upload_job_run", "upload_store"]

logger = logging.getLogger(__name__)

_CHUNK = 1024 * 1024


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
    """Run one queued upload job; safe to run twice: the first run claims it.

    The claim is a conditional UPDATE (``queued → running``). ``load`` reads the upload
    into the temporary table ``<table>_<id>`` of this session; ``finish`` writes the
    outcome in one transaction. A failure or a cancellation marks the job, saying where
    reading stopped, and keeps nothing; the temporary table and the upload go in any case.
    """
    claimed = model.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = model.objects.select_related(*related).get(pk=job_id)
    probes = f"{table}_{job.pk}"
    reader: CountingReader | None = None
    outcome, error = JobStatus.FAILED, None
    try:
        prepare(job)
        with open(job.upload_path, "rb") as raw:
            reader = CountingReader(raw)
            loaded = load(job, reader, probes)
        finish(job, probes, loaded)
        return "done"
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
        if outcome == JobStatus.CANCELLED or error is not None:
            _stop(model, job, outcome, reader, error)
            audit(job, outcome, error)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {probes}")
        upload_discard(job.upload_path)


def _stop(
    model: type[Any],
    job: Any,
    status: str,
    reader: CountingReader | None,
    error: HashFileError | None,
) -> None:
    fields: dict[str, object] = {"status": status, "finished_at": timezone.now()}
    if reader is not None:
        fields.update(bytes_read=reader.bytes_read, lines_read=reader.lines_read)
    if error is not None:
        byte = error.byte if error.byte is not None else (reader.bytes_read if reader else None)
        fields.update(error=str(error.message)[:500], error_line=error.line, error_byte=byte)
    model.objects.filter(pk=job.pk).update(**fields)
