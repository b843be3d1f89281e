"""Triage jobs: a seizure's whole hash list checked against the known set by a worker.

The upload is stored on disk and read by the worker as a stream (``cases.hash_files``);
values go to a temporary table of the worker's session by COPY, in chunks, with the
progress written between chunks. The known set is then joined once, the series hit are
judged by the access policy as the job's user (one ORM query with the identification
counts), and the results are written in one statement, in one transaction with the
counts and the audit event: a job that fails or is cancelled leaves no results. A job
never adds to the known set; audit events keep ids and counts, never probe values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.choices import HashAlgorithm
from cases.hash_files import (
    PLAIN,
    CountingReader,
    HashFileError,
    HashFileRecord,
    hash_file_records,
)
from cases.hash_values import hash_probe_normalise, sql_hash_digest
from cases.models import JobStatus, KnownHash, Series, TriageJob, TriageOutcome, TriageResult
from cases.selectors.victims import series_identification_counts_of
from cases.services.common import require_casework_writer
from cases.services.lookups import restricted_lookups_notify
from cases.services.plain_lists import plain_list_load
from cases.services.uploads import (
    upload_discard,
    upload_job_cancel_request,
    upload_job_progress,
    upload_job_run,
    upload_store,
)
from victimid import audit_actions
from victimid.jobs import enqueue_after_commit
from victimid.models import User
from victimid.services.audit import audit_record

__all__ = [
    "TRIAGE_TASK",
    "triage_job_cancel",
    "triage_job_create",
    "triage_job_run",
    "triage_results_purge",
]


TRIAGE_TASK = "cases.tasks.run_triage_job"
# Values written per COPY; progress and a cancellation are looked at between chunks.
CHUNK = 50_000


def triage_job_create(*, actor: User, upload: UploadedFile, file_format: str = "") -> TriageJob:
    """Store the upload and queue its job; the worker starts once this commits."""
    require_casework_writer(actor)
    stored = upload_store(upload, file_format=file_format)
    try:
        with transaction.atomic():
            job = TriageJob.objects.create(
                created_by=actor,
                agency_id=actor.agency_id or 0,  # require_casework_writer: never None
                file_name=stored.name,
                file_format=stored.file_format,
                file_bytes=stored.size,
                upload_path=stored.path,
                expires_at=timezone.now() + timedelta(days=settings.TRIAGE_RESULT_DAYS),
            )
            audit_record(
                actor=actor,
                action=audit_actions.TRIAGE_JOB_CREATED,
                target=job,
                details={"bytes": stored.size, "format": stored.file_format},
            )
            enqueue_after_commit(TRIAGE_TASK, job.pk)
    except BaseException:
        upload_discard(stored.path)
        raise
    return job


def triage_job_cancel(*, actor: User, job: TriageJob) -> TriageJob:
    """Stop a job: a queued one (or one no worker holds) at once, a running one at the
    worker's next chunk."""
    access.require_editable(actor, job)
    if job.is_finished:
        raise ValidationError(_("This job has already finished."), code="finished")
    with transaction.atomic():
        stopped = upload_job_cancel_request(TriageJob, job)
        audit_record(actor=actor, action=audit_actions.TRIAGE_JOB_CANCELLED, target=job)
    if stopped:
        upload_discard(job.upload_path)
    job.refresh_from_db()
    return job


@dataclass
class _Reading:
    """Where the worker is in the file, for progress and for the error of a failure."""

    records: int = 0
    ambiguous: int = 0


def triage_job_run(*, job_id: int) -> str:
    """Run one queued job (the worker's task); safe to run twice: the first claims it."""
    return upload_job_run(
        TriageJob,
        job_id,
        table="triage_probe",
        related=("created_by__agency",),
        prepare=lambda job: None,
        load=_load_probes,
        finish=_finish,
        audit=_audit_stop,
    )


def _audit_stop(job: TriageJob, status: str, error: HashFileError | None) -> None:
    audit_record(
        actor=job.created_by,
        action=audit_actions.TRIAGE_JOB_FINISHED,
        target=job,
        details={"status": status, "line": error.line if error else None},
    )


