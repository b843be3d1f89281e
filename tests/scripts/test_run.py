"""``make run`` stops everything it started, whichever way it is told to stop.

Each test starts the README's ``make run`` as a user's fresh machine would (no
DATABASE_URL or CELERY_BROKER_URL: the embedded PostgreSQL and the filesystem broker)
in a VAR_DIR of this module's own and on a free port, waits for the demo accounts,
signals, and then looks for every process the stack had: make's descendants and the
embedded server with its backends.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from config.embedded import stop_embedded

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]
READY_LINE = "Ctrl-C stops the web server, the worker and the database."
# Generous: a first start creates the database, migrates and seeds, and the machine may
# be busy with the rest of the suite. Only "within" is asserted, never "how fast".
START_SECONDS = 300
STOP_SECONDS = 120
# What a fresh login shell would have; nothing of this test process's Django settings.
PASSED_ON = ("PATH", "HOME", "USER", "LOGNAME", "LANG", "LC_ALL", "TMPDIR", "XDG_RUNTIME_DIR")

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@pytest.fixture(scope="module")
def var_dir() -> Iterator[Path]:
    """The module's VAR_DIR: embedded database, broker folders, beat schedule, secret key.

    Shared by the module's tests (in one pytest-xdist worker), so only the first one
    creates the database and each later one starts on what the previous shutdown left.
    """
    path = Path(tempfile.mkdtemp(prefix="victimid-run-test-"))
    yield path
    with contextlib.suppress(subprocess.CalledProcessError):
        stop_embedded(path)  # a test that failed half-way may have left it running
    shutil.rmtree(path, ignore_errors=True)


def _box(log: str) -> str:
    """The demo accounts' box, from its top rule to its bottom one ('' until it is out)."""
    ready = log.find(READY_LINE)
    top, bottom = log.rfind("\n+-", 0, ready), log.find("-+\n", ready)
    return log[top + 1 : bottom + 2] if ready >= 0 and top >= 0 and bottom >= 0 else ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _stack(make: psutil.Process, var_dir: Path) -> list[psutil.Process]:
    """Every process of the running stack: make's descendants, the database and its backends."""
    processes = make.children(recursive=True)
    postmaster = psutil.Process(int((var_dir / "pgdata" / "postmaster.pid").read_text().split()[0]))
    return [*processes, postmaster, *postmaster.children()]


def _command_lines(processes: list[psutil.Process]) -> str:
    lines = []
    for process in processes:
        try:
            lines.append(" ".join(process.cmdline()))
        except psutil.Error:  # it ended meanwhile
            lines.append(f"(pid {process.pid})")
    return "\n".join(lines)


def _still_there(processes: list[psutil.Process]) -> list[psutil.Process]:
    _gone, alive = psutil.wait_procs(processes, timeout=10)
    return [process for process in alive if process.status() != psutil.STATUS_ZOMBIE]


@needs_make
@pytest.mark.parametrize(
    ("whom", "signum"),
    [
        pytest.param(
            "make",
            signal.SIGINT,
            id="sigint-to-make-alone",
            marks=pytest.mark.skipif(
                not Path("/proc/self/status").exists(),
                reason="noticing the SIGINT make keeps to itself needs Linux's /proc",
            ),
        ),
        pytest.param("make", signal.SIGTERM, id="sigterm-to-make-alone"),
        pytest.param("group", signal.SIGINT, id="ctrl-c-in-a-terminal"),
    ],
)
def test_make_run_stops_every_process_it_started(var_dir, whom, signum):
    port = _free_port()
    env = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    env.update(PORT=str(port), VAR_DIR=str(var_dir))
    log_path = var_dir / f"make-run-{whom}-{signum.name}.log"
    # -o: never reinstall here, even if pyproject.toml is newer than the install stamp.
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", f"PY={sys.executable}"]
    with log_path.open("w") as log:
        make = subprocess.Popen(
            [*command, "run"],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its process group is its own, as in a terminal
        )
    processes: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _box(log_path.read_text()):
            assert make.poll() is None, f"make run ended early:\n{log_path.read_text()}"
            assert time.monotonic() < deadline, f"no demo accounts:\n{log_path.read_text()}"
            time.sleep(0.5)
        log = log_path.read_text()
        box = _box(log)
        assert log.rstrip().endswith(box.rstrip()), f"printed after the demo accounts:\n{log}"
        assert "investigator.nl@demo.victimid.invalid" in box
        assert "make demo-otp EMAIL=" in box
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as health:
            assert health.status == 200
        processes = _stack(psutil.Process(make.pid), var_dir)
        running = _command_lines(processes)
        for expected in ("scripts/run.py", "runserver", "celery", "postgres"):
            assert expected in running, running

        if whom == "make":
            make.send_signal(signum)
        else:
            os.killpg(make.pid, signum)
        make.wait(timeout=STOP_SECONDS)

        log = log_path.read_text()
        # make dies of the signal once its recipe, this script, has ended: no error of its own.
        assert make.returncode == -signum, log
        assert "make: ***" not in log
        assert "Traceback" not in log
        assert log.rstrip().endswith("Embedded PostgreSQL stopped"), log
        left = _still_there(processes)
        assert not left, f"left running:\n{_command_lines(left)}"
        # A clean shutdown removes the pid file; a killed server would leave it behind.
        assert not (var_dir / "pgdata" / "postmaster.pid").exists()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
    finally:
        # After a failure: kill what make started; the fixture stops the database.
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait()
        for process in processes:
            with contextlib.suppress(psutil.Error):  # gone already
                if process.name() != "postgres":
                    process.kill()
