"""Importing a hash file into a series, and the owner's changes to a series' hashes.

An import is a worker job like a triage job (``cases.services.triage``): the upload is
read as a stream into a temporary table by COPY, then everything is written in one
transaction — the new values, the deconfliction notices of values already held by
another series (never moved: "as today", ``cases.services.hashes``), the counts and the
audit event. Importing the same file twice adds nothing; a malformed or truncated file
fails the job with the line and byte where reading stopped, and nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import access
from cases.choices import HashAlgorithm, HashSource, VicsCategory
from cases.hash_files import CountingReader, HashFileError, HashFileRecord, hash_file_records
from cases.hash_values import hash_value_normalise, sql_hash_digest
from cases.models import (
    DeconflictionNotice,
    HashImportJob,
    JobStatus,
    KnownHash,
    Series,
    SeriesFollower,
)
from cases.services.common import casework_users, require_casework_writer
from cases.services.uploads import (
    upload_discard,
    upload_job_cancel_request,
    upload_job_progress,
    upload_job_run,
    upload_store,
)
from victimid import audit_actions
from victimid.jobs import enqueue_after_commit
from victimid.models import NotificationKind, User
from victimid.services.audit import audit_record
from victimid.services.notifications import notifications_create

__all__ = [
    "IMPORT_TASK",
    "hash_import_cancel",
    "hash_import_create",
    "hash_import_run",
    "known_hash_move",
    "known_hash_remove",
]


IMPORT_TASK = "cases.tasks.run_hash_import"
CHUNK = 50_000
_AMBIGUOUS = {64: (HashAlgorithm.SHA256, HashAlgorithm.PDQ)}


def hash_import_create(
    *, actor: User, series: Series, upload: UploadedFile, file_format: str = ""
) -> HashImportJob:
    """Store the upload and queue its import into a series the actor's agency owns."""
    require_casework_writer(actor)
    access.require_editable(actor, series)
    stored = upload_store(upload, file_format=file_format)
    try:
        with transaction.atomic():
            job = HashImportJob.objects.create(
                created_by=actor,
                agency_id=actor.agency_id or 0,  # require_casework_writer: never None
                series=series,
                file_name=stored.name,
                file_format=stored.file_format,
                file_bytes=stored.size,
                upload_path=stored.path,
            )
            audit_record(
                actor=actor,
                action=audit_actions.HASH_IMPORT_CREATED,
                target=series,
                details={"job": job.pk, "bytes": stored.size, "format": stored.file_format},
            )
            enqueue_after_commit(IMPORT_TASK, job.pk)
    except BaseException:
        upload_discard(stored.path)
        raise
    return job


def hash_import_cancel(*, actor: User, job: HashImportJob) -> HashImportJob:
    """Stop an import: a queued one (or one no worker holds) at once, a running one at the
    worker's next chunk, before anything of it is written."""
    access.require_editable(actor, job)
    if job.is_finished:
        raise ValidationError(_("This import has already finished."), code="finished")
    with transaction.atomic():
        stopped = upload_job_cancel_request(HashImportJob, job)
        audit_record(
            actor=actor,
            action=audit_actions.HASH_IMPORT_CANCELLED,
            target=job.series,
            details={"job": job.pk},
        )
    if stopped:
        upload_discard(job.upload_path)
    job.refresh_from_db()
    return job


def _import_row(record: HashFileRecord) -> tuple[int, str, str, int, bool]:
    """(line, algorithm, stored value, category, distributed) of one record; or where it fails."""
    algorithm = record.algorithm
    if not algorithm:
        raw = record.value.strip()
        if len(raw) == 32:
            algorithm = HashAlgorithm.MD5
        elif len(raw) == 40:
            algorithm = HashAlgorithm.SHA1
        elif len(raw) in _AMBIGUOUS:
            raise HashFileError(
                _("64 hex digits are SHA-256 or PDQ: write sha256:value or pdq:value."),
                line=record.line,
            )
        else:
            algorithm = HashAlgorithm.PHOTODNA
    try:
        value = hash_value_normalise(algorithm, record.value)
    except ValidationError as error:
        raise HashFileError(" ".join(error.messages), line=record.line) from None
    category = VicsCategory.UNCATEGORISED if record.category is None else record.category
    if category > 32767:
        raise HashFileError(_("Category is out of range."), line=record.line)
    return record.line, algorithm, value, category, record.flags.get("distributed", False)


