"""Browser sessions a user can list and end, and an admin can end all at once."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import audit_actions, request_context
from victimid.audit_chain import normal_ip
from victimid.models import User, UserSession
from victimid.services.audit import audit_record

__all__ = [
    "SESSION_ID_KEY",
    "session_end",
    "session_is_current",
    "session_start",
    "sessions_end_all",
]

SESSION_ID_KEY = "victimid_sid"
_TOUCH_EVERY = timedelta(seconds=60)


def session_start(*, request: HttpRequest, user: User) -> UserSession:
    """Record the session ``request`` signed ``user`` into (its id goes in the session)."""
    record = UserSession.objects.create(
        user=user,
        sid=secrets.token_hex(16),
        source_ip=normal_ip(request_context.current().source_ip),
        user_agent=request.headers.get("User-Agent", "")[:200],
    )
    request.session[SESSION_ID_KEY] = record.sid
    return record


def session_is_current(*, request: HttpRequest, user: User) -> bool:
    """False when this session was ended (by its owner elsewhere, or by an admin). A session
    from before sessions were recorded is recorded now."""
    sid = request.session.get(SESSION_ID_KEY)
    if not sid:
        session_start(request=request, user=user)
        return True
    record = UserSession.objects.filter(sid=sid, user=user).first()
    if record is None or record.ended_at is not None:
        return False
    now = timezone.now()
    if now - record.last_seen_at > _TOUCH_EVERY:
        UserSession.objects.filter(pk=record.pk).update(last_seen_at=now)
    return True


def sessions_active(*, user: User) -> list[UserSession]:
    """The user's sessions that have not ended nor outlived the absolute limit."""
    oldest = timezone.now() - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    return list(
        UserSession.objects.filter(user=user, ended_at__isnull=True, created_at__gte=oldest)
    )


def session_end(*, actor: User, session: UserSession) -> None:
    """End one of one's own sessions (it is signed out at its next request)."""
    if session.user_id != actor.pk:
        raise PermissionDenied(_("You can end only your own sessions."))
    with transaction.atomic():
        ended = UserSession.objects.filter(pk=session.pk, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        if ended:
            audit_record(actor=actor, action=audit_actions.SESSION_ENDED, target=session)


def session_mark_ended(*, request: HttpRequest) -> None:
    """The session of ``request`` signed out: it is no longer listed."""
    sid = request.session.get(SESSION_ID_KEY) if hasattr(request, "session") else None
    if sid:
        UserSession.objects.filter(sid=sid, ended_at__isnull=True).update(ended_at=timezone.now())


def sessions_end_all(*, actor: User, subject: User, keep_sid: str = "") -> int:
    """End every session of ``subject`` (but ``keep_sid``, when they end their others):
    a platform admin for anyone (suspension), anyone for themselves. Ending all also
    rotates the session stamp, so sessions from before recording end too."""
    if actor.pk != subject.pk and not actor.is_platform_admin:
        raise PermissionDenied(_("Only a platform admin ends another user's sessions."))
    with transaction.atomic():
        ended = (
            UserSession.objects.filter(user=subject, ended_at__isnull=True)
            .exclude(sid=keep_sid)
            .update(ended_at=timezone.now())
        )
        if not keep_sid:
            subject.end_all_sessions()
            subject.save(update_fields=["session_stamp"])
        audit_record(
            actor=actor,
            action=audit_actions.SESSIONS_ENDED_ALL,
            target=subject,
            details={"sessions": ended, "kept_current": bool(keep_sid)},
        )
    return ended
