"""Run the whole stack for a developer or a demo: ``make run``.

Starts the embedded PostgreSQL when no DATABASE_URL is set, migrates, collects the
static files when DEBUG is off, seeds demo data once, then runs the web server and a
Celery worker (with beat) and, once both are up, prints the demo accounts last.

Stopping. The web server and the worker run in sessions of their own, so a terminal's
Ctrl-C (SIGINT to the whole foreground process group) reaches make and this script
only, and this script stops the rest in order: the web server and the worker first
(SIGTERM: their own clean shutdown; killed if they take longer than STOP_SECONDS),
then the embedded database (a fast shutdown, which writes a checkpoint). SIGTERM,
SIGHUP and SIGQUIT do the same; a second signal while stopping kills the web server
and the worker at once, and still lets the database shut down cleanly.

A signal sent to make alone reaches nobody else. GNU make passes SIGTERM on to its
recipe (the Makefile execs this script, so the recipe is this process), but on SIGINT,
SIGHUP or SIGQUIT it waits for the recipe to end and only then dies of the signal. The
Makefile names make's pid in STOP_WITH_MAKE, and this script watches that make
(``MakeWatch``) and stops as if it had been signalled itself.

Environment: HOST and PORT (127.0.0.1 and 8000); VAR_DIR (``var/`` in the checkout),
where the embedded database, the broker's folders and the collected static files live,
and the e-mails unless EMAIL_BACKEND says where else they go.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from config.env import env_bool, env_int, env_str  # noqa: E402  (needs BASE_DIR on the path)

HOST = env_str("HOST", "127.0.0.1") or "127.0.0.1"
PORT = env_int("PORT", 8000, minimum=1)
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")
DEBUG = env_bool("DEBUG", False)
WORKER_PIDFILE = VAR_DIR / "celery-worker.pid"

POLL_SECONDS = 0.2
STOP_SECONDS = 30  # for the web server and the worker to stop before they are killed
READY_SECONDS = 300  # for both to come up before the demo accounts are printed anyway


class Stopping(Exception):
    """Unwinds start-up or the main loop to the shutdown: a stop was asked for, or a failure."""

    def __init__(self, exit_code: int = 0) -> None:
        super().__init__(exit_code)
        self.exit_code = exit_code


class MakeWatch:
    """Tells when the make that runs this script has been told to stop, or has gone.

    GNU make handles SIGHUP, SIGINT, SIGQUIT and SIGTERM; when one of them arrives it
    puts the default action back (so that it can die of the signal once its recipe has
    ended) and waits. Linux shows the handlers a process has in /proc/<pid>/status
    (SigCgt), so a signal make stopped handling is a signal make received. Without
    /proc (macOS), only make's exit is noticed.
    """

    FATAL_SIGNALS = (signal.SIGHUP, signal.SIGINT, signal.SIGQUIT, signal.SIGTERM)

    def __init__(self, pid: int) -> None:
        # Only the make that started this process directly: anything else is a mistake.
        self.pid = pid if pid == os.getppid() else None
        self.handled = self._handled() if self.pid else None

    def _handled(self) -> frozenset[int] | None:
        try:
            status = Path(f"/proc/{self.pid}/status").read_text(encoding="ascii")
        except OSError:
            return None
        for line in status.splitlines():
            if line.startswith("SigCgt:"):
                mask = int(line.split()[1], 16)
                return frozenset(s for s in self.FATAL_SIGNALS if mask & (1 << (s - 1)))
        return None

    def stopping(self) -> bool:
        if self.pid is None:
            return False
        if os.getppid() != self.pid:
            return True  # make has gone and this process was handed to another parent
        if not self.handled:
            return False
        now = self._handled()
        return now is not None and not self.handled <= now


class Stack:
    """The processes this script started, and whether it has been told to stop."""

    def __init__(self) -> None:
        self.signals = 0
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.make = MakeWatch(env_int("STOP_WITH_MAKE", 0, minimum=0))

    def on_signal(self, signum: int, frame: object) -> None:
        self.signals += 1

    def check_stop(self) -> None:
        if self.signals or self.make.stopping():
            raise Stopping(0)

    def check_processes(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                say(f"The {name} exited with status {process.returncode}; stopping.")
                raise Stopping(process.returncode or 1)

    def start(
        self, name: str, *args: str, env: dict[str, str] | None = None, capture: bool = False
    ) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, *args],
            cwd=BASE_DIR,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if capture else None,
            # Out of the terminal's process group: this script alone decides when and in
            # which order its processes stop.
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def step(self, name: str, *args: str, capture: bool = False) -> str:
        """Run one management command to its end; its failure (it says why) stops the rest."""
        process = self.start(name, "manage.py", *args, capture=capture)
        while process.poll() is None:
            self.check_stop()
            time.sleep(POLL_SECONDS)
        del self.processes[name]
        if process.returncode:
            raise Stopping(process.returncode)
        return process.stdout.read().decode() if process.stdout else ""

    def stop(self) -> None:
        """SIGTERM to every process; kill what is left after STOP_SECONDS or another signal."""
        signals_before = self.signals
        running = [process for process in self.processes.values() if process.poll() is None]
        for process in running:
            process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        while any(process.poll() is None for process in running):
            if time.monotonic() > deadline or self.signals > signals_before:
                for process in running:
                    if process.poll() is None:
                        # The whole session: a worker's pool processes go with it. The
                        # process is not reaped yet, so its group id is still its own.
                        with contextlib.suppress(ProcessLookupError):
                            os.killpg(process.pid, signal.SIGKILL)
            time.sleep(POLL_SECONDS)
        self.processes.clear()


def say(message: str) -> None:
    # A closed terminal or pipe must not keep this script from stopping what it started.
    with contextlib.suppress(OSError):
        print(message, flush=True)


def boxed(lines: list[str]) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line:<{width}} |" for line in lines), rule])


def shown(path: Path) -> str:
    """A path relative to the checkout, where make runs, when it is inside it."""
    return str(path.relative_to(BASE_DIR)) if path.is_relative_to(BASE_DIR) else str(path)


def port_is_free(host: str, port: int) -> bool:
    """Whether nothing listens there yet (else the readiness probe would find the other)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the dev server does
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def accepts_connections(host: str, port: int) -> bool:
    """Whether the web server listens: its banner is out, and no request line is logged."""
    try:
        socket.create_connection((host, port), timeout=2).close()
    except OSError:
        return False
    return True


