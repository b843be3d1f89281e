"""A full disk refuses an upload with a clear error, and keeps nothing of it.

The upload folder is a real, tiny filesystem (a 64 KiB tmpfs mounted for the test; it
needs root, and skips without). No upload route exists on main yet: the imports and
triage jobs will store their files through ``victimid.uploads.upload_store``, which this
test holds to its promise, and the API's error handler answers its refusal with 507.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
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
    response = Client(raise_request_exception=False).post("/api/v1/full-disk")
    assert response.status_code == 507
    error = response.json()["error"]
    assert error["code"] == "insufficient_storage"
    assert "Nothing of it was saved" in error["message"]
    # A disk that fills while Django spools a request body: the same answer.
    response = Client(raise_request_exception=False).post("/api/v1/full-disk-spool")
    assert response.status_code == 507
