"""Lasting account lockout on top of django-axes' failure counting."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import audit_actions
from victimid.choices import AuditOutcome
from victimid.models import User
from victimid.services.audit import audit_record
from victimid.services.vetting import can_manage_user


def user_lock(*, email: str) -> User | None:
    """Axes counted too many failures for ``email``: lock the account until released."""
    user = User.objects.filter(email__iexact=email).first()
    with transaction.atomic():
        if user is not None and user.locked_at is None:
            user.locked_at = timezone.now()
            user.end_all_sessions()
            user.save(update_fields=["locked_at", "session_stamp"])
        audit_record(
            actor=user,
            actor_email=email,
            action=audit_actions.LOCKED,
            target=user,
            outcome=AuditOutcome.DENIED,
        )
    return user


def user_release(*, actor: User | None, subject: User) -> None:
    """Release a locked account: a coordinator of its country, an admin, or an operator."""
    if not can_manage_user(actor, subject):
        raise PermissionDenied(
            _("Only a coordinator of the user's country or an admin can release.")
        )
    with transaction.atomic():
        User.objects.filter(pk=subject.pk).update(locked_at=None)
        subject.locked_at = None
        AxesProxyHandler.reset_attempts(username=subject.email)
        audit_record(actor=actor, action=audit_actions.RELEASED, target=subject)


def release_contact_text() -> str:
    """Who can release a locked account, in words for the login page.

    The same words for every address: naming the account's country would tell
    anyone typing an address that the account exists and where it is.
    """
    return _("A national coordinator of your country or a platform admin can release it.")
