"""The audit hash chain and its signed checkpoints: pure functions, no database.

Canonical content of an event (what its hash covers), defined exactly so that another
program can recompute it:

* a JSON object with exactly these members: ``action``, ``actor`` (user id or null),
  ``actor_agency`` (agency id or null), ``actor_email``, ``details`` (an object),
  ``occurred_at`` (UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ``, always six fraction digits),
  ``outcome``, ``previous_hash`` (the ``chain_hash`` of the event with the previous
  sequence; 64 zeros for the first event), ``request_id``, ``sequence`` (integer),
  ``source_ip`` (null, or the address in Python's ``ipaddress`` form: dotted IPv4,
  compressed lower-case IPv6, an IPv4-mapped IPv6 address as its IPv4 address),
  ``target_id``, ``target_type``;
* serialised with object members sorted by key (Unicode code points) at every depth, no
  whitespace (``,`` and ``:`` as separators), every character outside ASCII written as a
  ``\\uXXXX`` escape (UTF-16 surrogate pairs beyond the BMP), so the text is pure ASCII;
* values are only strings, integers, ``true``/``false``/``null``, arrays and objects:
  ``details`` never holds a float (``plain_details`` turns one into its ``repr``), because
  floats do not survive every JSON round trip byte for byte.

``chain_hash`` is the lower-case hex SHA-256 of those ASCII bytes. Because the previous
hash is inside the content, altering, inserting or removing any event breaks the chain
from that event on; removing the newest events leaves a shorter, consistent chain, which
the signed checkpoints (HMAC-SHA256 with a key outside the database) catch.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

__all__ = [
    "ARCHIVE_FORMAT",
    "GENESIS_HASH",
    "archive_problem",
    "archive_row",
    "canonical_json",
    "checkpoint_signature",
    "event_hash",
    "hash_of",
    "key_id",
    "normal_ip",
    "plain_details",
    "signature_of",
    "utc_text",
]

GENESIS_HASH = "0" * 64
ARCHIVE_FORMAT = "victimid-audit-archive-v1"
_CHECKPOINT_DOMAIN = b"victimid-audit-checkpoint-v1\n"


def canonical_json(value: Any) -> bytes:
    """``value`` as canonical JSON bytes (see the module): sorted keys, no spaces, ASCII."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False
    ).encode("ascii")


def utc_text(moment: datetime) -> str:
    """A moment as the canonical UTC text, microseconds always written."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def normal_ip(address: str | None) -> str | None:
    """The one spelling of an address that the chain uses (None when it is not one)."""
    if not address:
        return None
    try:
        parsed = ipaddress.ip_address(str(address).strip())
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def plain_details(value: Any) -> Any:
    """``value`` made of the JSON types the chain allows, with text PostgreSQL can store.

    NUL characters and lone UTF-16 surrogates cannot be stored in ``jsonb``; they are
    replaced, so an odd search term never stops the audit row (or the search) being written.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, Mapping):
        return {str(plain_details(key)): plain_details(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [plain_details(item) for item in items]
    return plain_details(str(value))


def event_hash(
    *,
    previous_hash: str,
    sequence: int,
    occurred_at: datetime,
    actor_id: int | None,
    actor_email: str,
    actor_agency_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    outcome: str,
    source_ip: str | None,
    request_id: str,
    details: Any,
) -> str:
    """The chain hash of one event that follows ``previous_hash``."""
    content = {
        "action": action,
        "actor": actor_id,
        "actor_agency": actor_agency_id,
        "actor_email": actor_email,
        "details": details,
        "occurred_at": utc_text(occurred_at),
        "outcome": outcome,
        "previous_hash": previous_hash,
        "request_id": request_id,
        "sequence": sequence,
        "source_ip": normal_ip(source_ip),
        "target_id": target_id,
        "target_type": target_type,
    }
    return hashlib.sha256(canonical_json(content)).hexdigest()


def hash_of(event: Any, previous_hash: str) -> str:
    """The chain hash of ``event`` (an ``AuditEvent`` or a row with its attribute names)."""
    return event_hash(
        previous_hash=previous_hash,
        sequence=event.sequence,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_email=event.actor_email,
        actor_agency_id=event.actor_agency_id,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        outcome=event.outcome,
        source_ip=event.source_ip,
        request_id=event.request_id,
        details=event.details,
    )


def signature_of(checkpoint: Any, key: bytes) -> str:
    """The signature ``checkpoint`` (an ``AuditCheckpoint``) should carry under ``key``."""
    return checkpoint_signature(
        key,
        created_at=checkpoint.created_at,
        sequence=checkpoint.sequence,
        chain_hash=checkpoint.chain_hash,
        event_count=checkpoint.event_count,
        archived_through=checkpoint.archived_through,
    )


def archive_row(event: Any) -> dict[str, Any]:
    """One event as an archive file keeps it: every recorded field, in canonical types."""
    return {
        "sequence": event.sequence,
        "occurred_at": utc_text(event.occurred_at),
        "actor": event.actor_id,
        "actor_email": event.actor_email,
        "actor_agency": event.actor_agency_id,
        "action": event.action,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "outcome": event.outcome,
        "source_ip": normal_ip(event.source_ip),
        "request_id": event.request_id,
        "details": event.details,
        "chain_hash": event.chain_hash,
    }


def archive_problem(lines: list[bytes], key: bytes) -> str:
    """Why an archive file's lines do not hold (signature, or the chain inside), or ""."""
    if len(lines) < 2:
        return "the file is too short to be an archive"
    body, footer = lines[:-1], json.loads(lines[-1])
    digest = hashlib.sha256(b"".join(line + b"\n" for line in body)).hexdigest()
    expected = hmac.new(key, digest.encode("ascii"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, str(footer.get("signature", ""))):
        return "the signature does not match the file: it was altered or signed with another key"
    header = json.loads(body[0])
    if header.get("format") != ARCHIVE_FORMAT:
        return "not a VictimID audit archive"
    previous = str(header.get("previous_hash", ""))
    for line in body[1:]:
        row = json.loads(line)
        event = SimpleNamespace(
            **row,
            actor_id=row["actor"],
            actor_agency_id=row["actor_agency"],
        )
        event.occurred_at = datetime.strptime(row["occurred_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(
            tzinfo=UTC
        )
        if hash_of(event, previous) != row["chain_hash"]:
            return f"event #{row['sequence']} in the file does not match its hash"
        previous = row["chain_hash"]
    return ""


def key_id(key: bytes) -> str:
    """A short public name of a signing key, so a checkpoint says which key signed it."""
    return hashlib.sha256(b"victimid-audit-key-id\n" + key).hexdigest()[:16]


def checkpoint_signature(
    key: bytes,
    *,
    created_at: datetime,
    sequence: int,
    chain_hash: str,
    event_count: int,
    archived_through: int | None,
) -> str:
    """HMAC-SHA256 (hex) over the canonical JSON of a checkpoint's fields."""
    message = canonical_json(
        {
            "archived_through": archived_through,
            "chain_hash": chain_hash,
            "created_at": utc_text(created_at),
            "event_count": event_count,
            "sequence": sequence,
        }
    )
    return hmac.new(key, _CHECKPOINT_DOMAIN + message, hashlib.sha256).hexdigest()
