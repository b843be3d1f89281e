"""Creating notifications and sending their e-mails after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from victimid.jobs import enqueue_after_commit
from victimid.models import Notification, User


def notifications_create(
    *,
    recipients: Iterable[User],
    kind: str,
    subject_type: str,
    subject_ref: str,
    message: str,
) -> list[Notification]:
    """Notify each distinct active recipient once; e-mails leave after commit."""
    unique = {user.pk: user for user in recipients if user.is_active}
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=kind,
            subject_type=subject_type,
            subject_ref=subject_ref,
            message=message[:500],
        )
        for user in unique.values()
    )
    for notification in created:
        enqueue_after_commit("victimid.tasks.send_notification_email", notification.pk)
    return created


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
