"""Receivers that record sign-ins and turn axes lockouts into lasting locks."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import User
from victimid.services.audit import audit_record
from victimid.services.lockout import user_lock
from victimid.services.sessions import session_mark_ended, session_start


@receiver(user_logged_in)
def record_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    User.objects.filter(pk=user.pk).update(last_seen_at=timezone.now())
    if request is not None and hasattr(request, "session"):
        request.session["auth_started_at"] = timezone.now().timestamp()
        session_start(request=request, user=user)
    audit_record(actor=user, action=audit_actions.LOGIN, target=user)


@receiver(user_logged_out)
def record_logout(sender: Any, request: Any, user: User | None, **kwargs: Any) -> None:
    if request is not None:
        session_mark_ended(request=request)
    if user is not None:
        audit_record(actor=user, action=audit_actions.LOGOUT, target=user)


@receiver(user_login_failed)
def record_login_failure(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "")[:254]
    user = User.objects.filter(email__iexact=email).first() if email else None
    audit_record(
        actor=user,
        actor_email=email,
        action=audit_actions.LOGIN_FAILED,
        target=user,
        outcome=AuditOutcome.FAILURE,
    )


@receiver(user_locked_out)
def lock_account(sender: Any, request: Any, username: str | None, **kwargs: Any) -> None:
    if username:
        user_lock(email=username)
