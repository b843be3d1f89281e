"""Celery tasks of the people-and-trust app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from victimid.services.dormancy import disable_dormant_accounts as disable_dormant


@shared_task(name="victimid.tasks.disable_dormant_accounts")
def disable_dormant_accounts() -> int:
    """Disable accounts unused for the dormancy period (periodic, via beat)."""
    return disable_dormant()


@shared_task(name="victimid.tasks.ping")
def ping(payload: str) -> str:
    """Echo a payload: proves a worker consumes from the configured broker."""
    return f"pong:{payload}"


@shared_task(name="victimid.tasks.send_notification_emails")
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification once (safe to run twice); returns how many were sent."""
    from victimid.services.notifications import notification_email_send

    return sum(notification_email_send(notification_id=pk) for pk in notification_ids)
