"""Vetting decisions: approve, renew, reject, suspend, reinstate.

Rules: who may decide about whom is ``users_manageable_by`` (a coordinator for their
own country, an admin for anyone, never oneself). Every decision is a
``VettingDecision`` row and an audit event. Suspension ends every session and
revokes every API token in the same transaction.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import audit_actions
from victimid.choices import VettingDecisionKind, VettingStatus
from victimid.models import ApiToken, User, VettingDecision
from victimid.selectors.users import users_manageable_by
from victimid.services.audit import audit_record


def can_manage_user(actor: User | None, subject: User) -> bool:
    """May ``actor`` take vetting and account decisions about ``subject``? (``None``: operator.)"""
    return actor is None or users_manageable_by(actor).filter(pk=subject.pk).exists()


def _check(actor: User | None, subject: User, reason: str) -> str:
    if not can_manage_user(actor, subject):
        if actor is not None and actor.pk == subject.pk:
            raise PermissionDenied(_("You cannot take vetting decisions about yourself."))
        raise PermissionDenied(
            _("Only a coordinator of the user's country or an admin can decide this.")
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for this decision.")})
    return reason


def _decide(
    *,
    actor: User | None,
    subject: User,
    decision: str,
    reason: str,
    status: str,
    vetted_until: object = None,
) -> VettingDecision:
    subject.vetting_status = status
    subject.vetted_until = vetted_until  # type: ignore[assignment]
    update_fields = ["vetting_status", "vetted_until"]
    if decision == VettingDecisionKind.SUSPEND:
        subject.end_all_sessions()
        update_fields.append("session_stamp")
        ApiToken.objects.filter(user=subject, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    subject.save(update_fields=update_fields)
    record = VettingDecision.objects.create(
        subject=subject,
        decided_by=actor,
        decision=decision,
        reason=reason,
        vetted_until=subject.vetted_until,
    )
    audit_record(
        actor=actor,
        action=audit_actions.VETTING_DECIDED,
        target=subject,
        details={"decision": decision, "reason": reason},
    )
    return record


def _new_expiry() -> object:
    return timezone.now() + timedelta(days=settings.VETTING_PERIOD_DAYS)


def vetting_approve(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Vet a pending (or rejected) user for the vetting period."""
    reason = _check(actor, subject, reason)
    if subject.vetting_status not in (VettingStatus.PENDING, VettingStatus.REJECTED):
        raise ValidationError(_("Only pending or rejected users can be approved; renew instead."))
    with transaction.atomic():
        return _decide(
            actor=actor,
            subject=subject,
            decision=VettingDecisionKind.APPROVE,
            reason=reason,
            status=VettingStatus.VETTED,
            vetted_until=_new_expiry(),
        )


def vetting_renew(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Extend a vetted (or expired) user's vetting by another period from today."""
    reason = _check(actor, subject, reason)
    if subject.vetting_status != VettingStatus.VETTED:
        raise ValidationError(_("Only vetted users can be renewed."))
    with transaction.atomic():
        return _decide(
            actor=actor,
            subject=subject,
            decision=VettingDecisionKind.RENEW,
            reason=reason,
            status=VettingStatus.VETTED,
            vetted_until=_new_expiry(),
        )


def vetting_reject(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Refuse a pending user."""
    reason = _check(actor, subject, reason)
    if subject.vetting_status != VettingStatus.PENDING:
        raise ValidationError(_("Only pending users can be rejected; suspend instead."))
    with transaction.atomic():
        return _decide(
            actor=actor,
            subject=subject,
            decision=VettingDecisionKind.REJECT,
            reason=reason,
            status=VettingStatus.REJECTED,
        )


def vetting_suspend(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Suspend at once: sessions end and API tokens are revoked in the same transaction."""
    reason = _check(actor, subject, reason)
    if subject.vetting_status == VettingStatus.SUSPENDED:
        raise ValidationError(_("This user is already suspended."))
    with transaction.atomic():
        return _decide(
            actor=actor,
            subject=subject,
            decision=VettingDecisionKind.SUSPEND,
            reason=reason,
            status=VettingStatus.SUSPENDED,
            vetted_until=subject.vetted_until,
        )


def vetting_reinstate(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Lift a suspension with a fresh vetting period."""
    reason = _check(actor, subject, reason)
    if subject.vetting_status != VettingStatus.SUSPENDED:
        raise ValidationError(_("Only suspended users can be reinstated."))
    with transaction.atomic():
        return _decide(
            actor=actor,
            subject=subject,
            decision=VettingDecisionKind.REINSTATE,
            reason=reason,
            status=VettingStatus.VETTED,
            vetted_until=_new_expiry(),
        )
