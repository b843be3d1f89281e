"""Reading a user's own notifications."""

from __future__ import annotations

from victimid.models import Notification, User

__all__ = ["unread_notification_count"]


def unread_notification_count(*, actor: User) -> int:
    """How many of ``actor``'s notifications are still unread."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
