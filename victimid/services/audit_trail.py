"""Reading the audit trail is itself an audited action (who looked at whom, and when)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from victimid import audit_actions
from victimid.models import AuditEvent, User
from victimid.selectors.audit import audit_events_queryset
from victimid.services.audit import audit_record

__all__ = ["audit_trail_read"]


def audit_trail_read(
    *, actor: User, filters: dict[str, Any] | None = None, export: bool = False
) -> QuerySet[AuditEvent]:
    """The audit events an auditor asked for; the asking is recorded (a view or an export)."""
    events = audit_events_queryset(actor=actor, filters=filters)
    audit_record(
        actor=actor,
        action=audit_actions.AUDIT_EXPORTED if export else audit_actions.AUDIT_VIEWED,
        details={"filters": {key: str(value) for key, value in (filters or {}).items()}},
    )
    return events
