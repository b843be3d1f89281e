"""The lease of a triage or import job: a killed worker's job is taken over and done once."""

from __future__ import annotations

import os
import time
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.hash_files import CountingReader, HashFileError
from cases.models import HashImportJob, JobStatus, KnownHash, TriageJob, TriageResult
from cases.services.imports import (
    IMPORT_TASK,
    hash_import_cancel,
    hash_import_create,
    hash_import_run,
)
from cases.services.triage import TRIAGE_TASK, triage_job_cancel, triage_job_create, triage_job_run
from cases.services.uploads import JobLost, upload_job_progress, upload_job_run, upload_jobs_requeue
from tests.factories import SeriesFactory
from victimid import audit_actions
from victimid.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db

VALUES = b"".join(b"%032x\n" % n for n in range(1, 6))
KINDS = ((TriageJob, TRIAGE_TASK), (HashImportJob, IMPORT_TASK))


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.TRIAGE_UPLOAD_DIR = str(tmp_path / "uploads")
    settings.UPLOAD_JOB_LEASE_SECONDS = 60
    settings.UPLOAD_JOB_MAX_ATTEMPTS = 3


def _triage_job(actor) -> TriageJob:
    return triage_job_create(actor=actor, upload=SimpleUploadedFile("seizure.txt", VALUES))


def _held(job, *, lapsed: bool, attempts: int = 1, **fields) -> uuid.UUID:
    """Mark ``job`` as held by a run (as a worker's claim leaves it); its token."""
    token = uuid.uuid4()
    lease = timedelta(seconds=-1 if lapsed else 60)
    type(job).objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        claim_token=token,
        lease_until=timezone.now() + lease,
        started_at=timezone.now() - timedelta(minutes=5),
        attempts=attempts,
        bytes_read=40,
        lines_read=1,
        **fields,
    )
    return token


def test_a_job_held_under_a_living_lease_is_not_taken_over(actors):
    job = _triage_job(actors.owner)
    token = _held(job, lapsed=False)

    assert triage_job_run(job_id=job.pk) == "busy"

    job.refresh_from_db()
    assert (job.status, job.claim_token, job.attempts) == (JobStatus.RUNNING, token, 1)
    assert not TriageResult.objects.filter(job=job).exists()
    assert os.path.exists(job.upload_path)  # the living run still reads it


def test_a_job_whose_lease_lapsed_is_taken_over_and_done_once(actors):
    job = _triage_job(actors.owner)
    token = _held(job, lapsed=True)

    assert triage_job_run(job_id=job.pk) == "done"

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.claim_token != token and job.attempts == 2
    assert job.new_values == 5 and job.values_read == 5
    assert TriageResult.objects.filter(job=job).count() == 5
    assert triage_job_run(job_id=job.pk) == "not queued"
    assert TriageResult.objects.filter(job=job).count() == 5
    assert not os.path.exists(job.upload_path)


def test_a_job_claimed_before_leases_existed_is_taken_over(actors):
    job = _triage_job(actors.owner)
    TriageJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, lease_until=None)

    assert triage_job_run(job_id=job.pk) == "done"
    assert TriageResult.objects.filter(job=job).count() == 5


def test_a_stale_run_may_not_write_progress(actors):
    job = _triage_job(actors.owner)
    _held(job, lapsed=True)
    lease = TriageJob.objects.get(pk=job.pk).lease_until
    job.claim_token = uuid.uuid4()  # the token this run had before another took over

    with open(job.upload_path, "rb") as raw, pytest.raises(JobLost):
        reader = CountingReader(raw)
        reader.read(1000)
        upload_job_progress(job, reader, values_read=5)

    job.refresh_from_db()
    assert (job.bytes_read, job.values_read, job.lease_until) == (40, 0, lease)


def _run_steps(job, table: str, *, load, finish, audit=lambda job, status, error: None) -> str:
    """Run ``job`` through the shared runner with the given steps (no preparation)."""
    return upload_job_run(
        TriageJob,
        job.pk,
        table=table,
        related=(),
        prepare=lambda job: None,
        load=load,
        finish=finish,
        audit=audit,
    )


