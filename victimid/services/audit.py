"""Writing audit events and checkpoints. Every service records its own events, so tasks
and commands are covered.

The events form one hash chain (``victimid.audit_chain``). Writers are serialised by a
PostgreSQL transaction-level advisory lock taken inside the writing transaction: the
next writer waits until the previous one commits or rolls back, then reads the chain
head afresh (READ COMMITTED takes a new snapshot per statement), so concurrent requests
on separate connections still produce one unbroken chain. The lock is held until the
surrounding transaction ends, which is why services write their audit row last.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from victimid import audit_actions, request_context
from victimid.audit_chain import (
    GENESIS_HASH,
    hash_of,
    key_id,
    normal_ip,
    plain_details,
    signature_of,
)
from victimid.choices import AuditOutcome, Role
from victimid.models import AuditCheckpoint, AuditEvent, User
from victimid.selectors.audit_chain import ChainReport, audit_chain_verify

__all__ = [
    "audit_chain_check",
    "audit_checkpoint_write",
    "audit_record",
    "chain_head",
    "lock_chain",
    "signing_key",
]

logger = logging.getLogger("victimid.audit")

# pg_advisory_xact_lock key: "VIDAUDIT" read as a big-endian 64-bit integer.
CHAIN_LOCK = int.from_bytes(b"VIDAUDIT", "big") - 2**63


def lock_chain() -> None:
    """Wait for, and hold until the transaction ends, the right to extend the chain."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def chain_head() -> tuple[int, str]:
    """The sequence and hash the next event follows: the newest event, else the newest
    checkpoint (retention may have archived every event), else the genesis."""
    last = AuditEvent.objects.order_by("-sequence").values_list("sequence", "chain_hash").first()
    if last is not None:
        return last
    checkpoint = (
        AuditCheckpoint.objects.order_by("-sequence", "-id")
        .values_list("sequence", "chain_hash")
        .first()
    )
    return checkpoint if checkpoint is not None else (0, GENESIS_HASH)


def signing_key() -> bytes:
    return settings.AUDIT_SIGNING_KEY.encode("utf-8")


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    details: dict[str, Any] | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Append one audit event for ``actor`` doing ``action`` to ``target``, chained."""
    context = request_context.current()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if is_user else None,
        actor_email=plain_details(actor_email or (actor.email if is_user and actor else "")),
        actor_agency_id=actor.agency_id if is_user and actor else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        outcome=outcome,
        source_ip=normal_ip(context.source_ip),
        request_id=context.request_id,
        details=plain_details(details or {}),
    )
    with transaction.atomic():
        lock_chain()
        previous_sequence, previous_hash = chain_head()
        event.sequence = previous_sequence + 1
        event.occurred_at = timezone.now()
        event.chain_hash = hash_of(event, previous_hash)
        event.save(force_insert=True)
    return event


def audit_checkpoint_write(*, archived_through: int | None = None) -> AuditCheckpoint:
    """Sign and store the current chain head and event count (periodic, and after an archive).

    The head also goes to the application log, a second copy outside the database."""
    key = signing_key()
    with transaction.atomic():
        lock_chain()
        sequence, head_hash = chain_head()
        checkpoint = AuditCheckpoint(
            created_at=timezone.now(),
            sequence=sequence,
            chain_hash=head_hash,
            event_count=AuditEvent.objects.count(),
            archived_through=archived_through,
            key_id=key_id(key),
        )
        checkpoint.signature = signature_of(checkpoint, key)
        checkpoint.save(force_insert=True)
    logger.info(
        "audit checkpoint %s: head #%s %s, %s events",
        checkpoint.pk,
        checkpoint.sequence,
        checkpoint.chain_hash,
        checkpoint.event_count,
    )
    return checkpoint


def audit_chain_check() -> ChainReport:
    """Verify the chain; when it is broken, record that and alert every platform admin."""
    report = audit_chain_verify()
    if report.intact:
        logger.info("audit chain intact: %s events checked", report.checked)
        return report
    logger.error("audit chain broken: %s", report.problem)
    recipients = sorted(
        User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN), is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    subject = f"VictimID: the audit trail failed verification at event #{report.broken_sequence}"
    body = (
        f"{report.problem}\n\n{report.checked} events checked before the problem.\n"
        "Run `python manage.py verify_audit` on the server for the same report, and treat the "
        "audit table as tampered with until explained."
    )
    mail_admins(subject, body, fail_silently=True)
    if recipients:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
    audit_record(
        actor=None,
        action=audit_actions.AUDIT_CHAIN_BROKEN,
        outcome=AuditOutcome.FAILURE,
        details={"broken_sequence": report.broken_sequence, "checked": report.checked},
    )
    return report
