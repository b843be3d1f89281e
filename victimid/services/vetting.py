"""Vetting decisions: approve, renew, reject, suspend, reinstate.

Rules: who may decide about whom is ``users_manageable_by`` (a coordinator for their
own country, an admin for anyone, never oneself); which decisions can be taken from
which state is ``DECISIONS_BY_STATE``. Every decision is a ``VettingDecision`` row and
an audit event. Suspension ends every session and revokes every API token in the
same transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from victimid import audit_actions
from victimid.choices import VettingDecisionKind, VettingState, VettingStatus
from victimid.models import ApiToken, User, VettingDecision
from victimid.selectors.users import users_manageable_by
from victimid.services.audit import audit_record

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: a dev dependency

__all__ = [
    "DECISION_ACTIONS",
    "DECISIONS_BY_STATE",
    "can_manage_user",
    "vetting_approve",
    "vetting_decide",
    "vetting_decision_refusal",
    "vetting_decisions_open",
    "vetting_reinstate",
    "vetting_reject",
    "vetting_renew",
    "vetting_suspend",
]

# The decisions that can be taken from each state of a user's vetting. The service
# refuses every other one and the coordinator's form offers exactly these.
DECISIONS_BY_STATE: dict[VettingState, tuple[VettingDecisionKind, ...]] = {
    VettingState.PENDING: (
        VettingDecisionKind.APPROVE,
        VettingDecisionKind.REJECT,
        VettingDecisionKind.SUSPEND,
    ),
    VettingState.VETTED: (VettingDecisionKind.RENEW, VettingDecisionKind.SUSPEND),
    # Lapsed is still vetted in the database: renewing starts a new period from today.
    VettingState.EXPIRED: (VettingDecisionKind.RENEW, VettingDecisionKind.SUSPEND),
    # A rejected applicant may be approved after all (new information, a mistake).
    VettingState.REJECTED: (VettingDecisionKind.APPROVE, VettingDecisionKind.SUSPEND),
    # Only reinstatement lifts a suspension, so that it is a decision with its own reason.
    VettingState.SUSPENDED: (VettingDecisionKind.REINSTATE,),
}

# How each decision reads as something to do (the kind's own label is the past tense
# shown in the history).
DECISION_ACTIONS: dict[VettingDecisionKind, StrOrPromise] = {
    VettingDecisionKind.APPROVE: gettext_lazy("Approve"),
    VettingDecisionKind.RENEW: gettext_lazy("Renew for another period"),
    VettingDecisionKind.REJECT: gettext_lazy("Reject"),
    VettingDecisionKind.SUSPEND: gettext_lazy("Suspend now"),
    VettingDecisionKind.REINSTATE: gettext_lazy("Reinstate"),
}


def vetting_decisions_open(subject: User) -> tuple[VettingDecisionKind, ...]:
    """The decisions that can be taken about ``subject`` in the state their vetting is in now."""
    return DECISIONS_BY_STATE[subject.effective_vetting_status]


def vetting_decision_refusal(subject: User) -> str:
    """Why a decision not open for ``subject`` is refused, and which ones are open."""
    return _("Not possible while the user's vetting is “%(state)s”. Possible now: %(open)s.") % {
        "state": subject.effective_vetting_status.label,
        "open": ", ".join(str(DECISION_ACTIONS[kind]) for kind in vetting_decisions_open(subject)),
    }


def can_manage_user(actor: User | None, subject: User) -> bool:
    """May ``actor`` take vetting and account decisions about ``subject``? (``None``: operator.)"""
    return actor is None or users_manageable_by(actor).filter(pk=subject.pk).exists()


def _new_expiry() -> datetime:
    return timezone.now() + timedelta(days=settings.VETTING_PERIOD_DAYS)


def _decide(
    *, actor: User | None, subject: User, decision: VettingDecisionKind, reason: str
) -> VettingDecision:
    if not can_manage_user(actor, subject):
        if actor is not None and actor.pk == subject.pk:
            raise PermissionDenied(_("You cannot take vetting decisions about yourself."))
        raise PermissionDenied(
            _("Only a coordinator of the user's country or an admin can decide this.")
        )
    reason = (reason or "").strip()
    with transaction.atomic():
        # Judge the state the row is in now, not the one the caller loaded: two
        # coordinators deciding at once must not both succeed from the same state.
        subject.vetting_status, subject.vetted_until = (
            User.objects.select_for_update()
            .values_list("vetting_status", "vetted_until")
            .get(pk=subject.pk)
        )
        errors: dict[str, str] = {}
        if decision not in vetting_decisions_open(subject):
            errors["decision"] = vetting_decision_refusal(subject)
        if not reason:
            errors["reason"] = _("Give the reason for this decision.")
        if errors:
            raise ValidationError(errors)

        update_fields = ["vetting_status", "vetted_until"]
        if decision == VettingDecisionKind.REJECT:
            subject.vetting_status, subject.vetted_until = VettingStatus.REJECTED, None
        elif decision == VettingDecisionKind.SUSPEND:
            subject.vetting_status = VettingStatus.SUSPENDED  # the date stays, for the record
            subject.end_all_sessions()
            update_fields.append("session_stamp")
            ApiToken.objects.filter(user=subject, revoked_at__isnull=True).update(
                revoked_at=timezone.now()
            )
        else:  # approve, renew, reinstate: vetted for a fresh period from today
            subject.vetting_status, subject.vetted_until = VettingStatus.VETTED, _new_expiry()
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
            details={"decision": str(decision), "reason": reason},
        )
    return record


def vetting_decide(
    *, actor: User | None, subject: User, decision: str, reason: str
) -> VettingDecision:
    """Take the named decision about ``subject``, if it is open from their current state."""
    if decision not in VettingDecisionKind.values:
        raise ValidationError({"decision": _("Choose one of the decisions offered.")})
    return _decide(
        actor=actor, subject=subject, decision=VettingDecisionKind(decision), reason=reason
    )


def vetting_approve(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Vet a pending (or rejected) user for the vetting period."""
    return _decide(
        actor=actor, subject=subject, decision=VettingDecisionKind.APPROVE, reason=reason
    )


def vetting_renew(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Extend a vetted (or lapsed) user's vetting by another period from today."""
    return _decide(actor=actor, subject=subject, decision=VettingDecisionKind.RENEW, reason=reason)


def vetting_reject(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Refuse a pending user."""
    return _decide(actor=actor, subject=subject, decision=VettingDecisionKind.REJECT, reason=reason)


def vetting_suspend(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Suspend at once: sessions end and API tokens are revoked in the same transaction."""
    return _decide(
        actor=actor, subject=subject, decision=VettingDecisionKind.SUSPEND, reason=reason
    )


def vetting_reinstate(*, actor: User | None, subject: User, reason: str) -> VettingDecision:
    """Lift a suspension with a fresh vetting period."""
    return _decide(
        actor=actor, subject=subject, decision=VettingDecisionKind.REINSTATE, reason=reason
    )
