"""Disabling accounts nobody has used for a long time."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from victimid import audit_actions
from victimid.models import ApiToken, User
from victimid.models.user import new_session_stamp
from victimid.services.audit import audit_record


def disable_dormant_accounts() -> int:
    """Disable active accounts unused for DORMANT_ACCOUNT_DAYS; returns how many."""
    threshold = timezone.now() - timedelta(days=settings.DORMANT_ACCOUNT_DAYS)
    dormant = User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_seen_at__lt=threshold) | Q(last_seen_at__isnull=True, date_joined__lt=threshold)
    )
    count = 0
    for user in dormant.iterator():
        with transaction.atomic():
            # Conditional update: safe when two workers run the task at once.
            changed = User.objects.filter(pk=user.pk, is_active=True).update(
                is_active=False,
                disabled_reason=f"Unused for {settings.DORMANT_ACCOUNT_DAYS} days",
                session_stamp=new_session_stamp(),
            )
            if not changed:
                continue
            ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
            audit_record(
                actor=None,
                action=audit_actions.USER_DISABLED,
                target=user,
                details={"reason": "dormant", "days": settings.DORMANT_ACCOUNT_DAYS},
            )
            count += 1
    return count