def test_a_stale_run_writes_nothing_when_it_reaches_the_end(actors):
    """A run whose lease lapsed while it read loses the job to another and keeps out."""
    job = _triage_job(actors.owner)
    finished: list[str] = []

    def finish_as(name: str):
        def finish(job, probes, loaded):
            finished.append(name)
            TriageJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE, new_values=1)

        return finish

    def slow_load(job, reader, probes):
        # The lease lapses while this run reads; a redelivered task takes the job over.
        TriageJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(1))
        taken = _run_steps(
            job, "other_run", load=lambda job, reader, probes: None, finish=finish_as("other")
        )
        assert taken == "done"
        return None

    stale = _run_steps(job, "stale_run", load=slow_load, finish=finish_as("stale"))

    assert stale == "lost"
    assert finished == ["other"]
    assert TriageJob.objects.get(pk=job.pk).status == JobStatus.DONE


def test_a_stale_run_that_fails_leaves_the_job_to_its_new_holder(actors):
    job = _triage_job(actors.owner)
    _held(job, lapsed=True)

    def load(job, reader, probes):
        # Another run took the job over meanwhile; this one then finds the file bad.
        TriageJob.objects.filter(pk=job.pk).update(claim_token=uuid.uuid4())
        raise HashFileError("bad line", line=3)

    verdict = _run_steps(
        job,
        "stale_run",
        load=load,
        finish=lambda job, probes, loaded: None,
        audit=lambda job, status, error: pytest.fail("a stale run audits nothing"),
    )

    assert verdict == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.error == ""
    assert os.path.exists(job.upload_path)  # the new holder reads it


def test_a_job_that_stopped_too_often_is_given_up(actors):
    job = _triage_job(actors.owner)
    _held(job, lapsed=True, attempts=3)

    assert triage_job_run(job_id=job.pk) == "given up"

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert "3 times" in job.error
    assert not TriageResult.objects.filter(job=job).exists()
    assert not os.path.exists(job.upload_path)
    stop = AuditEvent.objects.filter(action=audit_actions.TRIAGE_JOB_FINISHED).get()
    assert stop.details["status"] == JobStatus.FAILED


def test_a_cancelled_job_whose_worker_died_is_stopped_at_once(actors):
    job = _triage_job(actors.owner)
    _held(job, lapsed=True)

    job = triage_job_cancel(actor=actors.owner, job=job)

    assert job.status == JobStatus.CANCELLED and job.claim_token is None
    assert not os.path.exists(job.upload_path)
    assert triage_job_run(job_id=job.pk) == "not queued"


def test_a_cancel_asked_of_a_living_run_waits_for_its_next_chunk(actors):
    job = _triage_job(actors.owner)
    token = _held(job, lapsed=False)

    job = triage_job_cancel(actor=actors.owner, job=job)

    assert (job.status, job.cancel_requested, job.claim_token) == (
        JobStatus.RUNNING,
        True,
        token,
    )


def test_jobs_no_worker_holds_are_queued_again_once_a_lease(actors, settings):
    lapsed = _triage_job(actors.owner)
    _held(lapsed, lapsed=True)
    living = _triage_job(actors.owner)
    _held(living, lapsed=False)
    fresh = _triage_job(actors.owner)  # queued a moment ago: its message is on its way
    lost = _triage_job(actors.owner)  # queued ten leases ago: its message was lost
    TriageJob.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    done = _triage_job(actors.owner)
    triage_job_run(job_id=done.pk)
    series = SeriesFactory(actor=actors.owner)
    lapsed_import = hash_import_create(
        actor=actors.owner, series=series, upload=SimpleUploadedFile("set.txt", VALUES)
    )
    _held(lapsed_import, lapsed=True)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))

    assert upload_jobs_requeue(kinds=KINDS) == 3

    queued = OutboxMessage.objects.exclude(pk__in=before)
    assert sorted((m.task_name, m.args[0]) for m in queued) == sorted(
        [(TRIAGE_TASK, lapsed.pk), (TRIAGE_TASK, lost.pk), (IMPORT_TASK, lapsed_import.pk)]
    )
    assert fresh.pk not in [m.args[0] for m in queued]
    # Not again while the copies are on their way.
    assert upload_jobs_requeue(kinds=KINDS) == 0
    # A lease later, still nobody holds them: once more.
    TriageJob.objects.update(requeued_at=timezone.now() - timedelta(minutes=2))
    assert upload_jobs_requeue(kinds=KINDS) == 2


