"""Triage jobs: a seizure's list checked by the worker, its results its user's own."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.choices import Distribution
from cases.models import JobStatus, KnownHash, RestrictedLookupNotice, TriageJob, TriageResult
from cases.services.triage import (
    triage_job_cancel,
    triage_job_create,
    triage_job_run,
    triage_results_purge,
)
from tests.conftest import api_client_for
from tests.factories import (
    IdentificationEventFactory,
    KnownHashFactory,
    SeriesFactory,
    VictimFactory,
)
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

FIXTURES = Path("/work/shared/fixtures/vics")
IDENTIFIED = "1" * 32
NOT_IDENTIFIED = "2" * 40
HIDDEN = "3" * 32
NEW = "4" * 32


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.TRIAGE_UPLOAD_DIR = str(tmp_path / "uploads")


@pytest.fixture
def known(actors):
    done = SeriesFactory(actor=actors.owner, title="Harbour", distribution=Distribution.NETWORK)
    open_ = SeriesFactory(actor=actors.owner, title="Orchard", distribution=Distribution.NETWORK)
    hidden = SeriesFactory(actor=actors.owner, title="Attic")  # agency level
    KnownHashFactory(series=done, value=IDENTIFIED)
    KnownHashFactory(series=open_, algorithm="sha1", value=NOT_IDENTIFIED)
    KnownHashFactory(series=hidden, value=HIDDEN)
    child = VictimFactory(actor=actors.owner, series=[done], distribution=Distribution.NETWORK)
    IdentificationEventFactory(actor=actors.owner, victim=child, kind="identified")
    return {"done": done, "open": open_, "hidden": hidden}


def _run(actor, content: bytes, name="seizure.txt", file_format="", capture=None) -> TriageJob:
    job = triage_job_create(
        actor=actor, upload=SimpleUploadedFile(name, content), file_format=file_format
    )
    assert job.status == JobStatus.QUEUED
    triage_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


PLAIN = (
    "\ufeff# seizure 2026-001\n"
    f"{IDENTIFIED.upper()}\n"
    f"sha1:{NOT_IDENTIFIED}\n"
    "\n"
    f"{HIDDEN}\n"
    f"{NEW}\n"
    f"{NEW}\n"
).encode()


def test_a_plain_list_is_counted_by_outcome_and_adds_nothing(actors, known):
    before = KnownHash.objects.count()

    job = _run(actors.abroad, PLAIN)

    assert job.status == JobStatus.DONE, job.error
    assert job.counts() == {
        "new": 2,
        "known_not_identified": 1,
        "known_identified": 1,
        "known_restricted": 1,
    }
    assert job.values_read == 5 and job.progress == 100
    assert KnownHash.objects.count() == before
    assert not os.path.exists(job.upload_path)  # the probe values left the disk
    lines = dict(TriageResult.objects.filter(job=job).values_list("line", "outcome"))
    assert lines == {
        2: "known_identified",
        3: "known_not_identified",
        5: "known_restricted",
        6: "new",
        7: "new",
    }


def test_a_restricted_hit_keeps_no_trace_of_its_series(actors, known):
    job = _run(actors.abroad, PLAIN)

    hidden = TriageResult.objects.get(job=job, outcome="known_restricted")
    assert hidden.series_id is None and hidden.vics_category is None
    notice = RestrictedLookupNotice.objects.get()
    assert notice.series == known["hidden"] and notice.asking_agency == actors.agency_abroad


def test_audit_events_keep_counts_never_values(actors, known):
    job = _run(actors.abroad, PLAIN)

    finished = AuditEvent.objects.get(action="triage_job.finished", target_id=str(job.pk))
    assert finished.details["new"] == 2
    every_detail = json.dumps(list(AuditEvent.objects.values_list("details", flat=True)))
    for value in (IDENTIFIED, NOT_IDENTIFIED, HIDDEN, NEW):
        assert value not in every_detail


def test_a_csv_with_a_hash_column(actors, known):
    content = f"FileName,MD5,Category\na.jpg,{IDENTIFIED},1\nb.jpg,{NEW},\n".encode()

    job = _run(actors.owner, content, name="list.csv")

    assert job.file_format == "csv"
    assert (job.known_identified, job.new_values) == (1, 1)


def test_a_vics_2_case_export_with_string_flags(actors, known):
    document = {
        "@odata.context": "http://example.org/odata/$metadata#Cases",
        "value": [
            {
                "CaseID": 7,
                "Media": [
                    {"MD5": HIDDEN.upper(), "Category": 0, "VictimIdentified": "false"},
                    {"SHA1": NOT_IDENTIFIED, "Category": None, "IsDistributed": True},
                    {"MD5": NEW},
                ],
            }
        ],
    }
    content = b"\xef\xbb\xbf" + json.dumps(document).encode()

    job = _run(actors.owner, content, name="case.json")

    assert job.status == JobStatus.DONE, job.error
    # The owner sees their own agency-level series: nothing is restricted for them.
    assert job.counts() == {
        "new": 1,
        "known_not_identified": 2,
        "known_identified": 0,
        "known_restricted": 0,
    }


def test_a_real_nsrl_file_is_all_new(actors, known):
    content = (FIXTURES / "NSRL-CAID-JPG.json").read_bytes()

    job = _run(actors.owner, content, name="NSRL-CAID-JPG.json")

    assert job.status == JobStatus.DONE, job.error
    assert job.values_read == 2 * 2323  # an MD5 and a SHA-1 per record
    assert job.new_values == 2 * 2323


def test_a_truncated_json_fails_where_it_stopped_and_keeps_nothing(actors, known):
    content = (FIXTURES / "NSRL-CAID-WMV.json").read_bytes()[:30_000]

    job = _run(actors.owner, content, name="cut.json")

    assert job.status == JobStatus.FAILED
    assert "truncated" in job.error
    assert job.error_line is not None and job.error_byte == 30_000
    assert not TriageResult.objects.filter(job=job).exists()


def test_a_bad_line_fails_the_job_with_its_number(actors, known):
    content = f"{NEW}\n{IDENTIFIED}\nnot-a-hash\n".encode()

    job = _run(actors.owner, content)

    assert job.status == JobStatus.FAILED
    assert job.error_line == 3
    assert not TriageResult.objects.filter(job=job).exists()


def test_a_second_run_of_the_same_job_does_nothing(actors, known):
    job = _run(actors.owner, PLAIN)

    assert triage_job_run(job_id=job.pk) == "not queued"
    assert TriageResult.objects.filter(job=job).count() == 5


def test_a_queued_job_is_cancelled_at_once(actors, known):
    job = triage_job_create(actor=actors.owner, upload=SimpleUploadedFile("a.txt", PLAIN))

    job = triage_job_cancel(actor=actors.owner, job=job)

    assert job.status == JobStatus.CANCELLED
    assert triage_job_run(job_id=job.pk) == "not queued"
    assert not os.path.exists(job.upload_path)


def test_a_running_job_stops_at_its_next_chunk(actors, known):
    job = triage_job_create(actor=actors.owner, upload=SimpleUploadedFile("a.txt", PLAIN))
    TriageJob.objects.filter(pk=job.pk).update(cancel_requested=True)  # asked while it runs

    assert triage_job_run(job_id=job.pk) == "cancelled"
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert not TriageResult.objects.filter(job=job).exists()


def test_expired_results_are_purged_and_the_counts_stay(actors, known):
    job = _run(actors.owner, PLAIN)
    TriageJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    fresh = _run(actors.owner, PLAIN)

    assert triage_results_purge() == 1

    job.refresh_from_db()
    assert job.purged_at is not None and job.new_values == 2
    assert not TriageResult.objects.filter(job=job).exists()
    assert TriageResult.objects.filter(job=fresh).count() == 5


def test_the_results_expire_after_the_configured_days(actors, settings):
    settings.TRIAGE_RESULT_DAYS = 3
    job = triage_job_create(actor=actors.owner, upload=SimpleUploadedFile("a.txt", PLAIN))

    assert timedelta(days=2, hours=23) < job.expires_at - timezone.now() <= timedelta(days=3)


# --- Through the API ------------------------------------------------------------------------


def test_the_api_accepts_an_upload_and_shows_progress(
    actors, known, django_capture_on_commit_callbacks
):
    client = api_client_for(actors.abroad)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/triage-jobs", {"file": SimpleUploadedFile("s.txt", PLAIN)}, format="multipart"
        )
    assert response.status_code == 202, response.content
    job_id = response.json()["id"]

    detail = client.get(f"/api/v1/triage-jobs/{job_id}").json()  # eager: already done

    assert detail["status"] == "done" and detail["progress"] == 100
    assert detail["counts"]["known_restricted"] == 1
    assert "upload_path" not in detail


def test_downloads_put_new_values_first(actors, known):
    job = _run(actors.abroad, PLAIN)
    client = api_client_for(actors.abroad)

    response = client.get(f"/api/v1/triage-jobs/{job.pk}/download?format=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    as_json = json.loads(
        b"".join(client.get(f"/api/v1/triage-jobs/{job.pk}/download?format=json").streaming_content)
    )

    assert [row["outcome"] for row in rows][:2] == ["new", "new"]
    assert [row["outcome"] for row in as_json["results"]][:2] == ["new", "new"]
    restricted = next(row for row in rows if row["outcome"] == "known_restricted")
    assert restricted["series"] == "" and restricted["vics_category"] == ""
    known_row = next(row for row in rows if row["outcome"] == "known_identified")
    assert known_row["series"] == known["done"].code


def test_a_job_is_its_user_own(actors, known):
    job = _run(actors.owner, PLAIN)
    for other in (actors.colleague, actors.abroad):  # the same agency is not enough
        client = api_client_for(other)
        for path in ("", "/hits", "/download?format=csv"):
            assert client.get(f"/api/v1/triage-jobs/{job.pk}{path}").status_code == 404
        assert client.post(f"/api/v1/triage-jobs/{job.pk}/cancel").status_code == 404
        assert client.get("/api/v1/triage-jobs").json()["results"] == []


def test_the_hits_name_only_series_the_reader_may_see(actors, known):
    job = _run(actors.abroad, PLAIN)

    hits = api_client_for(actors.abroad).get(f"/api/v1/triage-jobs/{job.pk}/hits").json()

    by_outcome = {hit["outcome"]: hit for hit in hits["results"]}
    assert by_outcome["known_restricted"]["series"] is None
    assert by_outcome["known_identified"]["series"] == known["done"].code
    assert known["hidden"].code not in json.dumps(hits)
