"""Log records that can be followed: one JSON object per line, with request and task ids.

``ContextFilter`` (on the console handler) gives every record the id of the request it
belongs to (``victimid.request_context``, set by ``RequestIdMiddleware`` in web processes
and by the task hooks in workers, from the request that queued the task) and, in a
worker, the id and name of the running task. ``JsonFormatter`` writes each record as one
line of JSON, which log collectors read without parsing rules.

Loaded by ``LOGGING`` before the apps are ready: nothing here may import a model.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from victimid import request_context

__all__ = ["ContextFilter", "JsonFormatter"]

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()
    | {"message", "asctime", "request_id", "task_id", "task_name", "task_ref"}
)
# Extras written only when they are plain values: a request object or a queryset in
# ``extra`` would drag paths with query strings (search terms) or records into the log.
_PLAIN = (str, int, float, bool, type(None))
# Extras written whole although they are objects: the audit trail's own records
# (``victimid.services.audit``), which hold identifiers only, in the chain's plain JSON types.
_STRUCTURED = frozenset({"audit_event", "audit_checkpoint", "audit_verification"})


def _current_task() -> tuple[str, str]:
    """The id and name of the Celery task this process runs now, if any."""
    try:
        from celery import current_task
    except ImportError:  # pragma: no cover - celery is a dependency
        return "", ""
    task = current_task
    if not task:
        return "", ""
    request = getattr(task, "request", None)
    task_id = getattr(request, "id", None)
    if not task_id:
        return "", ""
    return str(task_id), str(getattr(task, "name", "") or "")


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``task_id`` and ``task_name`` to every record (empty when none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = request_context.current().request_id
        task_id, task_name = _current_task()
        record.task_id = task_id
        record.task_name = task_name
        record.task_ref = f" task={task_id}" if task_id else ""
        return True


class JsonFormatter(logging.Formatter):
    """One line of JSON per record: time (UTC), level, logger, message, ids, extras, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key in ("request_id", "task_id", "task_name"):
            value = getattr(record, key, "")
            if value:
                entry[key] = value
        for key, value in vars(record).items():
            if key in _STANDARD or key in entry:
                continue
            if isinstance(value, _PLAIN) or (key in _STRUCTURED and isinstance(value, dict)):
                entry[key] = value
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
