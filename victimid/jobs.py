"""Work that must follow a commit leaves here: a Celery task queued by name once it commits.

Services name the task rather than import it, so tasks (which call services) and
services never import each other. This is also the one place to change when the work
goes through a transactional outbox instead.
"""

from __future__ import annotations

from typing import Any

from celery import Task, current_app
from django.db import transaction

__all__ = ["enqueue_after_commit"]


def enqueue_after_commit(task_name: str, *args: Any) -> None:
    """Queue ``task_name(*args)`` when the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _registered_task(task_name).delay(*args))


def _registered_task(task_name: str) -> Task:
    """The task called ``task_name``, importing the apps' task modules first if need be.

    Celery registers a task when its module is imported. A worker imports every app's
    ``tasks.py`` when it starts; a web process or a management command (``seed_demo``)
    has not, and would not know the task by its name.
    """
    if task_name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[task_name]