def test_an_import_whose_worker_died_is_taken_over_and_adds_each_value_once(actors):
    series = SeriesFactory(actor=actors.owner)
    job = hash_import_create(
        actor=actors.owner, series=series, upload=SimpleUploadedFile("set.txt", VALUES)
    )
    _held(job, lapsed=True)

    assert hash_import_run(job_id=job.pk) == "done"
    assert hash_import_run(job_id=job.pk) == "not queued"

    job.refresh_from_db()
    assert (job.status, job.added, job.attempts) == (JobStatus.DONE, 5, 2)
    assert KnownHash.objects.filter(series=series).count() == 5
    assert AuditEvent.objects.filter(action=audit_actions.HASHES_ADDED).count() == 1


def test_an_import_is_cancelled_queued_or_running(actors):
    series = SeriesFactory(actor=actors.owner)
    queued = hash_import_create(
        actor=actors.owner, series=series, upload=SimpleUploadedFile("set.txt", VALUES)
    )
    running = hash_import_create(
        actor=actors.owner, series=series, upload=SimpleUploadedFile("set.txt", VALUES)
    )
    _held(running, lapsed=False)

    queued = hash_import_cancel(actor=actors.owner, job=queued)
    running = hash_import_cancel(actor=actors.owner, job=running)

    assert queued.status == JobStatus.CANCELLED and not os.path.exists(queued.upload_path)
    assert running.status == JobStatus.RUNNING and running.cancel_requested
    assert AuditEvent.objects.filter(action=audit_actions.HASH_IMPORT_CANCELLED).count() == 2
    assert not KnownHash.objects.filter(series=series).exists()


@pytest.mark.django_db(transaction=True)
def test_nobody_takes_over_or_stops_a_run_while_it_writes_the_outcome(actors):
    """The run writing the outcome holds the job's row (here: another connection does)."""
    import psycopg
    from django.core.exceptions import ValidationError
    from django.db import connection

    job = _triage_job(actors.owner)
    token = _held(job, lapsed=True)  # its lease lapsed while it wrote: it still holds the row
    settings = connection.settings_dict
    writer = psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        password=settings["PASSWORD"] or None,
    )
    try:
        writer.execute("SELECT 1 FROM cases_triagejob WHERE id = %s FOR UPDATE", [job.pk])

        assert triage_job_run(job_id=job.pk) == "busy"
        with pytest.raises(ValidationError, match="writing its outcome"):
            triage_job_cancel(actor=actors.owner, job=job)
        assert upload_jobs_requeue(kinds=KINDS) == 0
    finally:
        writer.rollback()
        writer.close()
    job.refresh_from_db()
    assert (job.status, job.claim_token, job.cancel_requested) == (JobStatus.RUNNING, token, False)


def _lease_through_a_long_step(job, seconds: float) -> tuple[object, object]:
    """Run ``job`` with a step that writes no progress for ``seconds``: its lease before, after."""
    leases: list[object] = []

    def long_step(job, reader, probes):
        leases.append(TriageJob.objects.get(pk=job.pk).lease_until)
        time.sleep(seconds)  # one long statement, say
        leases.append(TriageJob.objects.get(pk=job.pk).lease_until)

    def finish(job, probes, loaded):
        TriageJob.objects.filter(pk=job.pk).update(status=JobStatus.DONE)

    assert _run_steps(job, "long_step", load=long_step, finish=finish) == "done"
    return leases[0], leases[1]


def _waiting_job(actor, tmp_path) -> TriageJob:
    """A queued job whose task is not sent (committed: the heartbeat's connection sees it)."""
    upload = tmp_path / "waiting.txt"
    upload.write_bytes(VALUES)
    return TriageJob.objects.create(
        created_by=actor,
        agency_id=actor.agency_id,
        file_name="waiting.txt",
        file_format="plain",
        file_bytes=len(VALUES),
        upload_path=str(upload),
        expires_at=timezone.now() + timedelta(days=1),
    )


@pytest.mark.django_db(transaction=True)
def test_a_living_run_keeps_its_lease_through_a_long_step(actors, settings, tmp_path):
    settings.UPLOAD_JOB_LEASE_SECONDS = 3  # renewed every second

    before, after = _lease_through_a_long_step(_waiting_job(actors.owner, tmp_path), 2.6)

    assert after > before


@pytest.mark.django_db(transaction=True)
def test_a_run_without_progress_for_too_long_lets_its_lease_lapse(actors, settings, tmp_path):
    settings.UPLOAD_JOB_LEASE_SECONDS = 3
    settings.UPLOAD_JOB_STALL_SECONDS = 1  # hung, as far as its heartbeat can tell

    before, after = _lease_through_a_long_step(_waiting_job(actors.owner, tmp_path), 2.6)

    assert after == before
