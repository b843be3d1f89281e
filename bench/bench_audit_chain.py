"""audit_chain — how many audit events per second the hash chain takes (issue 14).

Every casework read writes one event, and every event takes one global PostgreSQL advisory
lock (``victimid.services.audit.lock_chain``) from before it reads the chain head until its
transaction commits: the chain is one queue. This measures its ceiling and whether it limits
the load test's 50 investigators.

For each number of concurrent writers (``AUDIT_BENCH_WRITERS``, default 1,2,4,8,16), each a
thread with its own database connection, for ``AUDIT_BENCH_SECONDS`` (default 5) seconds:

- ``chain``: ``audit_record`` in a transaction of its own, as a read's audit row is written
  (lock, read the head, hash, insert, commit);
- ``baseline``: in the same run, the same writers inserting a row of the same shape (jsonb
  details, a SHA-256 computed in Python) into a plain table, with no lock and
  no head to read — what the database does when writers do not queue.

Target: with 16 writers the chain takes at least twice the audited requests per second of
the load test on a quiet machine (3,530 requests in 120 s, about 29/s, each writing at most
one event): ``AUDIT_BENCH_NEEDED`` (default 29.4) × 2.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from typing import Any

from bench.common import load_average

WRITERS = [int(n) for n in os.environ.get("AUDIT_BENCH_WRITERS", "1,2,4,8,16").split(",")]
SECONDS = float(os.environ.get("AUDIT_BENCH_SECONDS", "5"))
NEEDED = float(os.environ.get("AUDIT_BENCH_NEEDED", "29.4"))
HEADROOM = 2.0

_BASELINE_TABLE = "bench_audit_baseline"


def _chain_write(n: int) -> None:
    from victimid.services.audit import audit_record

    audit_record(actor=None, action="bench.audit_chain", details={"n": n})


def _baseline_write(n: int) -> None:
    from django.db import connection, transaction

    details = json.dumps({"n": n})
    digest = hashlib.sha256(details.encode()).hexdigest()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_BASELINE_TABLE} (occurred_at, action, details, chain_hash) "  # noqa: S608
            "VALUES (now(), 'bench.baseline', %s::jsonb, %s)",
            [details, digest],
        )


def _throughput(write: Any, writers: int) -> dict[str, float]:
    """Events per second ``writers`` threads reach in ``SECONDS``, and their latencies."""
    from django.db import connection

    counts = [0] * writers
    latencies: list[list[float]] = [[] for _ in range(writers)]
    start = threading.Barrier(writers + 1)
    stop = threading.Event()

    def worker(index: int) -> None:
        try:
            start.wait()
            n = 0
            while not stop.is_set():
                began = time.perf_counter()
                write(n)
                latencies[index].append(time.perf_counter() - began)
                counts[index] += 1
                n += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    samples = sorted(s for per in latencies for s in per)
    p95 = samples[int(0.95 * (len(samples) - 1))] if samples else 0.0
    return {
        "events": sum(counts),
        "events_per_second": round(sum(counts) / elapsed, 1),
        "p95_ms": round(p95 * 1000, 2),
    }


def run() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {_BASELINE_TABLE} ("  # noqa: S608
            "id bigserial PRIMARY KEY, occurred_at timestamptz NOT NULL, action text NOT NULL,"
            " details jsonb NOT NULL, chain_hash text NOT NULL)"
        )
        cursor.execute(f"TRUNCATE {_BASELINE_TABLE}")  # noqa: S608
    before = load_average()
    rows = []
    for writers in WRITERS:
        # Taking turns within the same run: the chain, then the baseline, per writer count.
        chain = _throughput(_chain_write, writers)
        baseline = _throughput(_baseline_write, writers)
        rows.append(
            {
                "writers": writers,
                "chain": chain,
                "baseline": baseline,
                "chain_share_of_baseline": round(
                    chain["events_per_second"] / max(baseline["events_per_second"], 0.1), 2
                ),
            }
        )
    after = load_average()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {_BASELINE_TABLE}")  # noqa: S608
    ceiling = max(row["chain"]["events_per_second"] for row in rows)
    at_most = next(row for row in rows if row["writers"] == max(WRITERS))
    target = NEEDED * HEADROOM
    meets = at_most["chain"]["events_per_second"] >= target
    return {
        "meets_target": meets,
        "target": {
            "events_per_second_with_most_writers": target,
            "why": f"twice the load test's {NEEDED} audited requests per second",
        },
        "seconds_per_measurement": SECONDS,
        "load_average_before": before,
        "load_average_after": after,
        "runs": rows,
        "summary": {
            "chain_ceiling_events_per_second": ceiling,
            "chain_with_most_writers": at_most["chain"]["events_per_second"],
            "baseline_with_most_writers": at_most["baseline"]["events_per_second"],
            "meets_target": meets,
        },
    }
