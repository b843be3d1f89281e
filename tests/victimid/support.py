"""Helpers for the people-and-trust tests: searching the whole database, audit lookups."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.http import HttpResponse
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import current_code
from tests.factories import PASSWORD
from victimid.models import AuditEvent, User


def tables_containing(text: str) -> list[str]:
    """Every table with a row whose text form contains ``text`` (a secret must be in none)."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(
                f"SELECT 1 FROM {quoted} AS row WHERE strpos(row::text, %s) > 0 LIMIT 1",  # noqa: S608
                [text],
            )
            if cursor.fetchone():
                found.append(table)
    return found


def audit_events(action: str, *, target: User | None = None) -> QuerySet[AuditEvent]:
    """The audit events of one action, optionally about one user."""
    events = AuditEvent.objects.filter(action=action)
    if target is not None:
        events = events.filter(target_type="victimid.user", target_id=str(target.pk))
    return events


def attempt_login(
    email: str, password: str = PASSWORD, client: Client | None = None
) -> HttpResponse:
    """POST the login form once, as a browser would."""
    return (client or Client()).post("/login/", {"username": email, "password": password})


def fresh_code(user: User) -> str:
    """The current TOTP code, usable again (the sign-in in the test already spent it)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    device.last_t = -1
    device.throttle_reset(commit=False)
    device.save()
    return current_code(user)