def hash_import_run(*, job_id: int) -> str:
    """Run one queued import (the worker's task); safe to run twice: the first claims it."""
    return upload_job_run(
        HashImportJob,
        job_id,
        table="import_probe",
        related=("created_by__agency", "series"),
        prepare=_still_editable,
        load=_load,
        finish=_finish,
        audit=_audit_stop,
    )


def _still_editable(job: HashImportJob) -> None:
    if not access.can_edit(job.created_by, job.series):
        raise HashFileError(_("You may no longer change this series."))


def _audit_stop(job: HashImportJob, status: str, error: HashFileError | None) -> None:
    audit_record(
        actor=job.created_by,
        action=audit_actions.HASH_IMPORT_FAILED,
        target=job.series,
        details={"job": job.pk, "status": status, "line": error.line if error else None},
    )


def _load(job: HashImportJob, reader: CountingReader, probes: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {probes} (line bigint NOT NULL, algorithm text NOT NULL,"
            " value text NOT NULL, category smallint NOT NULL, distributed boolean NOT NULL)"
        )
    count = 0
    chunk: list[tuple[int, str, str, int, bool]] = []
    for record in hash_file_records(reader, job.file_format):
        chunk.append(_import_row(record))
        count += 1
        if len(chunk) >= CHUNK:
            _copy(probes, chunk)
            chunk = []
            upload_job_progress(job, reader, values_read=count)
    if chunk:
        _copy(probes, chunk)
    if count == 0:
        raise HashFileError(_("The file holds no hash value."), line=reader.lines_read + 1)
    return count


def _copy(probes: str, rows: list[tuple[int, str, str, int, bool]]) -> None:
    """COPY a chunk as text lines written here (a third of the time of ``write_row``).

    Nothing needs escaping: every value has passed ``hash_value_normalise`` (hex, or
    base64 for PhotoDNA), algorithms are names of ``HashAlgorithm``, and the rest are
    numbers and flags.
    """
    text = "".join(
        f"{line}\t{algorithm}\t{value}\t{category}\t{'t' if distributed else 'f'}\n"
        for line, algorithm, value, category, distributed in rows
    )
    with (
        connection.cursor() as cursor,
        cursor.copy(
            f"COPY {probes} (line, algorithm, value, category, distributed) FROM STDIN"
        ) as copy,
    ):
        copy.write(text.encode())


def _finish(job: HashImportJob, probes: str, records: int) -> None:
    """Add what is new, record the conflicts, count; one transaction."""
    distinct = _DISTINCT_IN_INDEX_ORDER.format(
        digest=sql_hash_digest("algorithm", "value"), probes=probes
    )
    with transaction.atomic(), connection.cursor() as cursor:
        added = _add_all_new(cursor, distinct, job)
        if added is not None:
            already = conflicts = 0
        else:
            added, already, conflicts = _add_what_is_new(cursor, probes, distinct, job)
        finished = HashImportJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.DONE,
            finished_at=timezone.now(),
            values_read=records,
            added=added,
            already_in_series=already,
            conflicts=conflicts,
        )
        if not finished:
            transaction.set_rollback(True)
            return
        audit_record(
            actor=job.created_by,
            action=audit_actions.HASHES_ADDED,
            target=job.series,
            details={
                "count": added,
                "source": HashSource.IMPORT,
                "job": job.pk,
                "already_in_series": already,
                "conflicts": conflicts,
            },
        )


