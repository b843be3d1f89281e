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
