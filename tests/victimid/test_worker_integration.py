"""A real Celery worker consumes from the configured broker (no eager mode)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from celery.result import EagerResult
from django.conf import settings

from config.celery import app as celery_app
from victimid.tasks import ping

pytestmark = pytest.mark.integration

BASE_DIR = Path(settings.BASE_DIR)


@contextmanager
def _celery_conf(**overrides: Any) -> Iterator[None]:
    """Point the in-process Celery app at another broker/backend, and restore it afterwards."""
    saved = {key: celery_app.conf.get(key) for key in overrides}

    def reset_connections() -> None:
        # The broker pool and the result backend are built lazily from the
        # configuration and then cached; drop them so the new values take effect.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None
        celery_app._backend = celery_app._get_backend()

    celery_app.conf.update(overrides)
    reset_connections()
    try:
        yield
    finally:
        celery_app.conf.update(saved)
        reset_connections()


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A worker subprocess on the configured broker (or a filesystem broker in tmp_path)."""
    queue = f"integration-{uuid.uuid4().hex[:12]}"  # never steal another run's tasks
    results = tmp_path / "results"
    results.mkdir()
    conf: dict[str, Any] = {
        "result_backend": f"file://{results}",
        "task_always_eager": False,
    }
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.test_settings",
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_RESULT_BACKEND=conf["result_backend"],
        PYTHONUNBUFFERED="1",
    )
    if env.get("DATABASE_URL") is None:
        # The embedded server this test process runs on; the worker joins it.
        env["DATABASE_URL"] = _database_url()
    if os.environ.get("CELERY_BROKER_URL"):
        conf["broker_url"] = os.environ["CELERY_BROKER_URL"]
    else:
        # config/settings.py derives the filesystem broker's folders from VAR_DIR.
        var_dir = tmp_path / "var"
        queue_dir = var_dir / "celery" / "queue"
        processed_dir = var_dir / "celery" / "processed"
        control_dir = var_dir / "celery" / "control"
        for folder in (queue_dir, processed_dir, control_dir):
            folder.mkdir(parents=True)
        env.pop("CELERY_BROKER_URL", None)
        env["VAR_DIR"] = str(var_dir)
        conf["broker_url"] = "filesystem://"
        conf["broker_transport_options"] = {
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "processed_folder": str(processed_dir),
            "control_folder": str(control_dir),
            "store_processed": False,
        }

    log_path = tmp_path / "worker.log"
    with log_path.open("w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "solo",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "--queues",
                queue,
                "--hostname",
                f"{queue}@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        with _celery_conf(**conf):
            yield {"queue": queue, "process": process, "log": log_path}
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _database_url() -> str:
    """A URL for the database this test process uses, for a worker subprocess to join.

    The embedded server listens on a Unix socket whose folder dj-database-url parsed
    into ``OPTIONS["host"]`` (pgserver's ``?host=`` form); it goes back into the URL
    percent-encoded in the host part, the form dj-database-url reads as a socket folder.
    """
    database = settings.DATABASES["default"]
    host = database.get("HOST") or database.get("OPTIONS", {}).get("host") or ""
    port = database.get("PORT") or 5432
    if host.startswith("/"):
        return f"postgresql://{database['USER']}@{quote(host, safe='')}:{port}/{database['NAME']}"
    return f"postgresql://{database['USER']}@{host}:{port}/{database['NAME']}"


def _worker_log(worker: dict[str, Any]) -> str:
    return worker["log"].read_text(encoding="utf-8", errors="replace")


def test_a_real_worker_runs_a_task_sent_through_the_broker(worker: dict[str, Any]) -> None:
    result = ping.apply_async(("x",), queue=worker["queue"])
    assert not isinstance(result, EagerResult), "the task ran in the test process, not a worker"
    try:
        answer = result.get(timeout=60)
    except Exception as exc:
        log = _worker_log(worker)
        raise AssertionError(f"no answer from the worker ({exc!r}); its log:\n{log}") from exc
    assert answer == "pong:x"
    # The worker's own log names the task it ran (it may flush a moment after the result).
    deadline = time.monotonic() + 10
    while f"[{result.id}] succeeded" not in _worker_log(worker):
        assert time.monotonic() < deadline, _worker_log(worker)
        time.sleep(0.2)
    assert worker["process"].poll() is None, "the worker died while running the task"
