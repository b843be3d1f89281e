"""Sending a notification's e-mail: once, and never dropped when the mail server fails."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid.models import EmailFrequency, Notification, NotificationPreference, User
from victimid.selectors.notifications import notification_email_frequency

__all__ = ["notification_digests_send", "notification_email_failed", "notification_email_send"]

logger = logging.getLogger(__name__)


def notification_email_send(*, notification_id: int) -> bool:
    """Send one notification's e-mail unless it was sent or is not wanted; True when sent.

    The row stays locked while the mail server is asked, and is marked sent in the same
    transaction: a failed send rolls back and raises, so the task retries it, and a
    second delivery of the task finds it sent (or locked by the first) and does nothing.
    The recipient's choice is read at that moment, under the same lock, so a retry
    after they switched the kind off sends nothing; the notification is then marked
    skipped, once and for good, and stays in-app like every other.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True, email_skipped_at__isnull=True)
            .first()
        )
        if notification is None:
            return False
        frequency = notification_email_frequency(
            recipient=notification.recipient, kind=notification.kind
        )
        if frequency in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
            return False  # it leaves in the recipient's next digest
        if frequency is None:
            notification.email_skipped_at = timezone.now()
            notification.email_failed_at = None
            notification.save(update_fields=["email_skipped_at", "email_failed_at"])
            return False
        send_mail(
            subject=_("VictimID: %(message)s") % {"message": notification.message[:120]},
            message=_(
                "%(message)s\n\nSign in to VictimID to see the details you are allowed to see.\n"
            )
            % {"message": notification.message},
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.email_failed_at = None
        notification.save(update_fields=["emailed_at", "email_failed_at"])
    return True


def notification_email_failed(*, notification_id: int, error: str) -> None:
    """Every retry failed: mark the notification so operators see it and can send again."""
    Notification.objects.filter(
        pk=notification_id, emailed_at__isnull=True, email_skipped_at__isnull=True
    ).update(email_failed_at=timezone.now())
    logger.error("notification %s: e-mail not sent after every retry: %s", notification_id, error)


def notification_digests_send(*, frequency: str) -> int:
    """Send each user one e-mail of their pending notifications of the kinds they want in a
    digest at ``frequency``; how many e-mails left.

    Per user, the rows are locked while the mail server is asked and marked sent in the same
    transaction: a failure rolls back and raises (the task retries), a second delivery finds
    them sent. A kind switched off meanwhile is not in the digest; the others wait.
    """
    if frequency not in (EmailFrequency.DAILY, EmailFrequency.WEEKLY):
        raise ValueError(f"No digest at frequency {frequency!r}")
    wanted = NotificationPreference.objects.filter(email=True, frequency=frequency)
    kinds_by_user: dict[int, list[str]] = {}
    for user_id, kind in wanted.values_list("user_id", "kind"):
        kinds_by_user.setdefault(user_id, []).append(kind)
    sent = 0
    for user_id, kinds in kinds_by_user.items():
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(
                    recipient_id=user_id,
                    kind__in=kinds,
                    emailed_at__isnull=True,
                    email_skipped_at__isnull=True,
                )
                .order_by("created_at", "id")
            )
            if not pending:
                continue
            recipient = User.objects.get(pk=user_id)
            if not recipient.is_active:
                continue
            lines = "\n".join(f"- {n.created_at:%Y-%m-%d %H:%M} UTC: {n.message}" for n in pending)
            send_mail(
                subject=_("VictimID: %(count)d notifications") % {"count": len(pending)},
                message=_(
                    "%(lines)s\n\nSign in to VictimID to see the details you are allowed to see.\n"
                )
                % {"lines": lines},
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[recipient.email],
            )
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                emailed_at=timezone.now(), email_failed_at=None
            )
            sent += 1
    return sent