def mail_to_files() -> Path | None:
    """Unless told otherwise, e-mail goes to files: in the log it would push the logins away."""
    if env_str("EMAIL_BACKEND"):
        return None
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.filebased.EmailBackend"
    return Path(env_str("EMAIL_FILE_PATH") or VAR_DIR / "mail")  # as config/settings.py has it


def start_embedded_database(stack: Stack) -> None:
    from config.embedded import embedded_database_url

    try:
        # Not stopped at exit by pgserver: the finally block of main() stops it, last.
        url = embedded_database_url(VAR_DIR, stop_at_exit=False)
    except Exception:
        stack.check_stop()  # interrupted while it started: stop without a traceback
        raise
    os.environ["DATABASE_URL"] = url  # every process started from here joins it
    say(f"Embedded PostgreSQL running under {shown(VAR_DIR / 'pgdata')}")


def serve(stack: Stack, url: str, mail_dir: Path | None, *, embedded: bool) -> None:
    """Start the web server and the worker, wait until both are up, then print the logins."""
    probe_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(HOST, HOST)  # noqa: S104
    stack.start(
        "web server",
        "manage.py",
        "runserver",
        f"{HOST}:{PORT}",
        "--noreload",
        "--skip-checks",  # migrate has just run them
        env={"DJANGO_RUNSERVER_HIDE_WARNING": "true"},
    )
    WORKER_PIDFILE.unlink(missing_ok=True)  # left by a worker that was killed
    stack.start(
        "worker",
        "-m",
        "celery",
        "-A",
        "config",
        "--quiet",  # no banner
        "worker",
        "--beat",
        "--loglevel",
        "WARNING",
        "--concurrency",
        "2",
        # Written once the worker has set itself up, so its start-up lines come first.
        "--pidfile",
        str(WORKER_PIDFILE),
    )
    logins = stack.step("demo accounts", "demo_logins", "--url", url, capture=True)
    deadline = time.monotonic() + READY_SECONDS
    while not (WORKER_PIDFILE.exists() and accepts_connections(probe_host, PORT)):
        stack.check_stop()
        stack.check_processes()
        if time.monotonic() > deadline:
            break
        time.sleep(POLL_SECONDS)
    lines = logins.strip("\n").splitlines()
    lines.append("")
    if mail_dir:
        lines.append(f"E-mails (invitations, notifications) go to files in {shown(mail_dir)}/")
    if embedded:
        lines.append("Ctrl-C stops the web server, the worker and the database.")
    else:
        lines.append("Ctrl-C stops the web server and the worker.")
    say("\n" + boxed(lines))


def main() -> int:
    if not port_is_free(HOST, PORT):
        say(f"Something already listens on {HOST}:{PORT}; stop it, or use PORT=<another> make run.")
        return 1
    stack = Stack()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(signum, stack.on_signal)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    embedded = not os.environ.get("DATABASE_URL")
    mail_dir = mail_to_files()
    exit_code = 0
    try:
        if embedded:
            start_embedded_database(stack)
        say("Applying migrations")
        stack.step("migrations", "migrate", "--noinput", "--verbosity", "0")
        if not DEBUG:
            # WhiteNoise serves what is collected, under hashed names, from the start.
            say("Collecting static files")
            stack.step("collectstatic", "collectstatic", "--noinput", "--verbosity", "0")
        stack.step("demo data", "seed_demo")
        serve(stack, f"http://{HOST}:{PORT}/", mail_dir, embedded=embedded)
        while True:
            stack.check_stop()
            stack.check_processes()
            time.sleep(POLL_SECONDS)
    except Stopping as stopping:
        exit_code = stopping.exit_code
    finally:
        try:
            if stack.processes:
                say(f"Stopping: {', '.join(stack.processes)}")
            stack.stop()
        finally:
            if embedded:
                from config.embedded import stop_embedded

                if stop_embedded(VAR_DIR):
                    say("Embedded PostgreSQL stopped")
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