# Every value of the file, once (its first line's category wins), as the digest bytes the
# known set holds, in the order of the known set's unique index: inserted in that order,
# each leaf page of the index is written once, not once per value (28 s against 10 s for
# a million values into ten million, measured).
_DISTINCT_IN_INDEX_ORDER = (
    "SELECT DISTINCT ON (algorithm, digest) line, algorithm, value, digest, category,"
    " distributed FROM (SELECT *, {digest} AS digest FROM {probes}) p"
    " ORDER BY algorithm, digest, line"
)
_KNOWN_COLUMNS = (
    "(series_id, algorithm, value, vics_category, distributed, submitting_agency_id,"
    " source, created_at)"
)


def _add_all_new(cursor: Any, distinct: str, job: HashImportJob) -> int | None:
    """Insert every value of the file in one plain statement, if none is known yet.

    The common import is of values nobody holds. Joining them with the known set first
    (to find those already held) costs as much as inserting them; instead they are
    inserted outright, in a savepoint, and the unique index refuses the statement at the
    first value already held by any series. Then (``None``) the savepoint is rolled back
    and ``_add_what_is_new`` joins and sorts them out: a re-import is refused by its first
    value, a file with a few known values wastes the part inserted before the first.
    """
    try:
        with transaction.atomic():
            cursor.execute(
                f"INSERT INTO {KnownHash._meta.db_table} {_KNOWN_COLUMNS}"  # noqa: S608
                " SELECT %s, p.algorithm, p.digest, p.category, p.distributed, %s, %s, now()"
                f" FROM ({distinct}) p",
                [job.series_id, job.series.agency_id, HashSource.IMPORT],
            )
            return int(cursor.rowcount)
    except IntegrityError as error:
        if getattr(getattr(error.__cause__, "diag", None), "constraint_name", "") != (
            "known_hash_value_once"
        ):
            raise
        return None


def _add_what_is_new(
    cursor: Any, probes: str, distinct: str, job: HashImportJob
) -> tuple[int, int, int]:
    """Some values are known: add the others, record the conflicts; (added, already, conflicts)."""
    series = job.series
    known = KnownHash._meta.db_table
    cursor.execute(f"CREATE TEMP TABLE {probes}_u ON COMMIT DROP AS {distinct}")
    # The known set is joined once: the values already known, and where.
    cursor.execute(
        f"CREATE TEMP TABLE {probes}_m ON COMMIT DROP AS"  # noqa: S608
        " SELECT p.algorithm, p.value, k.series_id"
        f" FROM {probes}_u p JOIN {known} k"
        " ON k.algorithm = p.algorithm AND k.value = p.digest"
    )
    cursor.execute(
        "SELECT count(*) FILTER (WHERE series_id = %s),"  # noqa: S608
        f" count(*) FILTER (WHERE series_id <> %s) FROM {probes}_m",
        [series.pk, series.pk],
    )
    already, conflicts = cursor.fetchone()
    # ON CONFLICT: a value another import adds meanwhile is left to it (and is neither
    # added nor counted here).
    cursor.execute(
        f"INSERT INTO {known} {_KNOWN_COLUMNS}"  # noqa: S608
        " SELECT %s, p.algorithm, p.digest, p.category, p.distributed, %s, %s, now()"
        f" FROM {probes}_u p"
        f" WHERE NOT EXISTS (SELECT 1 FROM {probes}_m m"
        " WHERE m.algorithm = p.algorithm AND m.value = p.value)"
        " ORDER BY p.algorithm, p.digest"
        " ON CONFLICT (algorithm, value) DO NOTHING",
        [series.pk, series.agency_id, HashSource.IMPORT],
    )
    added = int(cursor.rowcount)
    if conflicts:
        _record_conflicts(cursor, probes, job)
    return added, already, conflicts


