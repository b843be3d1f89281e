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

import hashlib
import hmac
import logging
import os
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import mail_admins, send_mail
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import audit_actions, request_context
from victimid.audit_chain import (
    ARCHIVE_FORMAT,
    GENESIS_HASH,
    archive_row,
    canonical_json,
    hash_of,
    key_id,
    normal_ip,
    plain_details,
    signature_of,
    utc_text,
)
from victimid.choices import AuditOutcome, Role
from victimid.models import (
    AUDIT_EVENT_FIELDS,
    AuditCheckpoint,
    AuditEvent,
    AuditVerification,
    User,
)
from victimid.selectors.audit_chain import ChainReport, audit_chain_verify

__all__ = [
    "audit_archive",
    "audit_chain_check",
    "audit_checkpoint_write",
    "audit_record",
    "audit_verification_store",
    "chain_head",
    "lock_chain",
    "signing_key",
]

# The audit trail's own logger: one JSON line per event (``_ship``), the checkpoints' heads
# and the verifications' verdicts. Deployments route it to a log collector on another
# system (docs/deploy.md), a copy of the trail the database's administrators do not hold.
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
        # Shipped once the event is committed: a rolled-back event never reaches the
        # collector, whose copy would otherwise hold a sequence the chain gives to another.
        transaction.on_commit(partial(_ship, event, previous_hash), robust=True)
    return event


def _ship(event: AuditEvent, previous_hash: str) -> None:
    """Write one committed event as one structured log line: the event exactly as the chain
    hashes it (identifiers and minimal details only, as stored) with the previous hash, so
    the collector's copy can be checked against the chain, and the chain against it."""
    logger.info(
        "audit event #%s %s %s",
        event.sequence,
        event.action,
        event.outcome,
        extra={"audit_event": {**archive_row(event), "previous_hash": previous_hash}},
    )


def audit_checkpoint_write() -> AuditCheckpoint:
    """Sign and store the current chain head and event count (periodic, via beat).

    The head also goes to the application log, a second copy outside the database."""
    with transaction.atomic():
        lock_chain()
        sequence, head_hash = chain_head()
        checkpoint = _checkpoint_at(sequence=sequence, chain_hash=head_hash)
    logger.info(
        "audit checkpoint %s: head #%s %s, %s events",
        checkpoint.pk,
        checkpoint.sequence,
        checkpoint.chain_hash,
        checkpoint.event_count,
        extra={
            "audit_checkpoint": {
                "id": checkpoint.pk,
                "sequence": checkpoint.sequence,
                "chain_hash": checkpoint.chain_hash,
                "event_count": checkpoint.event_count,
                "key_id": checkpoint.key_id,
                "signature": checkpoint.signature,
            }
        },
    )
    return checkpoint


def audit_verification_store(report: ChainReport) -> AuditVerification:
    """Keep the verdict of one walk of the chain, for the metrics endpoint to report."""
    return AuditVerification.objects.create(
        verified_at=timezone.now(),
        events_checked=report.checked,
        head_sequence=report.head_sequence,
        intact=report.intact,
        broken_sequence=report.broken_sequence,
        problem=report.problem[:2000],
    )


def audit_chain_check() -> ChainReport:
    """Verify the chain and store the verdict; when it is broken, record that and alert
    every platform admin."""
    report = audit_chain_verify()
    verdict = audit_verification_store(report)
    summary = {
        "verified_at": utc_text(verdict.verified_at),
        "events_checked": verdict.events_checked,
        "head_sequence": verdict.head_sequence,
        "intact": verdict.intact,
        "broken_sequence": verdict.broken_sequence,
    }
    if report.intact:
        logger.info(
            "audit chain intact: %s events checked",
            report.checked,
            extra={"audit_verification": summary},
        )
        return report
    logger.error("audit chain broken: %s", report.problem, extra={"audit_verification": summary})
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


def _checkpoint_at(
    *, sequence: int, chain_hash: str, archived_through: int | None = None
) -> AuditCheckpoint:
    """A signed checkpoint at one event (with ``archived_through``: the anchor the chain
    starts from after an archive). The caller holds the chain lock."""
    key = signing_key()
    checkpoint = AuditCheckpoint(
        created_at=timezone.now(),
        sequence=sequence,
        chain_hash=chain_hash,
        event_count=AuditEvent.objects.count(),
        archived_through=archived_through,
        key_id=key_id(key),
    )
    checkpoint.signature = signature_of(checkpoint, key)
    checkpoint.save(force_insert=True)
    return checkpoint


def audit_archive(*, before: datetime, path: Path) -> dict[str, Any]:
    """Write the events older than ``before`` to a signed file at ``path``, then remove them
    together with a signed checkpoint at the last one (the database refuses the removal
    without that checkpoint). Refuses when the chain does not verify: a broken trail is
    evidence, never archived away. Returns what was archived."""
    report = audit_chain_verify()
    if not report.intact:
        raise ValidationError(
            _("The audit chain does not verify (%(problem)s); nothing is archived.")
            % {"problem": report.problem}
        )
    events = AuditEvent.objects.filter(occurred_at__lt=before).order_by("sequence")
    last = events.values_list("sequence", "chain_hash").last()
    if last is None:
        return {"archived": 0, "through": None, "file": None}
    through, through_hash = last
    first = events.values_list("sequence", flat=True).first() or through
    anchor = AuditCheckpoint.objects.filter(archived_through=first - 1).first()
    previous_hash = anchor.chain_hash if anchor is not None else GENESIS_HASH
    key = signing_key()
    digest = hashlib.sha256()
    count = 0
    temporary = path.with_name(path.name + ".partial")
    with temporary.open("wb") as out:

        def write(line: bytes) -> None:
            digest.update(line + b"\n")
            out.write(line + b"\n")

        write(
            canonical_json(
                {
                    "format": ARCHIVE_FORMAT,
                    "before": utc_text(before),
                    "through": through,
                    "previous_hash": previous_hash,
                    "created_at": utc_text(timezone.now()),
                }
            )
        )
        rows = (
            AuditEvent.objects.filter(sequence__lte=through)
            .order_by("sequence")
            .values_list(*AUDIT_EVENT_FIELDS, named=True)
            .iterator(chunk_size=5000)
        )
        for row in rows:
            write(canonical_json(archive_row(row)))
            count += 1
        signature = hmac.new(key, digest.hexdigest().encode("ascii"), hashlib.sha256).hexdigest()
        write(canonical_json({"count": count, "key_id": key_id(key), "signature": signature}))
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(path)
    with transaction.atomic():
        lock_chain()
        _checkpoint_at(sequence=through, chain_hash=through_hash, archived_through=through)
        removed, _by_model = AuditEvent.objects.filter(sequence__lte=through).delete()
        audit_record(
            actor=None,
            action=audit_actions.AUDIT_ARCHIVED,
            details={"through": through, "events": removed, "file_sha256": digest.hexdigest()},
        )
    return {"archived": removed, "through": through, "file": str(path)}
