"""Load test: investigators at work against gunicorn, with Locust (headless, bounded).

On the access benchmark's data (``bench/seed_casework.py``, ``victimid_bench_<scale>``):

1. **50 concurrent investigators for two minutes** (``LOAD_USERS``, ``LOAD_SECONDS``),
   each with a token of their own, doing the mix of ``bench/locust/locustfile.py``: list
   series, open a series and its clues, open a clue, search, post a clue, assess a clue,
   look up 1,000 hash values. Target: zero errors. p50 and p95 per endpoint are
   recorded.
2. **The most investigators for which p95 of every endpoint stays under 500 ms**: steps
   of ``LOAD_STEPS`` users, ``LOAD_STEP_SECONDS`` each, stopping at the first step that
   misses (or has an error).

gunicorn runs with production settings (``DEBUG=false``) and ``config/gunicorn.py``
(``LOAD_WEB_WORKERS`` processes of ``LOAD_WEB_THREADS`` threads). Locust runs on the same
machine (2 shared cores here), so its own CPU use and other work on the machine weigh on
the figures: each run records the load average before and after. The clues and
assessments the run posts (and the notifications of those), and the tokens it issued,
are removed afterwards.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

if __name__ == "__main__":  # python bench/bench_load.py: the checkout on the path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BASE_DIR, SCALE, load_average  # noqa: E402

TARGET_P95_MS = 500.0
POSTED_PREFIX = "Load test palm "
ASSESSMENT_COMMENT = "Load test assessment"  # as bench/locust/locustfile.py writes it
TOKEN_NAME = "load-test"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _issue_tokens(count: int) -> list[str]:
    from bench.seed_casework import EMAIL_DOMAIN
    from victimid.models import User
    from victimid.services.tokens import api_token_issue

    users = User.objects.filter(
        email__endswith=f"@{EMAIL_DOMAIN}", email__startswith="investigator-", is_active=True
    ).order_by("id")[:count]
    return [api_token_issue(user=user, name=TOKEN_NAME, days=1)[1] for user in users]


def _clean_up() -> dict[str, int]:
    """Remove what the run wrote: its clues, assessments, their notifications, the tokens."""
    from cases.models import Assessment, Clue
    from victimid.models import ApiToken, Notification, NotificationKind

    assessments, _ = Assessment.objects.filter(comment=ASSESSMENT_COMMENT).delete()
    notices, _ = Notification.objects.filter(kind=NotificationKind.CLUE_ASSESSED).delete()
    clues, _ = Clue.objects.filter(title__startswith=POSTED_PREFIX).delete()
    tokens, _ = ApiToken.objects.filter(name=TOKEN_NAME).delete()
    return {
        "clues_removed": clues,
        "assessments_removed": assessments,
        "notifications_removed": notices,
        "tokens_removed": tokens,
    }


class Web:
    """gunicorn on a free port with production settings, on the benchmark database."""

    def __init__(self, work: Path) -> None:
        self.port = _free_port()
        (work / "var" / "static").mkdir(parents=True)
        env = {
            **os.environ,
            "DEBUG": "false",
            "SECRET_KEY": "load-throwaway-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "VAR_DIR": str(work / "var"),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.log_path = work / "web.log"
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py",
                    "--bind", f"127.0.0.1:{self.port}",
                    "--workers", str(_env_int("LOAD_WEB_WORKERS", 4)),
                    "--threads", str(_env_int("LOAD_WEB_THREADS", 4)),
                    "--worker-class", "gthread", "config.wsgi",
                ],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while not self._healthy():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()}")
            time.sleep(0.3)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _locust(host: str, tokens_file: Path, users: int, seconds: int, work: Path) -> dict[str, Any]:
    """One headless Locust run; its per-endpoint figures from Locust's CSV."""
    prefix = work / f"locust-{users}"
    load_before = load_average()
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(BASE_DIR / "bench/locust/locustfile.py"),
            "--headless", "--users", str(users), "--spawn-rate", str(max(5, users // 5)),
            "--run-time", f"{seconds}s", "--stop-timeout", "10", "--host", host,
            "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
        ],
        cwd=BASE_DIR, env={**os.environ, "LOAD_TOKENS_FILE": str(tokens_file)},
        capture_output=True, text=True, timeout=seconds + 120,
    )  # fmt: skip
    endpoints: dict[str, dict[str, Any]] = {}
    total: dict[str, Any] = {}
    with (work / f"locust-{users}_stats.csv").open() as stats:
        for row in csv.DictReader(stats):
            figures = {
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "p99_ms": float(row["99%"] or 0),
                "requests_per_second": round(float(row["Requests/s"] or 0), 2),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                endpoints[f"{row['Type']} {row['Name']}".replace("POST POST ", "POST ")] = figures
    errors: list[dict[str, str]] = []
    failures_csv = work / f"locust-{users}_failures.csv"
    if failures_csv.exists():
        with failures_csv.open() as failures:
            errors = [
                {"endpoint": row["Name"], "error": row["Error"][:300], "count": row["Occurrences"]}
                for row in csv.DictReader(failures)
            ]
    worst = max((e["p95_ms"] for e in endpoints.values()), default=0.0)
    return {
        "users": users,
        "seconds": seconds,
        "wall_seconds": round(time.monotonic() - started, 1),
        "locust_exit_status": result.returncode,
        "load_average_before": load_before,
        "load_average_after": load_average(),
        "total": total,
        "endpoints": endpoints,
        "errors": errors,
        "worst_p95_ms": worst,
        "every_p95_under_500ms": bool(endpoints) and worst < TARGET_P95_MS,
        "zero_errors": bool(total) and total.get("failures", 1) == 0,
    }


def run() -> dict[str, Any]:
    from bench.seed_casework import SCALES, ensure_seeded

    seed = ensure_seeded(SCALES[SCALE])
    users = _env_int("LOAD_USERS", 50)
    seconds = _env_int("LOAD_SECONDS", 120)
    step_seconds = _env_int("LOAD_STEP_SECONDS", 30 if SCALE == "full" else 20)
    steps = [int(n) for n in (os.environ.get("LOAD_STEPS") or "10,25,50,75,100,150").split(",")]
    work = Path(tempfile.mkdtemp(prefix="victimid-load-"))
    tokens_file = work / "tokens.json"
    _clean_up()
    tokens_file.write_text(json.dumps(_issue_tokens(max([users, *steps]))))
    web = Web(work)
    try:
        main_run = _locust(web.url, tokens_file, users, seconds, work)
        search: list[dict[str, Any]] = []
        most = 0
        for step in steps:
            figures = _locust(web.url, tokens_file, step, step_seconds, work)
            search.append(figures)
            if not (figures["zero_errors"] and figures["every_p95_under_500ms"]):
                break
            most = step
    finally:
        web.stop()
        cleaned = _clean_up()
    shutil.rmtree(work, ignore_errors=True)  # kept when the run failed, for its logs
    return {
        "scale": SCALE,
        "seed": {key: seed[key] for key in ("scale", "counts", "reused") if key in seed},
        "web": {
            "workers": _env_int("LOAD_WEB_WORKERS", 4),
            "threads": _env_int("LOAD_WEB_THREADS", 4),
            "settings": "DEBUG=false, config/gunicorn.py",
        },
        "cpu_count": os.cpu_count(),
        "mix": "list series 2, series + its clues 3, clue 3, search 3, post a clue 1, "
        "assess a clue 1, look up 1,000 hashes 1; 1-3 s between steps",
        "target": "zero errors with 50 investigators for 2 minutes",
        "meets_target": main_run["zero_errors"],
        "run": main_run,
        "most_users_with_every_p95_under_500ms": most,
        "search": search,
        "clean_up": cleaned,
        "summary": {
            "users": users,
            "errors": main_run["total"].get("failures"),
            "requests": main_run["total"].get("requests"),
            "worst_p95_ms": main_run["worst_p95_ms"],
            "most_users_p95_under_500ms": most,
            "load_average_after": main_run["load_average_after"],
        },
    }


if __name__ == "__main__":
    from bench.common import setup_django, write_result

    setup_django()
    outcome = run()
    print(json.dumps(outcome["summary"]))
    print(write_result("load", outcome))
    sys.exit(0 if outcome["meets_target"] else 1)
