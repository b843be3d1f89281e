"""Celery tasks of the people-and-trust app: thin wrappers around services."""

from __future__ import annotations

import smtplib
from typing import Any

from celery import Task, shared_task

from victimid.jobs import outbox_relay
from victimid.services.audit import audit_chain_check, audit_checkpoint_write
from victimid.services.dormancy import disable_dormant_accounts as disable_dormant
from victimid.services.email import (
    notification_digests_send,
    notification_email_failed,
    notification_email_send,
)


@shared_task(name="victimid.tasks.disable_dormant_accounts")
def disable_dormant_accounts() -> int:
    """Disable accounts unused for the dormancy period (periodic, via beat)."""
    return disable_dormant()


@shared_task(name="victimid.tasks.relay_outbox")
def relay_outbox() -> int:
    """Hand to the broker the work it could not take when its transaction committed."""
    return outbox_relay()


@shared_task(name="victimid.tasks.write_audit_checkpoint")
def write_audit_checkpoint() -> int:
    """Sign the audit chain's head and count (periodic, via beat); the head's sequence."""
    return audit_checkpoint_write().sequence


@shared_task(name="victimid.tasks.verify_audit_chain")
def verify_audit_chain() -> bool:
    """Walk the audit chain; alert the admins when it is broken (periodic, via beat)."""
    return audit_chain_check().intact


@shared_task(name="victimid.tasks.ping")
def ping(payload: str) -> str:
    """Echo a payload: proves a worker consumes from the configured broker."""
    return f"pong:{payload}"


class _EmailTask(Task):  # type: ignore[misc]
    """Marks the notification when the last retry has failed, so no e-mail is lost unseen."""

    def on_failure(
        self,
        exc: Exception,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        notification_id = kwargs.get("notification_id", args[0] if args else None)
        if notification_id is not None:
            notification_email_failed(notification_id=int(notification_id), error=repr(exc))


@shared_task(
    base=_EmailTask,
    name="victimid.tasks.send_notification_email",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=10,
)
def send_notification_email(notification_id: int) -> bool:
    """E-mail one notification once; a mail server failure is retried with backoff."""
    return notification_email_send(notification_id=notification_id)


@shared_task(
    name="victimid.tasks.send_notification_digests",
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=10,
)
def send_notification_digests(frequency: str) -> int:
    """E-mail each user one digest of the kinds they chose at ``frequency`` (via beat)."""
    return notification_digests_send(frequency=frequency)
