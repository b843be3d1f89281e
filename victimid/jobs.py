"""Work that must follow a commit leaves here, through the transactional outbox.

A service calls ``enqueue_after_commit(task_name, *args)`` inside its transaction: the
task is written to the outbox (``OutboxMessage``) in that same transaction, and handed
to the broker once the transaction commits. When the broker is unreachable then, the
record is still saved and the request still answers; the periodic relay
(``victimid.tasks.relay_outbox``) hands the task over once the broker is back. Tasks
are named, not imported, so tasks (which call services) and services never import each
other; every task is safe to run twice, because a relay may hand one over twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from victimid import request_context
from victimid.models import OutboxMessage

__all__ = ["enqueue_after_commit", "outbox_backlog", "outbox_relay", "outbox_relay_one"]

logger = logging.getLogger(__name__)

# The relay leaves fresh messages to the hand-over that follows their commit.
RELAY_GRACE = timedelta(seconds=5)
RELAY_BATCH = 500


def enqueue_after_commit(task_name: str, *args: Any) -> None:
    """Queue ``task_name(*args)`` to run once the current transaction commits."""
    message = OutboxMessage.objects.create(
        task_name=task_name, args=list(args), request_id=request_context.current().request_id
    )
    transaction.on_commit(lambda: outbox_relay_one(message_id=message.pk))


def outbox_relay_one(*, message_id: int) -> bool:
    """Hand one pending message to the broker; True if this call handed it over.

    The row stays locked while the broker is asked and is marked sent in the same
    transaction, so a message is never marked sent without having left; a second relay
    skips a row the first holds. An unreachable broker leaves the message pending.
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            return False
        task = _registered_task(message.task_name)
        failed = False
        # The task's log lines and audit events name the request that queued it.
        headers = {"request_id": message.request_id} if message.request_id else {}
        if current_app.conf.task_always_eager:
            # Runs here: its errors are the task's own.
            task.apply_async(args=message.args, headers=headers)
        else:
            try:
                task.apply_async(args=message.args, retry=False, headers=headers)
            except (OperationalError, OSError) as error:  # no broker to take it
                failed = True
                reason = f"{type(error).__name__}: {error}"[:500]
        if not failed:
            message.sent_at = timezone.now()
            message.save(update_fields=["sent_at"])
    if failed:
        OutboxMessage.objects.filter(pk=message_id).update(
            attempts=message.attempts + 1, last_error=reason
        )
        logger.warning("outbox %s (%s) not handed over: %s", message_id, message.task_name, reason)
    return not failed


def outbox_relay(*, older_than: timedelta = RELAY_GRACE, limit: int = RELAY_BATCH) -> int:
    """Hand over pending messages, oldest first; how many left. Stops at the first refusal."""
    cutoff = timezone.now() - older_than
    pending = OutboxMessage.objects.filter(sent_at__isnull=True, created_at__lte=cutoff)
    relayed = 0
    for message_id in pending.order_by("id").values_list("pk", flat=True)[:limit]:
        if not outbox_relay_one(message_id=message_id):
            if OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).exists():
                break  # the broker refused: the rest would fail the same way
            continue
        relayed += 1
    return relayed


def outbox_backlog() -> int:
    """Messages not yet handed to the broker (for /readyz and the metrics)."""
    return OutboxMessage.objects.filter(sent_at__isnull=True).count()


def _registered_task(task_name: str) -> Task:
    """The task called ``task_name``, importing the apps' task modules first if need be.

    Celery registers a task when its module is imported. A worker imports every app's
    ``tasks.py`` when it starts; a web process or a management command (``seed_demo``)
    has not, and would not know the task by its name.
    """
    if task_name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[task_name]
