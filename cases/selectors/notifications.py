"""A user's notifications with a link to what each is about, while they may still see it.

Notifications carry codes (a clue: its number) only (``victimid.models.Notification``);
whether the reader may open the record a notification names is the access policy's question, asked
once per kind of record for a whole page of notifications.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse

from cases.models import Clue, Series, Victim
from victimid.models import Notification, User

__all__ = ["NotificationRow", "notification_rows", "notifications_for"]

# What a notification can be about: the model, the field its reference holds, and the
# page and API route that open it.
_SUBJECTS: dict[str, tuple[type[Model], str, str, str]] = {
    "series": (Series, "code", "series-detail", "api-series-detail"),
    "victim": (Victim, "code", "victim-detail", "api-victim-detail"),
    "clue": (Clue, "pk", "clue-detail", "api-clue-detail"),
}


@dataclass(frozen=True)
class NotificationRow:
    """A notification and, when its reader may still open its subject, where to."""

    notification: Notification
    page_url: str | None
    api_url: str | None


def notification_rows(
    *, actor: User, notifications: Iterable[Notification]
) -> list[NotificationRow]:
    """Each notification with its links; none for a subject the reader may no longer see."""
    notifications = list(notifications)
    wanted: dict[str, set[str]] = defaultdict(set)
    for notification in notifications:
        wanted[notification.subject_type].add(notification.subject_ref)
    visible: dict[str, set[str]] = {}
    for subject_type, refs in wanted.items():
        if subject_type in _SUBJECTS:
            model, field, _page, _api = _SUBJECTS[subject_type]
            if field == "pk":  # a numeric reference: anything else names no record
                refs = {ref for ref in refs if ref.isdigit()}
            found = model._default_manager.visible_to(actor).filter(**{f"{field}__in": refs})  # type: ignore[attr-defined]
            visible[subject_type] = {str(ref) for ref in found.values_list(field, flat=True)}
    rows = []
    for notification in notifications:
        kind, ref = notification.subject_type, notification.subject_ref
        if ref in visible.get(kind, set()):
            _model, _field, page, api = _SUBJECTS[kind]
            rows.append(
                NotificationRow(notification, reverse(page, args=[ref]), reverse(api, args=[ref]))
            )
        else:
            rows.append(NotificationRow(notification, None, None))
    return rows


def notifications_for(*, actor: User, limit: int = 200) -> list[NotificationRow]:
    """``actor``'s own notifications, newest first, with their links."""
    notifications = Notification.objects.filter(recipient=actor)[:limit]
    return notification_rows(actor=actor, notifications=notifications)
