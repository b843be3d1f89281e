"""Hash triage, import and lookup against raw PostgreSQL doing the same work (issue 11).

Known set: 10,000,000 MD5 values at full scale (200,000 small) in ``cases_knownhash``,
spread over the seeded series (``bench/seed_casework.py``), plus a binary copy of the
same values (``bench_known_digest``, ``bytea`` primary key) for the raw baseline.

- **triage** — a plain list of 1,000,000 values (20,000 small), half of them known.
  Ours: from "upload accepted" (the job stored and queued) to "results ready" (the job
  ``done``), the worker being a forked process that runs the task (its peak resident
  memory is read from ``wait4``). Raw: in the same run, on the same database, COPY the
  probes into a temporary table and join them on the indexed binary column. Targets:
  raw / ours ≥ 1.0, worker peak RSS < 500 MB.
- **import** — a VICS 2.0 file of 1,000,000 media (20,000 small) into a fresh series,
  worker job end to end, against a raw COPY of the same values into a table shaped like
  ``cases_knownhash`` with its indexes. Target: raw / ours ≥ 0.5.
- **lookup** — ``POST /api/v1/hashes/lookup`` with 10,000 values (half known, some in
  series the reader may not see), the DRF view called in-process with the reader
  authenticated. Target: p95 < 500 ms.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import SCALE, load_average, measure, summarise

KNOWN = {"full": 10_000_000, "small": 200_000}[SCALE]
PROBES = {"full": 1_000_000, "small": 20_000}[SCALE]
IMPORTED = {"full": 1_000_000, "small": 20_000}[SCALE]
LOOKUP_VALUES = 10_000
LOOKUP_REPEAT = {"full": 20, "small": 10}[SCALE]
TARGET_TRIAGE_RATIO = 1.0
TARGET_IMPORT_RATIO = 0.5
TARGET_WORKER_RSS_MB = 500
TARGET_LOOKUP_P95_MS = 500
MARKER = "bench_triage_marker"
SEED_VERSION = 1


def _known_value(number: int) -> str:
    return hashlib.md5(f"known-{number}".encode()).hexdigest()  # noqa: S324 (test data)


def run() -> dict[str, Any]:
    from bench.seed_casework import SCALES, ensure_seeded

    ensure_seeded(SCALES[SCALE])
    seed_seconds = _ensure_known_set()
    user = _reader()
    work = Path(tempfile.mkdtemp(prefix="bench-triage-"))
    from django.conf import settings

    settings.TRIAGE_UPLOAD_DIR = str(work / "uploads")
    probes = _write_probe_file(work / "probes.txt")
    triage = _bench_triage(user, probes)
    imported = _bench_import(user, work / "import.json")
    lookup = _bench_lookup(user)
    meets = {
        "triage_ratio": triage["ratio"] >= TARGET_TRIAGE_RATIO,
        "worker_rss": triage["worker_peak_rss_mb"] < TARGET_WORKER_RSS_MB,
        "import_ratio": imported["ratio"] >= TARGET_IMPORT_RATIO,
        "lookup_p95": lookup["p95_ms"] < TARGET_LOOKUP_P95_MS,
    }
    return {
        "meets_target": all(meets.values()),
        "targets_met": meets,
        "targets": {
            "triage_raw_over_ours": TARGET_TRIAGE_RATIO,
            "worker_peak_rss_mb_below": TARGET_WORKER_RSS_MB,
            "import_raw_over_ours": TARGET_IMPORT_RATIO,
            "lookup_p95_ms_below": TARGET_LOOKUP_P95_MS,
        },
        "summary": {
            "triage_ratio": triage["ratio"],
            "triage_floor_raw_over_floor": triage["floor"]["raw_over_floor"],
            "worker_peak_rss_mb": triage["worker_peak_rss_mb"],
            "import_ratio": imported["ratio"],
            "lookup_p95_ms": lookup["p95_ms"],
            "meets_target": all(meets.values()),
        },
        "triage": triage,
        "import": imported,
        "lookup": lookup,
        "data": {
            "known": KNOWN,
            "probes": PROBES,
            "imported": IMPORTED,
            "seed_seconds": seed_seconds,
        },
        "load_average": load_average(),
    }


# --- Data ---------------------------------------------------------------------------------


def _ensure_known_set() -> float:
    """10 M known MD5 values over the seeded series, and their binary copy; kept between runs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (known bigint, version int)")
        cursor.execute(f"SELECT known, version FROM {MARKER}")  # noqa: S608
        row = cursor.fetchone()
        cursor.execute("SELECT count(*) FROM cases_knownhash WHERE source = 'import'")
        present = cursor.fetchone()[0]
    if row == (KNOWN, SEED_VERSION) and present >= KNOWN:
        return 0.0
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_knownhash")
        cursor.execute("DROP TABLE IF EXISTS bench_known_digest")
        cursor.execute(
            "INSERT INTO cases_knownhash (series_id, algorithm, value, vics_category,"
            " distributed, submitting_agency_id, source, created_at)"
            " SELECT s.id, 'md5', decode(md5('known-' || i), 'hex'), 1, false, s.agency_id,"
            " 'import', now()"
            " FROM generate_series(1, %s) i"
            " JOIN cases_series s ON s.id = (ARRAY(SELECT id FROM cases_series ORDER BY id))"
            "  [1 + i %% (SELECT count(*) FROM cases_series)]",
            [KNOWN],
        )
        cursor.execute(
            "CREATE TABLE bench_known_digest AS"
            " SELECT value AS digest, series_id FROM cases_knownhash"
        )
        cursor.execute("ALTER TABLE bench_known_digest ADD PRIMARY KEY (digest)")
        cursor.execute("VACUUM ANALYZE cases_knownhash")
        cursor.execute("VACUUM ANALYZE bench_known_digest")
        cursor.execute(f"DELETE FROM {MARKER}")  # noqa: S608
        cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s)", [KNOWN, SEED_VERSION])  # noqa: S608
    return round(time.perf_counter() - started, 1)