def _record_conflicts(cursor: object, probes: str, job: HashImportJob) -> None:
    """Deconfliction notices for values another series holds, and one audit per holder."""
    series = job.series
    notices = DeconflictionNotice._meta.db_table
    cursor.execute(  # type: ignore[attr-defined]
        f"INSERT INTO {notices} (algorithm, value, existing_series_id, requesting_series_id,"  # noqa: S608
        " existing_agency_id, requesting_agency_id, requested_by_id, created_at)"
        " SELECT m.algorithm, m.value, m.series_id, %s, s.agency_id, %s, %s, now()"
        f" FROM {probes}_m m JOIN {Series._meta.db_table} s ON s.id = m.series_id"
        " WHERE m.series_id <> %s"
        " ON CONFLICT (algorithm, value, requesting_series_id) DO NOTHING",
        [series.pk, series.agency_id, job.created_by_id, series.pk],
    )
    cursor.execute(  # type: ignore[attr-defined]
        f"SELECT series_id, count(*) FROM {probes}_m"  # noqa: S608
        " WHERE series_id <> %s GROUP BY series_id",
        [series.pk],
    )
    holders = dict(cursor.fetchall())  # type: ignore[attr-defined]
    for holder in Series.objects.filter(pk__in=holders).order_by("pk"):
        audit_record(
            actor=job.created_by,
            action=audit_actions.DECONFLICTION_RECORDED,
            target=holder,
            details={
                "requesting_series": series.code,
                "requesting_agency": series.agency_id,
                "existing_agency": holder.agency_id,
                "values": holders[holder.pk],
            },
        )


# --- The owner's changes to a series' hashes ---------------------------------------------------


def _reason(reason: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise ValidationError({"reason": _("Say why.")})
    if len(text) > 500:
        raise ValidationError({"reason": _("At most 500 characters.")})
    return text


def _tell_followers(
    series_list: list[Series], message: Callable[[Series], str], actor: User
) -> None:
    """Notify the series' owners and followers who may still see it (not the actor)."""
    for series in series_list:
        followers = [
            link.user
            for link in SeriesFollower.objects.filter(
                series=series, user__is_active=True
            ).select_related("user__agency")
        ]
        recipients = [
            user
            for user in [*casework_users(agency_id=series.agency_id), *followers]
            if user.pk != actor.pk and access.can_view(user, series)
        ]
        notifications_create(
            recipients=recipients,
            kind=NotificationKind.DECONFLICTION,
            subject_type="series",
            subject_ref=series.code,
            message=message(series),
        )


def known_hash_remove(*, actor: User, known_hash: KnownHash, reason: str) -> None:
    """Remove a hash value from its series (the owner only), with a reason; recorded."""
    series = known_hash.series
    access.require_editable(actor, series)
    text = _reason(reason)
    with transaction.atomic():
        KnownHash.objects.filter(pk=known_hash.pk).delete()
        audit_record(
            actor=actor,
            action=audit_actions.HASH_REMOVED,
            target=series,
            details={"hash": known_hash.pk, "algorithm": known_hash.algorithm, "reason": text},
        )
        _tell_followers(
            [series],
            lambda about: (
                _("A %(algorithm)s value was removed from series %(series)s: %(reason)s")
                % {"algorithm": known_hash.algorithm, "series": about.code, "reason": text}
            ),
            actor,
        )


def known_hash_move(
    *, actor: User, known_hash: KnownHash, target: Series, reason: str
) -> KnownHash:
    """Move a hash value to another series its owner also owns, with a reason; recorded."""
    source = known_hash.series
    access.require_editable(actor, source)
    access.require_editable(actor, target)
    if target.pk == source.pk:
        raise ValidationError({"series": _("The value is already in this series.")})
    text = _reason(reason)
    with transaction.atomic():
        KnownHash.objects.filter(pk=known_hash.pk).update(series=target)
        audit_record(
            actor=actor,
            action=audit_actions.HASH_MOVED,
            target=target,
            details={
                "hash": known_hash.pk,
                "from": source.code,
                "to": target.code,
                "reason": text,
            },
        )
        _tell_followers(
            [source, target],
            lambda _about: (
                _("A %(algorithm)s value was moved from series %(from)s to %(to)s: %(reason)s")
                % {
                    "algorithm": known_hash.algorithm,
                    "from": source.code,
                    "to": target.code,
                    "reason": text,
                }
            ),
            actor,
        )
    known_hash.refresh_from_db()
    return known_hash
