"""Work that must follow a commit leaves here: a Celery task queued by name once it commits.

Services name the task rather than import it, so tasks (which call services) and
services never import each other. This is also the one place to change when the work
goes through a transactional outbox instead.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction

__all__ = ["enqueue_after_commit"]


def enqueue_after_commit(task_name: str, *args: Any) -> None:
    """Queue ``task_name(*args)`` when the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: current_app.tasks[task_name].delay(*args))
