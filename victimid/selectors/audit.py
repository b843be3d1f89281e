"""Reading the audit trail, for auditors and platform admins: identifiers, never casework.

An audit event holds identifiers only (who, which agency, what action, which record by
type and id, outcome, address, request id, search terms and filters); the records'
content is never joined in, so an auditor sees that clue 42 was viewed, not what it says.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from victimid.gate import AUDIT_REFUSED, has_audit_access
from victimid.models import AUDIT_EVENT_FIELDS, AuditEvent, User

__all__ = [
    "AUDIT_FILTERS",
    "CSV_COLUMNS",
    "audit_csv_rows",
    "audit_events_queryset",
]

AUDIT_FILTERS = ("actor", "agency", "action", "target_type", "target_id", "since", "until")
CSV_COLUMNS = AUDIT_EVENT_FIELDS
_MAX_TEXT = 254


def _text(name: str, value: Any) -> str:
    text = str(value).strip()
    if len(text) > _MAX_TEXT:
        raise ValidationError({name: _("At most %(n)d characters.") % {"n": _MAX_TEXT}})
    return text


def _whole_number(name: str, value: Any) -> int:
    text = _text(name, value)
    if not text.isdigit() or len(text) > 18:
        raise ValidationError({name: _("Give a record id: a whole number.")})
    return int(text)


def _moment(name: str, value: Any, *, end_of_day: bool = False) -> datetime:
    """A date (the whole day, in UTC) or an ISO 8601 moment; a 400 naming ``name`` otherwise."""
    text = _text(name, value)
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day is not None:
        start = datetime.combine(day, time.min, tzinfo=UTC)
        return start + timedelta(days=1) if end_of_day else start
    if moment is None:
        raise ValidationError({name: _("Give a date (YYYY-MM-DD) or an ISO 8601 moment.")})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def audit_events_queryset(
    *, actor: User, filters: dict[str, Any] | None = None
) -> QuerySet[AuditEvent]:
    """Audit events matching ``filters`` (see ``AUDIT_FILTERS``), newest first; only for
    auditors and admins (PermissionDenied otherwise). Not audited itself: reading the trail
    goes through ``victimid.services.audit_trail.audit_trail_read``, which records it."""
    if not has_audit_access(actor):
        raise PermissionDenied(AUDIT_REFUSED)
    given = {key: value for key, value in (filters or {}).items() if str(value).strip() != ""}
    unknown = sorted(set(given) - set(AUDIT_FILTERS))
    if unknown:
        message = _("Unknown filter; use one of: %(k)s.") % {"k": ", ".join(AUDIT_FILTERS)}
        raise ValidationError({key: message for key in unknown})
    events = AuditEvent.objects.all()
    if "actor" in given:
        who = _text("actor", given["actor"])
        events = events.filter(
            Q(actor_id=int(who)) if who.isdigit() and len(who) <= 18 else Q(actor_email__iexact=who)
        )
    if "agency" in given:
        events = events.filter(actor_agency_id=_whole_number("agency", given["agency"]))
    if "action" in given:
        action = _text("action", given["action"])
        # "auth." (a trailing dot) asks for every action of that family.
        events = (
            events.filter(action__startswith=action)
            if action.endswith(".")
            else events.filter(action=action)
        )
    if "target_type" in given:
        events = events.filter(target_type=_text("target_type", given["target_type"]).lower())
    if "target_id" in given:
        events = events.filter(target_id=_text("target_id", given["target_id"]))
    if "since" in given:
        events = events.filter(occurred_at__gte=_moment("since", given["since"]))
    if "until" in given:
        events = events.filter(occurred_at__lt=_moment("until", given["until"], end_of_day=True))
    return events.order_by("-sequence")


def _cell(value: Any) -> str:
    """One CSV cell; text a spreadsheet would run as a formula is quoted with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    if isinstance(value, dict):
        text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def audit_csv_rows(events: QuerySet[AuditEvent]) -> Iterator[str]:
    """The events as CSV text, a header then one line per event, streamed in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for row in events.values_list(*CSV_COLUMNS).iterator(chunk_size=2000):
        writer.writerow([_cell(value) for value in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