def _write_probe_file(path: Path) -> Path:
    """PROBES values, half of them known (spread over the whole known set), shuffled."""
    chooser = random.Random(11)  # noqa: S311 (test data)
    known = chooser.sample(range(1, KNOWN + 1), PROBES // 2)
    with open(path, "w", encoding="ascii") as probe_file:
        for index, number in enumerate(known):
            probe_file.write(_known_value(number) + "\n")
            new = hashlib.md5(f"new-{index}".encode()).hexdigest()  # noqa: S324
            probe_file.write(new + "\n")
    return path


def _reader() -> Any:
    from bench.seed_casework import SCALES, focus_investigator_email
    from victimid.gate import has_casework_access
    from victimid.models import User

    user = User.objects.select_related("agency").get(email=focus_investigator_email(SCALES[SCALE]))
    assert has_casework_access(user)
    return user


def _upload(path: Path, name: str) -> Any:
    from django.core.files.uploadedfile import UploadedFile

    return UploadedFile(open(path, "rb"), name=name, size=path.stat().st_size)  # noqa: SIM115


def _raw_connection() -> Any:
    """A connection of its own to the benchmark database, outside Django, in autocommit."""
    import psycopg
    from django.db import connection

    return psycopg.connect(**connection.get_connection_params(), autocommit=True)


def _settle() -> None:
    """Start every timed part from the same state: no dirty buffers left by the part
    before (a checkpoint), no autovacuum of its writes running beside it (waited for, up
    to a minute). Called before ours and before the raw side alike."""
    with _raw_connection() as admin:
        admin.execute("CHECKPOINT")
        for _second in range(60):
            busy = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
                " AND datname = current_database()"
            ).fetchone()[0]
            if not busy:
                return
            time.sleep(1)


def _in_worker(task: Any, job_id: int) -> tuple[float, float]:
    """Run ``task(job_id=...)`` in a forked worker; (seconds, peak RSS in MB)."""
    from django.db import connections

    _settle()
    connections.close_all()
    gc.collect()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 0
        try:
            task(job_id=job_id)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)
    _pid, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    assert os.waitstatus_to_exitcode(status) == 0, "the worker failed"
    return seconds, usage.ru_maxrss / 1024


# --- Triage -------------------------------------------------------------------------------


