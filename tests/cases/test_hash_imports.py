"""Importing hash files into a series, and the owner's changes to a series' hashes."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from cases.choices import Distribution
from cases.models import DeconflictionNotice, HashImportJob, JobStatus, KnownHash, SeriesFollower
from cases.services.imports import (
    hash_import_create,
    hash_import_run,
    known_hash_move,
    known_hash_remove,
)
from tests.conftest import api_client_for
from tests.factories import (
    IdentificationEventFactory,
    KnownHashFactory,
    SeriesFactory,
    VictimFactory,
)
from victimid.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

FIXTURES = Path("/work/shared/fixtures/vics")
PHOTODNA = base64.b64encode(bytes(range(144))).decode()


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    settings.TRIAGE_UPLOAD_DIR = str(tmp_path / "uploads")


def _import(actor, series, content: bytes, name="set.json") -> HashImportJob:
    job = hash_import_create(actor=actor, series=series, upload=SimpleUploadedFile(name, content))
    hash_import_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def _vics_2(media: list[dict], context: str = "Media") -> bytes:
    document = {"@odata.context": f"https://example.org/odata/$metadata#{context}"}
    document["value"] = media if context == "Media" else [{"CaseID": 1, "Media": media}]
    return b"\xef\xbb\xbf" + json.dumps(document).encode()


AWKWARD = [
    {
        "MD5": "AA" * 16,
        "SHA1": "BB" * 20,
        "Category": 0,
        "VictimIdentified": "true",
        "IsDistributed": "false",
        "Series": "Harbour",
        "Tags": "x",
        "Comments": "free text",
    },
    {"MD5": "cc" * 16, "Category": None, "IsDistributed": True, "OffenderIdentified": False},
    {"MD5": "dd" * 16, "IsDistributed": "TRUE", "IsPrecategorized": "false"},
    {"MD5": "AA" * 16, "Category": 2},  # the same MD5 again
    {"PhotoDNA": PHOTODNA, "Category": 1},
]


@pytest.mark.parametrize("fixture", ["ART", "MPG", "WMV", "JPG"])
def test_the_real_nsrl_files_import_whole(actors, fixture):
    series = SeriesFactory(actor=actors.owner)
    content = (FIXTURES / f"NSRL-CAID-{fixture}.json").read_bytes()

    job = _import(actors.owner, series, content)

    assert job.status == JobStatus.DONE, job.error
    records = len(json.loads(content)["value"])
    stored = KnownHash.objects.filter(series=series)
    assert job.added == stored.count()
    assert stored.filter(algorithm="md5").count() <= records
    assert set(stored.values_list("vics_category", flat=True)) == {8}  # kept as given


def test_importing_the_same_file_twice_adds_nothing(actors):
    series = SeriesFactory(actor=actors.owner)
    content = (FIXTURES / "NSRL-CAID-WMV.json").read_bytes()
    first = _import(actors.owner, series, content)

    second = _import(actors.owner, series, content)

    assert second.status == JobStatus.DONE
    assert second.added == 0 and second.already_in_series == first.added
    assert KnownHash.objects.filter(series=series).count() == first.added


@pytest.mark.parametrize("context", ["Media", "Cases"])
def test_the_awkward_cases_of_real_producers(actors, context):
    series = SeriesFactory(actor=actors.owner)

    job = _import(actors.owner, series, _vics_2(AWKWARD, context))

    assert job.status == JobStatus.DONE, job.error
    stored = {
        (k.algorithm, k.value): (k.vics_category, k.distributed)
        for k in KnownHash.objects.filter(series=series)
    }
    assert stored == {
        ("md5", "aa" * 16): (0, False),  # upper case normalised; Category 0 kept; first line wins
        ("sha1", "bb" * 20): (0, False),
        ("md5", "cc" * 16): (0, True),  # null category: uncategorised; a JSON boolean
        ("md5", "dd" * 16): (0, True),  # the string "TRUE"
        ("photodna", PHOTODNA): (1, False),  # kept exactly as given
    }
    assert job.values_read == 6


def test_a_flag_that_is_neither_true_nor_false_fails_the_import(actors):
    series = SeriesFactory(actor=actors.owner)

    job = _import(actors.owner, series, _vics_2([{"MD5": "ee" * 16, "IsDistributed": "yes"}]))

    assert job.status == JobStatus.FAILED
    assert "IsDistributed" in job.error
    assert not KnownHash.objects.filter(series=series).exists()


def test_a_truncated_file_fails_with_where_and_keeps_nothing(actors):
    series = SeriesFactory(actor=actors.owner)
    content = (FIXTURES / "NSRL-CAID-JPG.json").read_bytes()
    cut = content[: len(content) // 2]

    job = _import(actors.owner, series, cut)

    assert job.status == JobStatus.FAILED
    assert job.error_byte == len(cut) and job.error_line
    assert not KnownHash.objects.filter(series=series).exists()


def test_a_bad_value_late_in_a_plain_list_keeps_nothing(actors):
    series = SeriesFactory(actor=actors.owner)
    content = ("".join(f"{n:032x}\n" for n in range(1, 120_001)) + "zz\n").encode()

    job = _import(actors.owner, series, content, name="list.txt")

    assert job.status == JobStatus.FAILED and job.error_line == 120_001
    assert not KnownHash.objects.filter(series=series).exists()


def test_a_value_of_another_series_is_a_conflict_never_moved(actors):
    theirs = SeriesFactory(actor=actors.abroad, title="Theirs")
    KnownHashFactory(series=theirs, value="ab" * 16)
    ours = SeriesFactory(actor=actors.owner)

    job = _import(actors.owner, ours, _vics_2([{"MD5": "AB" * 16}, {"MD5": "cd" * 16}]))

    assert job.status == JobStatus.DONE
    assert (job.added, job.conflicts) == (1, 1)
    assert KnownHash.objects.get(value="ab" * 16).series == theirs  # never moved
    notice = DeconflictionNotice.objects.get()
    assert (notice.existing_series, notice.requesting_series) == (theirs, ours)
    assert AuditEvent.objects.filter(action="deconfliction.recorded").count() == 1


def test_values_known_late_in_the_index_order_are_sorted_out_after_new_ones_went_in(actors):
    """The import first inserts every value outright and the unique index refuses it at
    the first one already held; what went in before that must not stay twice or be lost."""
    theirs = SeriesFactory(actor=actors.abroad, title="Theirs")
    KnownHashFactory(series=theirs, value="fe" * 16)
    ours = SeriesFactory(actor=actors.owner)
    KnownHashFactory(series=ours, value="ff" * 16)
    media = [{"MD5": value * 16, "Category": 1} for value in ("ff", "00", "FE", "01")]

    job = _import(actors.owner, ours, _vics_2(media))

    assert job.status == JobStatus.DONE, job.error
    assert (job.added, job.already_in_series, job.conflicts) == (2, 1, 1)
    assert sorted(KnownHash.objects.filter(series=ours).values_list("value", flat=True)) == [
        "00" * 16,
        "01" * 16,
        "ff" * 16,
    ]
    assert KnownHash.objects.get(value="fe" * 16).series == theirs


def test_an_import_into_another_agency_series_is_refused(actors):
    theirs = SeriesFactory(actor=actors.abroad, distribution=Distribution.NETWORK)
    with pytest.raises(PermissionDenied):
        hash_import_create(
            actor=actors.owner, series=theirs, upload=SimpleUploadedFile("a.txt", b"a" * 32)
        )


def test_the_api_imports_with_progress(actors, django_capture_on_commit_callbacks):
    series = SeriesFactory(actor=actors.owner)
    client = api_client_for(actors.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/imports",
            {"file": SimpleUploadedFile("s.json", _vics_2(AWKWARD)), "series": series.code},
            format="multipart",
        )
    assert response.status_code == 202, response.content

    job = client.get(f"/api/v1/imports/{response.json()['id']}").json()

    assert job["status"] == "done" and job["progress"] == 100 and job["added"] == 5


# --- Removing and moving a value ---------------------------------------------------------------


def test_the_owner_removes_a_value_with_a_reason_and_followers_hear(actors):
    series = SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK)
    known = KnownHashFactory(series=series)
    SeriesFollower.objects.create(series=series, user=actors.abroad)

    known_hash_remove(actor=actors.owner, known_hash=known, reason="A stock photo.")

    assert not KnownHash.objects.filter(pk=known.pk).exists()
    event = AuditEvent.objects.get(action="hashes.removed")
    assert event.details["reason"] == "A stock photo."
    told = Notification.objects.filter(recipient=actors.abroad, subject_ref=series.code).get()
    assert "A stock photo." in told.message


def test_the_owner_moves_a_value_between_its_own_series(actors):
    source = SeriesFactory(actor=actors.owner)
    target = SeriesFactory(actor=actors.owner)
    known = KnownHashFactory(series=source)

    known_hash_move(actor=actors.owner, known_hash=known, target=target, reason="Mis-filed.")

    assert KnownHash.objects.get(pk=known.pk).series == target
    assert AuditEvent.objects.get(action="hashes.moved").details["to"] == target.code


def test_nobody_moves_a_value_into_another_agency_series(actors):
    source = SeriesFactory(actor=actors.owner)
    theirs = SeriesFactory(actor=actors.abroad, distribution=Distribution.NETWORK)
    known = KnownHashFactory(series=source)

    with pytest.raises(PermissionDenied):
        known_hash_move(actor=actors.owner, known_hash=known, target=theirs, reason="Theirs.")
    response = api_client_for(actors.owner).post(
        f"/api/v1/series/{source.code}/hashes/{known.pk}/remove", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert KnownHash.objects.get(pk=known.pk).series == source


# --- Export ---------------------------------------------------------------------------------


def _export(user, series, file_format="vics") -> bytes:
    response = api_client_for(user).get(f"/api/v1/series/{series.code}/export?format={file_format}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_an_export_imports_back_with_the_same_values_and_flags(actors):
    source = SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK)
    job = _import(actors.owner, source, _vics_2(AWKWARD))
    assert job.status == JobStatus.DONE, job.error
    child = VictimFactory(actor=actors.owner, series=[source], distribution=Distribution.NETWORK)
    IdentificationEventFactory(actor=actors.owner, victim=child, kind="identified")
    before = set(
        KnownHash.objects.filter(series=source).values_list(
            "algorithm", "value", "vics_category", "distributed"
        )
    )

    exported = _export(actors.abroad, source)  # any reader who may see the series
    document = json.loads(exported)
    assert document["@odata.context"].endswith("#Media")
    assert {media["Series"] for media in document["value"]} == {source.code}
    assert all(media["VictimIdentified"] is True for media in document["value"])
    KnownHash.objects.filter(series=source).delete()  # a value belongs to one series
    fresh = SeriesFactory(actor=actors.owner)
    again = _import(actors.owner, fresh, exported, name="export.json")

    assert again.status == JobStatus.DONE, again.error
    after = set(
        KnownHash.objects.filter(series=fresh).values_list(
            "algorithm", "value", "vics_category", "distributed"
        )
    )
    assert after == before


def test_the_csv_export_and_who_may_export(actors):
    series = SeriesFactory(actor=actors.owner)  # agency level
    KnownHashFactory(series=series, value="ef" * 16, vics_category=0)

    rows = _export(actors.colleague, series, "csv").decode().splitlines()

    assert rows[0] == "algorithm,value,vics_category,distributed,series,victim_identified"
    assert rows[1] == f"md5,{'ef' * 16},0,false,{series.code},false"
    hidden = api_client_for(actors.abroad).get(f"/api/v1/series/{series.code}/export")
    assert hidden.status_code == 404
