"""Creating notifications and sending their e-mails after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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
    ids = [notification.pk for notification in created]
    if ids:
        from victimid.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.delay(ids))
    return created


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail, once: the row is claimed by a conditional UPDATE."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    send_mail(
        subject=_("VictimID: %(message)s") % {"message": notification.message[:120]},
        message=_("%(message)s\n\nSign in to VictimID to see the details you are allowed to see.\n")
        % {"message": notification.message},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[notification.recipient.email],
    )
    return True


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or all) of the user's notifications read."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
