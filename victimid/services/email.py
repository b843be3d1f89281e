"""Sending a notification's e-mail: once, and never dropped when the mail server fails."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid.models import Notification
from victimid.selectors.notifications import notification_email_wanted

__all__ = ["notification_email_failed", "notification_email_send"]

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
        if not notification_email_wanted(recipient=notification.recipient, kind=notification.kind):
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
