"""Run the whole stack for a developer or a demo: ``make run``.

Starts the embedded PostgreSQL when no DATABASE_URL is set, migrates, seeds demo
data once, then runs the web server and a Celery worker (with beat) until
Ctrl-C, which stops every process it started, the embedded database included.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HOST = os.environ.get("HOST", "127.0.0.1")
PORT = os.environ.get("PORT", "8000")
VAR_DIR = Path(os.environ.get("VAR_DIR") or BASE_DIR / "var")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, check=True)


def main() -> int:
    embedded = not os.environ.get("DATABASE_URL")
    if embedded:
        from config.embedded import embedded_database_url

        # Start it here so every child process finds it running; pass the URL on.
        os.environ["DATABASE_URL"] = embedded_database_url(VAR_DIR, stop_at_exit=False)
        print(f"Embedded PostgreSQL running under {VAR_DIR / 'pgdata'}", flush=True)
    manage("migrate", "--noinput")
    manage("seed_demo")
    children = [
        subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"{HOST}:{PORT}", "--noreload"], cwd=BASE_DIR
        ),
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--schedule",
                str(VAR_DIR / "celerybeat-schedule"),
            ],
            cwd=BASE_DIR,
        ),
    ]
    manage("demo_logins", "--url", f"http://{HOST}:{PORT}/")

    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    try:
        while not stopping:
            for child in children:
                if child.poll() is not None:
                    print(f"{child.args[2]} exited with {child.returncode}; stopping", flush=True)
                    stopping, exit_code = True, child.returncode or 1
            time.sleep(0.5)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        if embedded:
            from config.embedded import stop_embedded

            stop_embedded(VAR_DIR)
            print("Embedded PostgreSQL stopped", flush=True)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
