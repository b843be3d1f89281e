"""A full disk refuses an upload with a clear error, and keeps nothing of it.

The upload folder is a real, tiny filesystem (a 64 KiB tmpfs mounted for the test; it
needs root, and skips without). Triage and import uploads are stored through
``victimid.uploads.upload_store``: the helper is held to its promise here, and a real
gunicorn of the test's own refuses a triage upload to the full disk with 507.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client, override_settings

from victimid.uploads import StorageFull, upload_store

pytestmark = [pytest.mark.faults]


@pytest.fixture
def full_disk() -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny filesystem needs root")
    folder = Path(tempfile.mkdtemp(prefix="victimid-full-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        folder.rmdir()
        if os.environ.get("FAULTS_REQUIRED") == "1":
            pytest.fail(f"cannot mount a tmpfs: {mounted.stderr}")
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)
        folder.rmdir()


def _chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    for start in range(0, total, size):
        yield b"0" * min(size, total - start)


def test_an_upload_that_does_not_fit_is_refused_and_nothing_half_written_stays(full_disk):
    kept = upload_store(chunks=_chunks(8 * 1024), directory=full_disk, name="small.csv")
    assert kept.stat().st_size == 8 * 1024

    with pytest.raises(StorageFull) as refused:
        upload_store(chunks=_chunks(512 * 1024), directory=full_disk, name="large.csv")
    assert "no room to store this file" in str(refused.value)
    assert "Nothing of it was saved" in str(refused.value)
    # Only the file that fitted: no partial file, no file under the final name.
    assert sorted(path.name for path in full_disk.iterdir()) == ["small.csv"]
    # The space is back for the next upload.
    upload_store(chunks=_chunks(8 * 1024), directory=full_disk, name="next.csv")


def test_a_file_name_from_outside_is_refused(tmp_path):
    for name in ("../escape.csv", ".hidden", "a/b.csv", ""):
        with pytest.raises(ValueError):
            upload_store(chunks=[b"x"], directory=tmp_path, name=name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.faults.urls_full_disk")
def test_the_api_answers_a_full_disk_with_507_and_the_message():
    client = Client(raise_request_exception=False)
    response = client.post("/api/v1/full-disk", data="{}", content_type="application/json")
    assert response.status_code == 507
    error = response.json()["error"]
    assert error["code"] == "insufficient_storage"
    assert "Nothing of it was saved" in error["message"]
    # A disk that fills while Django spools a request body: the same answer.
    response = client.post("/api/v1/full-disk-spool", data="{}", content_type="application/json")
    assert response.status_code == 507


def _multipart(field: str, filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "victimid-faults-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _upload_triage_file(port: int, token: str, content: bytes) -> tuple[int, dict]:
    body, kind = _multipart("file", "probes.txt", content)
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/triage-jobs", data=body, method="POST"
    )
    request.add_header("Content-Type", kind)
    request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.django_db
def test_the_triage_and_import_upload_store_refuses_a_full_disk_and_keeps_nothing(full_disk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cases.services.uploads import upload_store as job_upload_store

    values = b"".join(f"{n:032x}\n".encode() for n in range(256 * 1024 // 33))
    with override_settings(TRIAGE_UPLOAD_DIR=str(full_disk)):
        with pytest.raises(StorageFull):
            job_upload_store(SimpleUploadedFile("probes.txt", values))
        assert list(full_disk.iterdir()) == []
        stored = job_upload_store(SimpleUploadedFile("probes.txt", values[: 33 * 200]))
    assert stored.size == 33 * 200
    assert [path.name for path in full_disk.iterdir()] == [Path(stored.path).name]


@pytest.mark.integration
def test_a_triage_upload_to_a_full_disk_is_refused_with_507_and_leaves_nothing(stack, full_disk):
    stack.processes.env["TRIAGE_UPLOAD_DIR"] = str(full_disk)
    port = stack.processes.gunicorn(workers=1)
    token = stack.seed["owner_token"]
    # 256 KiB of MD5 values: four times what the upload disk holds.
    values = b"".join(f"{n:032x}\n".encode() for n in range(256 * 1024 // 33))
    status, body = _upload_triage_file(port, token, values)
    assert status == 507, body
    assert body["error"]["code"] == "insufficient_storage"
    assert "Nothing of it was saved" in body["error"]["message"]
    assert list(full_disk.iterdir()) == []  # no partial file
    assert stack.rows("SELECT count(*) FROM cases_triagejob") == [(0,)]
    # A file that fits is taken as usual.
    status, body = _upload_triage_file(port, token, values[: 8 * 1024 // 33 * 33])
    assert status == 202, body
    assert len(list(full_disk.iterdir())) == 1