def _probe_rows(record: HashFileRecord) -> list[tuple[int, str, str, bool]]:
    try:
        pairs = hash_probe_normalise(record.value, record.algorithm)
    except ValidationError as error:
        raise HashFileError(
            _("Not a hash value: %(problem)s") % {"problem": " ".join(error.messages)},
            line=record.line,
        ) from None
    either = len(pairs) > 1
    return [(record.line, algorithm, value, either) for algorithm, value in pairs]


def _load_probes(job: TriageJob, reader: CountingReader, probes: str) -> _Reading:
    """COPY the file's values into a temporary table, chunk by chunk, with progress.

    ``algorithm`` allows NULL only for the plain-list reader, whose lines that are not
    hash values land there without one and fail the file before anything is joined.
    """
    reading = _Reading()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {probes}"
            " (line bigint NOT NULL, algorithm text, value text NOT NULL,"
            " either boolean NOT NULL)"
        )
    if job.file_format == PLAIN:
        reading.records, reading.ambiguous = plain_list_load(
            reader,
            probes,
            max_lines=settings.TRIAGE_MAX_LINES,
            progress=lambda lines: _progress(job, reader, reading),
        )
        return reading
    records = hash_file_records(reader, job.file_format)
    while True:
        chunk = _next_chunk(records, job, reader, reading)
        if not chunk:
            break
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {probes} (line, algorithm, value, either) FROM STDIN") as copy,
        ):
            for row in chunk:
                copy.write_row(row)
        _progress(job, reader, reading)
    return reading


def _next_chunk(
    records: Iterator[HashFileRecord],
    job: TriageJob,
    reader: CountingReader,
    reading: _Reading,
) -> list[tuple[int, str, str, bool]]:
    chunk: list[tuple[int, str, str, bool]] = []
    for record in records:
        rows = _probe_rows(record)
        reading.records += 1
        if len(rows) > 1:
            reading.ambiguous += 1
        chunk.extend(rows)
        if record.line > settings.TRIAGE_MAX_LINES:
            raise HashFileError(
                _("The file has more than %(max)d lines.") % {"max": settings.TRIAGE_MAX_LINES},
                line=record.line,
                byte=reader.bytes_read,
            )
        if len(chunk) >= CHUNK:
            break
    return chunk


def _progress(job: TriageJob, reader: CountingReader, reading: _Reading) -> None:
    upload_job_progress(job, reader, values_read=reading.records)


