"""Tasks queued by name after a commit, from processes that never imported them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.victimid.test_worker_integration import _database_url

REPO_ROOT = Path(__file__).resolve().parents[2]

# A fresh interpreter, as in a web process or a management command such as seed_demo:
# nothing has imported victimid.tasks, which only a worker's start-up does for it.
_QUEUE_BY_NAME = """
import django
django.setup()
import sys
from celery import current_app
from victimid.jobs import enqueue_after_commit
assert "victimid.tasks.ping" not in current_app.tasks, "the check needs a fresh process"
enqueue_after_commit("victimid.tasks.ping", "hello")  # eager: runs at once, outside a transaction
print("queued")
"""


def test_a_process_that_never_imported_the_task_queues_it_by_name(db):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        # on_commit asks the connection whether a transaction is open: the test database.
        "DATABASE_URL": _database_url(),
    }
    result = subprocess.run(
        [sys.executable, "-c", _QUEUE_BY_NAME],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "queued"
