"""Creating notifications, queuing their e-mails after commit, and choosing which are e-mailed."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import audit_actions
from victimid.jobs import enqueue_after_commit
from victimid.models import (
    EmailFrequency,
    Notification,
    NotificationKind,
    NotificationPreference,
    User,
)
from victimid.selectors.notifications import (
    notification_email_choices,
    notification_email_frequencies,
)
from victimid.services.audit import audit_record


def notifications_create(
    *,
    recipients: Iterable[User],
    kind: str,
    subject_type: str,
    subject_ref: str,
    message: str,
) -> list[Notification]:
    """Notify each distinct active recipient once; e-mails leave after commit.

    Every notification is queued: the send decides, at the time it sends, whether the
    recipient still wants this kind e-mailed (``notification_email_send``).
    """
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


def notification_email_choices_set(*, actor: User, emailed_kinds: Iterable[str]) -> dict[str, bool]:
    """Set which kinds of notification ``actor`` wants e-mailed; the others stay in-app only.

    Returns what changed (kind: e-mailed now); nothing is written or audited when
    nothing changed.
    """
    wanted = {str(kind) for kind in emailed_kinds}
    unknown = wanted - set(NotificationKind.values)
    if unknown:
        raise ValidationError(
            {
                "emailed_kinds": _("Unknown kind of notification: %(kinds)s")
                % {"kinds": ", ".join(sorted(unknown))}
            }
        )
    before = notification_email_choices(user=actor)
    changed = {kind: kind in wanted for kind, on in before.items() if on != (kind in wanted)}
    if not changed:
        return changed
    with transaction.atomic():
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=actor, kind=kind, email=on)
                for kind, on in changed.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "kind"],
            update_fields=["email"],
        )
        audit_record(
            actor=actor,
            action=audit_actions.NOTIFICATION_EMAILS_CHOSEN,
            target=actor,
            details={"email": changed},
        )
    return changed


def notification_email_frequencies_set(
    *, actor: User, frequencies: dict[str, str]
) -> dict[str, str]:
    """Set how often each kind is e-mailed (at once, daily or weekly digest); what changed."""
    unknown = set(frequencies) - set(NotificationKind.values)
    bad = {value for value in frequencies.values() if value not in EmailFrequency.values}
    if unknown or bad:
        raise ValidationError(
            {
                "frequencies": _("Unknown kind or frequency: %(what)s")
                % {"what": ", ".join(sorted(unknown | bad))}
            }
        )
    before = notification_email_frequencies(user=actor)
    changed = {kind: value for kind, value in frequencies.items() if before[kind] != value}
    if not changed:
        return changed
    with transaction.atomic():
        for kind, value in changed.items():
            NotificationPreference.objects.update_or_create(
                user=actor, kind=kind, defaults={"frequency": value}
            )
        audit_record(
            actor=actor,
            action=audit_actions.NOTIFICATION_EMAILS_CHOSEN,
            target=actor,
            details={"frequency": changed},
        )
    return changed
