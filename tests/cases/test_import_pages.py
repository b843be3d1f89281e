"""The import page of a series: upload, progress, cancel, outcome (issue 11)."""

from __future__ import annotations

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices import Distribution
from cases.models import HashImportJob, JobStatus, KnownHash
from cases.services.imports import hash_import_run
from tests.conftest import api_client_for, signed_in_client
from tests.factories import KnownHashFactory, SeriesFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

OTHERS = "e" * 32


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.TRIAGE_UPLOAD_DIR = str(tmp_path)


@pytest.fixture
def series(actors):
    return SeriesFactory(actor=actors.owner, title="Harbour", distribution=Distribution.NETWORK)


def _upload(client, series, content: bytes, name="set.txt"):
    return client.post(
        f"/series/{series.code}/imports/", {"file": SimpleUploadedFile(name, content)}
    )


def test_the_series_page_links_its_owner_to_the_import_page(actors, series):
    owner_page = signed_in_client(actors.owner).get(f"/series/{series.code}/").content.decode()
    abroad_page = signed_in_client(actors.abroad).get(f"/series/{series.code}/").content.decode()

    assert f'href="/series/{series.code}/imports/"' in owner_page
    assert "/imports/" not in abroad_page


def test_the_owner_imports_a_file_and_reads_the_outcome(actors, series):
    other = SeriesFactory(actor=actors.abroad, distribution=Distribution.NETWORK)
    KnownHashFactory(series=other, value=OTHERS)
    KnownHashFactory(series=series, value="d" * 32)
    client = signed_in_client(actors.owner)

    response = _upload(client, series, f"{'c' * 32}\n{'d' * 32}\n{OTHERS}\n".encode())

    job = HashImportJob.objects.get(series=series)
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    waiting = client.get(f"/imports/{job.pk}/").content.decode()
    assert "<progress" in waiting and 'data-status-url="/api/v1/imports/' in waiting
    assert "Cancel the import" in waiting

    hash_import_run(job_id=job.pk)

    content = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'data-testid="import-counts"' in content and 'data-testid="chart-import-outcomes"' in (
        content
    )
    assert '<tr data-outcome="added"><td>Added to the series</td><td>1</td>' in content
    assert '<tr data-outcome="already"><td>Already in the series</td><td>1</td>' in content
    assert '<tr data-outcome="conflicts"><td>Known in another series</td><td>1</td>' in content
    assert "Cancel the import" not in content
    listing = client.get(f"/series/{series.code}/imports/").content.decode()
    assert f'href="/imports/{job.pk}/"' in listing and "set.txt" in listing


def test_a_failed_file_shows_the_line_and_byte_where_it_stopped(actors, series):
    client = signed_in_client(actors.owner)
    _upload(client, series, f"{'c' * 32}\nnot a hash\n".encode())
    job = HashImportJob.objects.get(series=series)

    hash_import_run(job_id=job.pk)

    content = client.get(f"/imports/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error_line == 2
    assert 'data-testid="import-error"' in content
    assert f"line {job.error_line}" in content and f"byte {job.error_byte}" in content
    assert "Nothing of this file was added." in content
    assert not KnownHash.objects.filter(series=series).exists()


def test_an_upload_without_a_file_is_answered_400_with_the_field(actors, series):
    response = signed_in_client(actors.owner).post(f"/series/{series.code}/imports/", {})

    assert response.status_code == 400
    assert 'id="id_file"' in response.content.decode()
    assert not HashImportJob.objects.exists()


def test_the_owner_cancels_a_queued_import_from_its_page(actors, series):
    client = signed_in_client(actors.owner)
    _upload(client, series, f"{'c' * 32}\n".encode())
    job = HashImportJob.objects.get(series=series)

    response = client.post(f"/imports/{job.pk}/cancel/")

    job.refresh_from_db()
    assert response.status_code == 302 and job.status == JobStatus.CANCELLED
    assert not os.path.exists(job.upload_path)
    assert hash_import_run(job_id=job.pk) == "not queued"
    assert not KnownHash.objects.filter(series=series).exists()
    content = client.get(f"/imports/{job.pk}/").content.decode()
    assert 'data-testid="import-cancelled"' in content
    # Once finished, a second cancel says so instead of pretending.
    again = client.post(f"/imports/{job.pk}/cancel/", follow=True).content.decode()
    assert "already finished" in again


def test_the_api_cancels_an_import_and_refuses_a_finished_one(actors, series):
    client = api_client_for(actors.owner)
    upload = SimpleUploadedFile("set.txt", f"{'c' * 32}\n".encode())
    created = client.post("/api/v1/imports", {"file": upload, "series": series.code})
    job_id = created.json()["id"]

    cancelled = client.post(f"/api/v1/imports/{job_id}/cancel")
    again = client.post(f"/api/v1/imports/{job_id}/cancel")

    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert again.status_code == 409 and again.json()["error"]["code"] == "finished"
    assert AuditEvent.objects.filter(action=audit_actions.HASH_IMPORT_CANCELLED).count() == 1


def test_nobody_else_sees_or_stops_an_import(actors, series):
    _upload(signed_in_client(actors.owner), series, f"{'c' * 32}\n".encode())
    job = HashImportJob.objects.get(series=series)

    for other in (actors.colleague, actors.abroad):
        client = signed_in_client(other)
        assert client.get(f"/imports/{job.pk}/").status_code == 404
        assert client.post(f"/imports/{job.pk}/cancel/").status_code == 404
    # A series seen but not owned: its import page is refused, and nothing is queued.
    page = signed_in_client(actors.abroad).get(f"/series/{series.code}/imports/")
    upload = _upload(signed_in_client(actors.abroad), series, f"{'c' * 32}\n".encode())
    assert (page.status_code, upload.status_code) == (403, 403)
    assert HashImportJob.objects.count() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
