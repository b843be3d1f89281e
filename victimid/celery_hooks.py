"""Celery signal receivers: the request id travels with a task, and tasks are counted.

- A task published while a request is served carries that request's id in a message
  header (``request_id``); the outbox stores the id with the message, so a task the
  relay hands over later carries it too (``victimid.jobs``).
- In the worker, the task runs with that id as its request context: its log lines and
  the audit events it writes name the request that caused it, and the log lines name
  the task (``victimid.logs``).
- Each finished task is counted and timed (``victimid.metrics``).
- With ``METRICS_WORKER_PORT`` set, the worker's main process serves its metrics on that
  port (on ``METRICS_WORKER_ADDRESS``, the loopback by default): for workers on machines
  where no web process reads their counts.

Connected once, from ``VictimIdConfig.ready``.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from celery import signals
from django.conf import settings

from victimid import metrics, request_context

__all__ = ["REQUEST_ID_HEADER", "task_request_id"]

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "request_id"

# task id -> (when it started, the request context token to reset afterwards)
_running: dict[str, tuple[float, object]] = {}


def task_request_id(task: Any) -> str:
    """The request id a task's message carried, or ''."""
    request = getattr(task, "request", None)
    if request is None:
        return ""
    value = getattr(request, REQUEST_ID_HEADER, None)
    if not value:
        headers = getattr(request, "headers", None) or {}
        value = headers.get(REQUEST_ID_HEADER) if isinstance(headers, dict) else None
    return str(value)[:64] if value else ""


@signals.before_task_publish.connect(dispatch_uid="victimid.request_id_header")
def _add_request_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    if headers is None or headers.get(REQUEST_ID_HEADER):
        return
    request_id = request_context.current().request_id
    if request_id:
        headers[REQUEST_ID_HEADER] = request_id


@signals.task_prerun.connect(dispatch_uid="victimid.task_started")
def _task_started(task_id: str | None = None, task: Any = None, **_: Any) -> None:
    if task_id is None:
        return
    request_id = task_request_id(task)
    current = request_context.current()
    # An eager task inside a request keeps that request's context.
    context = request_context.RequestContext(
        request_id=request_id or current.request_id, source_ip=current.source_ip
    )
    _running[task_id] = (time.perf_counter(), request_context.set_current(context))


@signals.task_postrun.connect(dispatch_uid="victimid.task_finished")
def _task_finished(
    task_id: str | None = None, task: Any = None, state: str | None = None, **_: Any
) -> None:
    started = _running.pop(task_id, None) if task_id else None
    seconds = None
    if started is not None:
        seconds = time.perf_counter() - started[0]
        # Set in another context (a thread pool): nothing to undo here.
        with contextlib.suppress(ValueError):
            request_context.reset(started[1])
    name = getattr(task, "name", None) or "unknown"
    metrics.observe_task(name, state or "unknown", seconds)


@signals.worker_ready.connect(dispatch_uid="victimid.worker_metrics")
def _serve_worker_metrics(**_: Any) -> None:
    port = settings.METRICS_WORKER_PORT
    if not port:
        return
    from prometheus_client import start_http_server

    address = settings.METRICS_WORKER_ADDRESS or "127.0.0.1"
    start_http_server(port, addr=address, registry=metrics.registry())
    logger.info("worker metrics on %s:%s", address, port)