def _finish(job: TriageJob, probes: str, reading: _Reading) -> None:
    """Join the known set once, judge the series hit as the job's user, write the results."""
    user = job.created_by
    hits = f"triage_hit_{job.pk}"
    with transaction.atomic(), connection.cursor() as cursor:
        # The results table checks no keys row by row (``TriageResult``): the job and the
        # series the results name are locked here, once each, so neither goes meanwhile.
        cursor.execute(
            f"SELECT 1 FROM {TriageJob._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608
            [job.pk],
        )
        # A temporary table has no statistics until analysed: without them the planner
        # guesses the probes' number from its pages, and picks its join blind.
        cursor.execute(f"ANALYZE {probes}")
        distinct = "DISTINCT ON (p.line) " if reading.ambiguous else ""
        order = " ORDER BY p.line, k.algorithm" if reading.ambiguous else ""
        cursor.execute(
            f"CREATE TEMP TABLE {hits} ON COMMIT DROP AS"  # noqa: S608
            f" SELECT {distinct}p.line, k.algorithm, k.series_id, k.vics_category"
            f" FROM {probes} p JOIN {KnownHash._meta.db_table} k"
            f" ON k.algorithm = p.algorithm"
            f" AND k.value = {sql_hash_digest('p.algorithm', 'p.value')}{order}"
        )
        cursor.execute(
            f"SELECT 1 FROM {Series._meta.db_table}"  # noqa: S608
            f" WHERE id IN (SELECT series_id FROM {hits}) FOR KEY SHARE"
        )
        visible = list(
            access.restrict(
                Series.objects.filter(
                    pk__in=RawSQL(f"SELECT DISTINCT series_id FROM {hits}", [])  # noqa: S608,S611
                ),
                user,
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # The children identified in each, in one grouped query (as the lookup counts them):
        # three correlated counts per series took 3 s for the 2,200 series a million
        # values hit at full scale.
        children = series_identification_counts_of(actor=user, series_ids=visible)
        identified = [bool(children.get(pk, (0, 0, 0))[1]) for pk in visible]
        # The judged series join each hit once (a hash join on a few thousand rows), not
        # an array searched per value: the outcome of a million values in one statement.
        judged_sql = "unnest(%(visible)s::bigint[], %(identified)s::boolean[]) AS j(id, identified)"
        cursor.execute(
            f"INSERT INTO {TriageResult._meta.db_table}"  # noqa: S608
            " (job_id, line, algorithm, value, outcome, series_id, vics_category)"
            " SELECT %(job)s, p.line,"
            "  CASE WHEN j.id IS NOT NULL THEN h.algorithm"
            "   WHEN p.either THEN '' ELSE p.algorithm END,"
            "  p.value,"
            "  CASE WHEN h.line IS NULL THEN %(new)s"
            "   WHEN j.id IS NULL THEN %(known_restricted)s"
            "   WHEN j.identified THEN %(known_identified)s"
            "   ELSE %(known_not_identified)s END,"
            "  j.id, CASE WHEN j.id IS NOT NULL THEN h.vics_category END"
            f" FROM {probes} p LEFT JOIN {hits} h ON h.line = p.line"
            f"  LEFT JOIN {judged_sql} ON j.id = h.series_id"
            "  WHERE NOT p.either OR p.algorithm = %(first)s",
            {
                "job": job.pk,
                "visible": visible,
                "identified": identified,
                "new": TriageOutcome.NEW,
                "known_identified": TriageOutcome.KNOWN_IDENTIFIED,
                "known_not_identified": TriageOutcome.KNOWN_NOT_IDENTIFIED,
                "known_restricted": TriageOutcome.KNOWN_RESTRICTED,
                "first": HashAlgorithm.SHA256,
            },
        )
        cursor.execute(
            f"SELECT h.series_id, count(*) FROM {hits} h"  # noqa: S608
            f" LEFT JOIN {judged_sql} ON j.id = h.series_id"
            " WHERE j.id IS NULL GROUP BY h.series_id",
            {"visible": visible, "identified": identified},
        )
        restricted = {series_id: count for series_id, count in cursor.fetchall()}
        cursor.execute(
            f"SELECT outcome, count(*) FROM {TriageResult._meta.db_table}"  # noqa: S608
            " WHERE job_id = %s GROUP BY outcome",
            [job.pk],
        )
        counts = {outcome: count for outcome, count in cursor.fetchall()}
        restricted_lookups_notify(actor=user, restricted=restricted)
        finished = TriageJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.DONE,
            finished_at=timezone.now(),
            values_read=reading.records,
            known_identified=counts.get(TriageOutcome.KNOWN_IDENTIFIED, 0),
            known_not_identified=counts.get(TriageOutcome.KNOWN_NOT_IDENTIFIED, 0),
            known_restricted=counts.get(TriageOutcome.KNOWN_RESTRICTED, 0),
            new_values=counts.get(TriageOutcome.NEW, 0),
        )
        if not finished:  # stopped meanwhile: nothing of it stays
            transaction.set_rollback(True)
            return
        audit_record(
            actor=user,
            action=audit_actions.TRIAGE_JOB_FINISHED,
            target=job,
            details={"values": reading.records, **{str(k): v for k, v in counts.items()}},
        )


def triage_results_purge(*, now: datetime | None = None) -> int:
    """Delete the probe values of every job whose results have expired; how many jobs.

    The job keeps its counts (no values); its results and any upload left are removed.
    """
    moment = now or timezone.now()
    expired = list(
        TriageJob.objects.filter(expires_at__lte=moment, purged_at__isnull=True).values_list(
            "pk", "upload_path"
        )
    )
    for pk, path in expired:
        with transaction.atomic():
            TriageResult.objects.filter(job_id=pk).delete()
            TriageJob.objects.filter(pk=pk).update(purged_at=moment)
        upload_discard(path)
    if expired:
        audit_record(
            actor=None, action=audit_actions.TRIAGE_JOBS_PURGED, details={"jobs": len(expired)}
        )
    return len(expired)