def _bench_triage(user: Any, probes: Path) -> dict[str, Any]:
    from cases.models import TriageJob
    from cases.services.triage import triage_job_create, triage_job_run

    upload_started = time.perf_counter()
    job = triage_job_create(actor=user, upload=_upload(probes, "probes.txt"), file_format="")
    upload_seconds = time.perf_counter() - upload_started
    ours, rss = _in_worker(triage_job_run, job.pk)
    job = TriageJob.objects.get(pk=job.pk)
    assert job.status == "done", job.error
    _forget_results(job.pk)
    raw, raw_hits = _raw_triage(probes)
    floor, floor_hits = _floor_triage(probes)
    known = job.known_identified + job.known_not_identified + job.known_restricted
    assert known == raw_hits == floor_hits == PROBES // 2, (known, raw_hits, floor_hits)
    return {
        "what": "upload accepted -> results ready (worker), vs raw COPY + join on bytea",
        "values": PROBES,
        "known": known,
        "counts": {str(k): v for k, v in job.counts().items()},
        "upload_store_seconds": round(upload_seconds, 3),
        "ours_seconds": round(ours, 3),
        "raw_seconds": round(raw, 3),
        "ratio": round(raw / ours, 3),
        "worker_peak_rss_mb": round(rss, 1),
        "floor": {
            "what": (
                "raw SQL doing the least a job that keeps its results must: COPY the probes"
                " and INSERT only the hits (line, value, series) into a logged table shaped"
                " like cases_triageresult; no classifying, no judging, no new values kept"
            ),
            "seconds": round(floor, 3),
            "raw_over_floor": round(raw / floor, 3),
        },
    }


def _copy_file(raw: Any, path: Path, statement: str) -> None:
    """The file's bytes as they are, by COPY, a megabyte at a time."""
    with open(path, "rb") as source, raw.cursor() as cursor, cursor.copy(statement) as copy:
        while chunk := source.read(1024 * 1024):
            copy.write(chunk)


def _forget_results(job_id: int) -> None:
    """The job's million results go once counted, so that runs do not pile them up."""
    from django.db import connection

    from cases.models import TriageResult

    TriageResult.objects.filter(job_id=job_id).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_triageresult")


def _floor_triage(probes: Path) -> tuple[float, int]:
    """The raw baseline plus writing its hits: a bound no job that keeps hits can beat."""
    with _raw_connection() as raw:
        raw.execute("DROP TABLE IF EXISTS bench_floor_result")
        raw.execute("CREATE TABLE bench_floor_result (LIKE cases_triageresult INCLUDING ALL)")
        _settle()
        started = time.perf_counter()
        with raw.transaction():
            raw.execute(
                "CREATE TEMP TABLE floor_probe (line bigint GENERATED ALWAYS AS IDENTITY,"
                " value text) ON COMMIT DROP"
            )
            _copy_file(raw, probes, "COPY floor_probe (value) FROM STDIN")
            hits = raw.execute(
                "INSERT INTO bench_floor_result (job_id, line, algorithm, value, outcome,"
                " series_id) SELECT 1, p.line, 'md5', p.value, 'known_restricted', k.series_id"
                " FROM floor_probe p JOIN bench_known_digest k"
                " ON k.digest = decode(p.value, 'hex')"
            ).rowcount
        seconds = time.perf_counter() - started
        raw.execute("DROP TABLE bench_floor_result")
    return seconds, hits


def _raw_triage(probes: Path) -> tuple[float, int]:
    """COPY the probes into a temporary table and join on the indexed binary column."""
    with _raw_connection() as raw:
        _settle()
        started = time.perf_counter()
        raw.execute("CREATE TEMP TABLE raw_probe (value text)")
        _copy_file(raw, probes, "COPY raw_probe (value) FROM STDIN")
        hits = raw.execute(
            "SELECT count(*) FROM raw_probe p JOIN bench_known_digest k"
            " ON k.digest = decode(p.value, 'hex')"
        ).fetchone()[0]
        seconds = time.perf_counter() - started
        raw.execute("DROP TABLE raw_probe")
    return seconds, hits


# --- Import -------------------------------------------------------------------------------


def _import_value(number: int) -> str:
    return hashlib.md5(f"import-{number}".encode()).hexdigest()  # noqa: S324


