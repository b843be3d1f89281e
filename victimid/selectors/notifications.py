"""Reading a user's own notifications and their choice of which ones are e-mailed."""

from __future__ import annotations

from django.db.models import QuerySet

from victimid.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)

__all__ = [
    "notification_email_choices",
    "notification_email_frequencies",
    "notification_email_frequency",
    "notification_email_wanted",
    "unread_notification_count",
]


def unread_notification_count(*, actor: User) -> int:
    """How many of ``actor``'s notifications are still unread."""
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()


def _switched_off(user: User) -> QuerySet[NotificationPreference]:
    # The one statement of the default: a kind is e-mailed unless a row switches it off.
    return NotificationPreference.objects.filter(user=user, email=False)


def notification_email_choices(*, user: User) -> dict[str, bool]:
    """For every kind of notification, whether ``user`` wants it e-mailed."""
    off = set(_switched_off(user).values_list("kind", flat=True))
    return {kind: kind not in off for kind in NotificationKind.values}


def notification_email_wanted(*, recipient: User, kind: str) -> bool:
    """Does ``recipient`` want notifications of ``kind`` e-mailed?"""
    return not _switched_off(recipient).filter(kind=kind).exists()


def notification_email_frequency(*, recipient: User, kind: str) -> str | None:
    """How often ``recipient`` wants ``kind`` e-mailed (``EmailFrequency``); None: never."""
    preference = NotificationPreference.objects.filter(user=recipient, kind=kind).first()
    if preference is None:
        return EmailFrequency.IMMEDIATELY
    return preference.frequency if preference.email else None


def notification_email_frequencies(*, user: User) -> dict[str, str]:
    """For every kind, how often ``user`` wants it e-mailed (when they want it at all)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind: chosen.get(kind, EmailFrequency.IMMEDIATELY) for kind in NotificationKind.values}
