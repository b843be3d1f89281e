"""Verifying the audit hash chain against its content and its signed checkpoints."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.conf import settings

from victimid.audit_chain import GENESIS_HASH, hash_of, key_id, signature_of
from victimid.models import AUDIT_EVENT_FIELDS, AuditCheckpoint, AuditEvent

__all__ = ["ChainReport", "audit_chain_verify"]

_FIELDS = ("pk", *AUDIT_EVENT_FIELDS)


@dataclass(frozen=True)
class ChainReport:
    """What a walk of the chain found: how many events it checked and the first problem."""

    checked: int
    first_sequence: int | None
    head_sequence: int
    checkpoints: int
    problem: str = ""
    broken_sequence: int | None = None

    @property
    def intact(self) -> bool:
        return not self.problem


def _keys() -> dict[str, bytes]:
    keys = [settings.AUDIT_SIGNING_KEY, *settings.AUDIT_SIGNING_OLD_KEYS]
    return {key_id(key.encode("utf-8")): key.encode("utf-8") for key in keys}


def _signature_valid(checkpoint: AuditCheckpoint, keys: dict[str, bytes]) -> bool:
    key = keys.get(checkpoint.key_id)
    if key is None:
        return False
    return hmac.compare_digest(signature_of(checkpoint, key), checkpoint.signature)


def audit_chain_verify(*, chunk_size: int = 5000) -> ChainReport:
    """Walk every event in sequence order, recompute each hash, and hold the chain to every
    signed checkpoint. Stops at the first problem, naming the event where it shows."""
    checkpoints = list(AuditCheckpoint.objects.order_by("sequence", "id"))
    keys = _keys()
    for checkpoint in checkpoints:
        if not _signature_valid(checkpoint, keys):
            return ChainReport(
                checked=0,
                first_sequence=None,
                head_sequence=0,
                checkpoints=len(checkpoints),
                problem=(
                    f"checkpoint {checkpoint.pk} (head #{checkpoint.sequence}) has no valid "
                    "signature: it was altered, or signed with a key not configured"
                ),
                broken_sequence=checkpoint.sequence,
            )
    # Retention archives the oldest events with a checkpoint at the last one removed; the
    # chain then starts from that checkpoint instead of from the genesis.
    anchors = [c for c in checkpoints if c.archived_through is not None]
    anchor = max(anchors, key=lambda c: (c.archived_through or 0, c.pk)) if anchors else None
    expected = (anchor.archived_through or 0) + 1 if anchor else 1
    start = expected
    previous_hash = anchor.chain_hash if anchor else GENESIS_HASH
    at_sequence: dict[int, list[AuditCheckpoint]] = {}
    for checkpoint in checkpoints:
        at_sequence.setdefault(checkpoint.sequence, []).append(checkpoint)

    def report(problem: str = "", broken: int | None = None) -> ChainReport:
        return ChainReport(
            checked=expected - start,
            first_sequence=start if expected > start else None,
            head_sequence=expected - 1,
            checkpoints=len(checkpoints),
            problem=problem,
            broken_sequence=broken,
        )

    rows = (
        AuditEvent.objects.filter(sequence__gte=expected)
        .order_by("sequence")
        .values_list(*_FIELDS, named=True)
        .iterator(chunk_size=chunk_size)
    )
    for row in rows:
        if row.sequence != expected:
            return report(
                f"event #{expected} is missing: the chain jumps from #{expected - 1} "
                f"to #{row.sequence} (id {row.pk})",
                expected,
            )
        sequence, pk, stored = row.sequence, row.pk, row.chain_hash
        recomputed = hash_of(row, previous_hash)
        if not hmac.compare_digest(recomputed, stored):
            return report(
                f"event #{sequence} (id {pk}) does not match its hash: it, or the event "
                "before it, was altered",
                sequence,
            )
        for checkpoint in at_sequence.get(sequence, []):
            if checkpoint.chain_hash != stored:
                return report(
                    f"event #{sequence} (id {pk}) differs from signed checkpoint "
                    f"{checkpoint.pk}: the chain was rewritten up to here",
                    sequence,
                )
        previous_hash = stored
        expected = sequence + 1
    head = expected - 1
    beyond = [c for c in checkpoints if c.sequence > head]
    if beyond:
        latest = max(beyond, key=lambda c: c.sequence)
        return report(
            f"events #{head + 1} to #{latest.sequence} were removed: signed checkpoint "
            f"{latest.pk} saw the chain reach #{latest.sequence}, the table ends at #{head}",
            head + 1,
        )
    return report()