def _bench_import(user: Any, path: Path) -> dict[str, Any]:
    from django.db import connection

    from cases.models import HashImportJob, KnownHash
    from cases.services.imports import hash_import_create, hash_import_run
    from cases.services.series import series_create

    with open(path, "w", encoding="ascii") as vics:
        vics.write('{"@odata.context": "https://example.org/odata/$metadata#Media", "value": [')
        for number in range(IMPORTED):
            media = {
                "MediaID": number,
                "MD5": _import_value(number).upper(),
                "Category": 1,
                "IsDistributed": "false",
                "VictimIdentified": False,
            }
            vics.write(("," if number else "") + json.dumps(media))
        vics.write("]}")
    series = series_create(actor=user, title="Benchmark import", distribution="agency")
    job = hash_import_create(actor=user, series=series, upload=_upload(path, "import.json"))
    ours, rss = _in_worker(hash_import_run, job.pk)
    job = HashImportJob.objects.get(pk=job.pk)
    assert job.status == "done" and job.added == IMPORTED, (job.status, job.error, job.added)
    raw = _raw_import(series.pk, series.agency_id)
    KnownHash.objects.filter(series=series).delete()  # the known set stays as seeded
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_knownhash")
    return {
        "what": "VICS 2.0 import, worker end to end, vs raw COPY into a table like cases_knownhash",
        "records": IMPORTED,
        "file_mb": round(path.stat().st_size / 2**20, 1),
        "ours_seconds": round(ours, 3),
        "raw_seconds": round(raw, 3),
        "ratio": round(raw / ours, 3),
        "worker_peak_rss_mb": round(rss, 1),
    }


def _raw_import(series_id: int, agency_id: int) -> float:
    with _raw_connection() as raw:
        raw.execute("DROP TABLE IF EXISTS bench_import_raw")
        raw.execute("CREATE TABLE bench_import_raw (LIKE cases_knownhash INCLUDING ALL)")
        _settle()
        started = time.perf_counter()
        with (
            raw.cursor() as cursor,
            cursor.copy(
                "COPY bench_import_raw (series_id, algorithm, value, vics_category, distributed,"
                " submitting_agency_id, source, created_at) FROM STDIN"
            ) as copy,
        ):
            now = "2026-01-01 00:00:00+00"
            for number in range(IMPORTED):
                copy.write_row(
                    (
                        series_id,
                        "md5",
                        bytes.fromhex(_import_value(number)),
                        1,
                        False,
                        agency_id,
                        "import",
                        now,
                    )
                )
        seconds = time.perf_counter() - started
        raw.execute("DROP TABLE bench_import_raw")
    return seconds


# --- Lookup -------------------------------------------------------------------------------


def _bench_lookup(user: Any) -> dict[str, Any]:
    from rest_framework.test import APIRequestFactory, force_authenticate

    from cases.api.views import HashLookupView

    chooser = random.Random(12)  # noqa: S311
    known = [_known_value(n) for n in chooser.sample(range(1, KNOWN + 1), LOOKUP_VALUES // 2)]
    new = [hashlib.sha1(f"n{n}".encode()).hexdigest() for n in range(LOOKUP_VALUES // 2)]  # noqa: S324
    body = {"values": known + new}
    factory = APIRequestFactory()
    view = HashLookupView.as_view()
    user.is_verified = lambda: True  # as the bearer-token authentication marks its user
    statuses: dict[str, int] = {}

    def call() -> None:
        request = factory.post("/api/v1/hashes/lookup", body, format="json")
        force_authenticate(request, user=user)
        response = view(request)
        assert response.status_code == 200, response.data
        response.render()
        statuses.update(response.data["counts"])

    # The server freezes what it loaded at start (config/wsgi.py): so does this process,
    # or every full collection would walk the benchmark's own data too.
    _settle()  # not beside the import's clean-up (a million rows deleted and vacuumed)
    gc.collect()
    gc.freeze()
    try:
        figures = measure(call, repeat=LOOKUP_REPEAT, warmup=2)
    finally:
        gc.unfreeze()
    return {"what": "POST /api/v1/hashes/lookup, 10,000 values", **figures, "counts": statuses}


__all__ = ["run", "summarise"]
