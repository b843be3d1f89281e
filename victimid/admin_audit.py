"""Admin changes go into the audit trail like every other change.

Django's admin records its own LogEntry rows, which auditors never see and which
are not append-only; every ModelAdmin of VictimID derives from ``AuditedModelAdmin``
so an addition, change or deletion made in the admin is an audit event as well.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from victimid import audit_actions
from victimid.http import signed_in_user
from victimid.services.audit import audit_record


def _changed_fields(message: Any) -> list[str]:
    """Field names from the admin's change message (names only, never values)."""
    if isinstance(message, str):
        try:
            message = json.loads(message) if message else []
        except ValueError:
            return []
    fields: list[str] = []
    for entry in message or []:
        for detail in entry.values() if isinstance(entry, dict) else []:
            if isinstance(detail, dict):
                fields.extend(str(name) for name in detail.get("fields", []))
    return fields


class AuditedModelAdmin(admin.ModelAdmin):
    """A ModelAdmin whose additions, changes and deletions are written to the audit log."""

    def log_addition(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        audit_record(actor=signed_in_user(request), action=audit_actions.ADMIN_ADDED, target=obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: models.Model, message: Any) -> Any:
        audit_record(
            actor=signed_in_user(request),
            action=audit_actions.ADMIN_CHANGED,
            target=obj,
            details={"fields": _changed_fields(message)},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> Any:
        for obj in queryset:
            audit_record(
                actor=signed_in_user(request), action=audit_actions.ADMIN_DELETED, target=obj
            )
        return super().log_deletions(request, queryset)
