"""Writing audit events. Every service records its own, so tasks and commands are covered."""

from __future__ import annotations

from typing import Any

from django.db import models

from victimid import request_context
from victimid.choices import AuditOutcome
from victimid.models import AuditEvent, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    outcome: str = AuditOutcome.SUCCESS,
    details: dict[str, Any] | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Append one audit event for ``actor`` doing ``action`` to ``target``."""
    context = request_context.current()
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if is_user else None,
        actor_email=actor_email or (actor.email if is_user and actor else ""),
        actor_agency_id=actor.agency_id if is_user and actor else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        outcome=outcome,
        source_ip=context.source_ip,
        request_id=context.request_id,
        details=details or {},
    )
