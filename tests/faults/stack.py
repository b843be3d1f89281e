"""Real processes for the fault tests, each on a free port and owned by the test.

Nothing here touches the machine's shared PostgreSQL, Redis or RabbitMQ: every test
starts its own PostgreSQL cluster (initdb in a temporary directory, as the ``postgres``
system user when run as root, since PostgreSQL refuses to run as root), its own
``redis-server``, gunicorn and Celery workers, and stops or kills only those.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PG_BIN_DIRS = [Path(f"/usr/lib/postgresql/{v}/bin") for v in (17, 16, 15, 14)]


def pg_bin() -> Path | None:
    """The folder of initdb and pg_ctl, if this machine has PostgreSQL's server binaries."""
    configured = os.environ.get("FAULTS_PG_BIN")
    candidates = [Path(configured)] if configured else PG_BIN_DIRS
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def missing_binaries() -> list[str]:
    missing = []
    if pg_bin() is None:
        missing.append("PostgreSQL server binaries (initdb, pg_ctl)")
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing.append("a 'postgres' system user to run PostgreSQL as (running as root)")
    return missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    check: Callable[[], bool], *, seconds: float, what: str, log: Callable[[], str] | None = None
) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            detail = f"\n{log()}" if log else ""
            raise AssertionError(f"timed out after {seconds:.0f} s waiting for {what}{detail}")
        time.sleep(0.2)


def port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return False
    return True


def _stop(process: subprocess.Popen[bytes] | None, *, seconds: float = 8) -> None:
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class OwnPostgres:
    """A throwaway PostgreSQL cluster on a free port; stop() and start() at will."""

    def __init__(self) -> None:
        folder = pg_bin()
        assert folder is not None
        self.bin = folder
        self.root = Path(tempfile.mkdtemp(prefix="victimid-faults-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.root.chmod(0o755)
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(self.root, postgres.pw_uid, postgres.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "--no-sync",
            "-E",
            "UTF8",
        )
        self.start()

    def _run(self, *command: str) -> None:
        subprocess.run([*self.as_user, *command], check=True, capture_output=True, cwd=self.root)

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "server.log"),
            "-w",
            "start",
        )

    def running(self) -> bool:
        return port_open(self.port)

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def query(self, sql: str, *params: Any, database: str = "postgres") -> list[tuple[Any, ...]]:
        """Run one statement (autocommit) and return its rows (none for a command)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(sql, params or None)
            return cursor.fetchall() if cursor.description else []

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class OwnRedis:
    """A throwaway redis-server on a free port (no persistence); stop() and start() again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="victimid-faults-redis-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(lambda: port_open(self.port), seconds=20, what="redis-server")

    def stop(self) -> None:
        _stop(self.process)
        wait_for(lambda: not port_open(self.port), seconds=10, what="redis-server to stop")

    def close(self) -> None:
        _stop(self.process)
        shutil.rmtree(self.root, ignore_errors=True)


class Processes:
    """gunicorn and Celery workers started for one test, all stopped at the end."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.started: dict[str, subprocess.Popen[bytes]] = {}

    def start(
        self, name: str, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=BASE_DIR,
            env={**self.env, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own group: a kill reaches its pool processes too
        )
        log.close()
        self.started[name] = process
        return process

    def log(self, name: str) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def gunicorn(self, name: str = "web", workers: int = 2) -> int:
        port = free_port()
        self.start(
            name,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "config.wsgi",
        )
        wait_for(
            lambda: http("GET", f"http://127.0.0.1:{port}/healthz")[0] == 200,
            seconds=60,
            what="gunicorn",
            log=lambda: self.log(name),
        )
        return port

    def worker(
        self, name: str, *, beat: bool = False, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        # A single-process worker: SIGKILL stops the task it runs, with nothing left behind.
        args = shlex.split("-m celery -A config worker --pool solo --loglevel INFO")
        args += ["--without-gossip", "--without-mingle", "--hostname", f"{name}@%h"]
        if beat:
            args += ["--beat", "--schedule", str(self.logs / f"{name}-beat-schedule")]
        process = self.start(name, *args, env=env)
        wait_for(
            lambda: "ready." in self.log(name),
            seconds=60,
            what=f"worker {name}",
            log=lambda: self.log(name),
        )
        return process

    def kill(self, name: str) -> None:
        process = self.started[name]
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self, name: str) -> None:
        _stop(self.started.pop(name, None))

    def close(self) -> None:
        for name in list(self.started):
            self.stop(name)


def http(
    method: str,
    url: str,
    *,
    token: str | None = None,
    body: dict[str, Any] | None = None,
    timeout: float = 30,
) -> tuple[int, Any]:
    """One request; (status, parsed JSON or text). Connection failures are status 0."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - our own server
            status, raw, kind = (
                response.status,
                response.read(),
                response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as error:
        status, raw, kind = error.code, error.read(), error.headers.get("Content-Type", "")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, None
    if "json" in kind:
        return status, json.loads(raw)
    return status, raw.decode(errors="replace")
