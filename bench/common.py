"""Shared pieces of the benchmarks: Django set-up on a dedicated database, timing, results.

Benchmarks run against their own database (``victimid_bench`` on the server of
``DATABASE_URL``, or on the embedded server) so that seeding a million rows never
touches development data, and keep it between runs: seeding is the slow part.
"""

from __future__ import annotations

import json
import os
import platform
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
    os.environ.setdefault("DEBUG", "true")
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        from config.embedded import embedded_database_url
        from config.env import env_str

        base_url = embedded_database_url(Path(env_str("VAR_DIR") or BASE_DIR / "var"))
    bench_name = f"victimid_bench_{SCALE}"
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
    actions: dict[str, Callable[[], Any]], *, repeat: int, warmup: int = 3
) -> dict[str, dict[str, float]]:
    """``measure`` for several actions taking turns, so that load from other processes on
    a shared machine falls on all of them alike (a query and its baseline stay comparable).
    The starting action rotates each round so none always runs first or last."""
    names = list(actions)
    for _ in range(warmup):
        for name in names:
            actions[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    for turn in range(repeat):
        shift = turn % len(names)
        for name in names[shift:] + names[:shift]:
            started = time.perf_counter()
            actions[name]()
            samples[name].append((time.perf_counter() - started) * 1000)
    return {name: summarise(values) for name, values in samples.items()}


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
