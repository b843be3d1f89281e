"""The lookup and triage pages: what a reader sees of each outcome."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.choices import Distribution
from cases.services import claim_set, claim_withdraw
from cases.services.triage import triage_job_create, triage_job_run
from tests.conftest import signed_in_client
from tests.factories import KnownHashFactory, SeriesFactory

pytestmark = pytest.mark.django_db

SHARED, HIDDEN, NEW = "a" * 32, "b" * 32, "c" * 32


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.TRIAGE_UPLOAD_DIR = str(tmp_path)


@pytest.fixture
def known(actors):
    shared = SeriesFactory(actor=actors.owner, title="Harbour", distribution=Distribution.NETWORK)
    hidden = SeriesFactory(actor=actors.owner, title="Attic")
    KnownHashFactory(series=shared, value=SHARED)
    KnownHashFactory(series=hidden, value=HIDDEN)
    return shared, hidden


def test_the_lookup_page_shows_each_outcome_and_nothing_of_a_hidden_series(actors, known):
    shared, hidden = known
    page = signed_in_client(actors.abroad).post(
        "/hashes/lookup/", {"values": f"{SHARED}\n{HIDDEN}\n{NEW}\n"}
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert shared.code in content and "Harbour" in content
    assert hidden.code not in content and "Attic" not in content
    assert "Known, restricted" in content and "New: not in the known set" in content
    assert 'data-testid="chart-lookup-outcomes"' in content


def test_the_lookup_page_lists_the_agencies_claiming_a_visible_series(actors, known):
    shared, hidden = known
    later = timezone.localdate() + datetime.timedelta(days=30)
    claim_set(actor=actors.abroad, series=shared, contact="ES VID desk", expires_on=later)
    claim_set(actor=actors.same_country, series=shared, contact="NL-2 desk", expires_on=later)
    claim_withdraw(actor=actors.same_country, series=shared)
    claim_set(actor=actors.owner, series=hidden, contact="Attic team", expires_on=later)

    page = signed_in_client(actors.abroad).post(
        "/hashes/lookup/", {"values": f"{SHARED}\n{HIDDEN}"}
    )

    content = page.content.decode()
    assert page.status_code == 200
    assert "Owning Agency (NL, owner)" in content
    assert "Agency Abroad (ES, claims it): ES VID desk" in content
    assert "NL-2 desk" not in content and "Neighbour Agency" not in content
    assert "Attic team" not in content


def test_a_small_file_can_be_dropped_instead_of_pasted(actors, known):
    upload = SimpleUploadedFile("list.txt", f"\ufeff{SHARED}\n".encode())
    page = signed_in_client(actors.owner).post("/hashes/lookup/", {"values": "", "file": upload})

    assert page.status_code == 200 and known[0].code in page.content.decode()


def test_the_triage_page_shows_progress_counts_and_hits(actors, known):
    job = triage_job_create(
        actor=actors.abroad,
        upload=SimpleUploadedFile("s.txt", f"{SHARED}\n{HIDDEN}\n{NEW}\n".encode()),
    )
    triage_job_run(job_id=job.pk)

    content = signed_in_client(actors.abroad).get(f"/triage/{job.pk}/").content.decode()

    assert 'data-testid="triage-counts"' in content and "<progress" in content
    assert known[0].code in content and known[1].code not in content
    assert "Download CSV" in content
