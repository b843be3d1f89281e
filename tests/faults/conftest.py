"""Fixtures of the fault tests: a stack of real processes of the test's own.

Each test process runs one PostgreSQL cluster of its own, with a migrated and seeded
template database; each test gets a fresh copy of it, its own Redis, and a
``Processes`` to start gunicorn and Celery workers on them. The tests skip when the
binaries are missing, unless FAULTS_REQUIRED=1 (``make faults`` and CI set it).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.faults.stack import (
    BASE_DIR,
    OwnPostgres,
    OwnRedis,
    Processes,
    http,
    missing_binaries,
)

TEMPLATE = "victimid_faults_template"
SECRET_KEY = "faults-only-" + "Kp3xQ9mZ2vR7tL8wN4bY6cJ1hF5dS0aG" * 2
AUDIT_SIGNING_KEY = "faults-audit-" + "Vb7Qm2Xr9Lk4Tz6W" * 2


@dataclass
class Stack:
    postgres: OwnPostgres
    redis: OwnRedis
    processes: Processes
    seed: dict[str, Any]
    mail_dir: Path
    database: str

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.postgres.query(sql, *params, database=self.database)

    def post_clue(self, port: int, title: str) -> tuple[int, Any]:
        """The owner posts a clue on the seeded series through the web server on ``port``."""
        return http(
            "POST",
            f"http://127.0.0.1:{port}/api/v1/clues",
            token=self.seed["owner_token"],
            body={
                "series": self.seed["series"],
                "taxonomy_node": "flora",
                "title": title,
                "description": "A palm tree through the window.",
                "distribution": "agency",
            },
        )


def _env(database_url: str, broker_url: str, work: Path, mail_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "EMAIL_", "PYTEST_", "METRICS_"))
    }
    env.update(
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(BASE_DIR),
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        # The seed (test settings), the web server and the workers sign audit checkpoints
        # with the same key, so the restored chain verifies.
        AUDIT_SIGNING_KEY=AUDIT_SIGNING_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        # A message a killed worker held goes back to the queue after this long.
        CELERY_VISIBILITY_TIMEOUT="5",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        VAR_DIR=str(work / "var"),
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    return env


@dataclass
class _Cluster:
    postgres: OwnPostgres
    seed: dict[str, Any]


@pytest.fixture(scope="session")
def _cluster() -> Iterator[_Cluster]:
    """One PostgreSQL cluster per test process, with a migrated and seeded template."""
    missing = missing_binaries()
    if missing:
        if os.environ.get("FAULTS_REQUIRED") == "1":
            pytest.fail(f"fault tests need {', '.join(missing)}")
        pytest.skip(f"fault tests need {', '.join(missing)}")
    postgres = OwnPostgres()
    work = Path(tempfile.mkdtemp(prefix="victimid-faults-template-"))
    try:
        postgres.query(f"CREATE DATABASE {TEMPLATE}")
        env = _env(postgres.url(TEMPLATE), "redis://127.0.0.1:1/0", work, work)
        template = Processes(env, work)
        template.manage("migrate", "--noinput", "-v0")
        seeded = processes_run_seed(template)
        yield _Cluster(postgres, seeded)
    finally:
        postgres.close()
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def stack(_cluster: _Cluster) -> Iterator[Stack]:
    postgres = _cluster.postgres
    if not postgres.running():
        postgres.start()  # a test that stopped it failed before starting it again
    work = Path(tempfile.mkdtemp(prefix="victimid-faults-"))
    mail_dir = work / "mail"
    mail_dir.mkdir()
    # Only the API is called: no collected static files, just their (empty) folder.
    (work / "var" / "static").mkdir(parents=True)
    database = f"victimid_faults_{uuid.uuid4().hex[:8]}"
    postgres.query(f"CREATE DATABASE {database} TEMPLATE {TEMPLATE}")
    redis = OwnRedis()
    processes = Processes(_env(postgres.url(database), redis.url, work, mail_dir), work)
    try:
        yield Stack(postgres, redis, processes, _cluster.seed, mail_dir, database)
    finally:
        processes.close()
        redis.close()
        if postgres.running():
            postgres.query(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        shutil.rmtree(work, ignore_errors=True)


def processes_run_seed(processes: Processes) -> dict[str, Any]:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-m", "tests.faults.seed"],
        cwd=BASE_DIR,
        env={
            **processes.env,
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "CELERY_TASK_ALWAYS_EAGER": "false",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
