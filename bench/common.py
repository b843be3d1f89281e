"""Shared pieces of the benchmarks: Django set-up on a dedicated database, timing, results.

Benchmarks run against their own database (``victimid_bench_<scale>`` on the server of
``DATABASE_URL``, or on the embedded server) so that seeding a million rows never
touches development data, and keep it between runs: seeding is the slow part.

Django runs with production settings (``DEBUG=false``): with DEBUG on, every query is
also recorded in ``connection.queries``, which is work production never does. The
production settings refuse to start without a secret key, so the runner sets a
throwaway one that nothing signed with it outlives.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
SCALE = os.environ.get("BENCH_SCALE", "full")
if SCALE not in {"full", "small"}:
    raise SystemExit("BENCH_SCALE must be 'full' or 'small'")


def setup_django() -> None:
    """Point Django at the benchmark database (created if missing) and set it up."""
    sys.path.insert(0, str(BASE_DIR))
    # Production settings, whatever the shell says: the figures are for DEBUG off.
    os.environ["DEBUG"] = "false"
    os.environ["SECRET_KEY"] = "bench-throwaway-" + secrets.token_urlsafe(48)
    # Signs the audit checkpoints of the benchmark database only.
    os.environ.setdefault("AUDIT_SIGNING_KEY", "bench-audit-" + secrets.token_urlsafe(32))
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        from config.embedded import embedded_database_url
        from config.env import env_str

        base_url = embedded_database_url(Path(env_str("VAR_DIR") or BASE_DIR / "var"))
    # BENCH_DATABASE names another database (a branch whose migrations differ from main's
    # keeps its own, so that it never migrates the one others measure on).
    bench_name = os.environ.get("BENCH_DATABASE") or f"victimid_bench_{SCALE}"
    if not bench_name.replace("_", "").isalnum():
        raise SystemExit("BENCH_DATABASE must be letters, digits and underscores")
    import psycopg

    admin_url = _with_database(base_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [bench_name]
        ).fetchone()
        if not found:
            conn.execute(f'CREATE DATABASE "{bench_name}"')
    os.environ["DATABASE_URL"] = _with_database(base_url, bench_name)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _with_database(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (what else the shared machine was doing)."""
    try:
        fields = Path("/proc/loadavg").read_text(encoding="ascii").split()
    except OSError:
        return [round(value, 2) for value in os.getloadavg()]
    return [float(value) for value in fields[:3]]


def bench_runs() -> int:
    """How many consecutive runs a benchmark makes (``BENCH_RUNS``, default 1)."""
    raw = os.environ.get("BENCH_RUNS", "1")
    if not raw.isdigit() or not 1 <= int(raw) <= 10:
        raise SystemExit("BENCH_RUNS must be a whole number from 1 to 10")
    return int(raw)


def measure(action: Callable[[], Any], *, repeat: int, warmup: int = 3) -> dict[str, float]:
    """Run ``action`` repeatedly; return p50, p95 and mean in milliseconds."""
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return summarise(samples)


def measure_interleaved(
    actions: dict[str, Callable[[], float]], *, repeat: int, warmup: int = 3
) -> dict[str, dict[str, float]]:
    """Several actions taking turns, so that load from other processes on a shared machine
    falls on all of them alike (a query and its baseline stay comparable). The starting
    action rotates each round so none always runs first or last.

    Each action returns the milliseconds it measured itself (``stopwatch`` for the whole
    call), so an action can leave out the work that is not being measured."""
    names = list(actions)
    for _ in range(warmup):
        for name in names:
            actions[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(repeat):
        shift = turn % len(names)
        for name in names[shift:] + names[:shift]:
            samples[name].append(actions[name]())
    return {name: summarise(values) for name, values in samples.items()}


def stopwatch(action: Callable[[], Any]) -> float:
    """Milliseconds ``action`` took."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def summarise(samples: list[float]) -> dict[str, float]:
    """p50, p95 and mean of timings in milliseconds."""
    return {
        "p50_ms": round(percentile(samples, 0.50), 3),
        "p95_ms": round(percentile(samples, 0.95), 3),
        "mean_ms": round(statistics.fmean(samples), 3),
        "runs": len(samples),
    }


def write_result(name: str, result: dict[str, Any]) -> Path:
    """Write bench/results/<name>.json with the figures and the conditions they came from."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "scale": SCALE,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        **result,
    }
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
