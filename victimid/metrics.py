"""Prometheus metrics: what operators watch, and nothing about casework.

Counted as they happen (in every web and worker process):

- ``victimid_http_requests_total{route, method, status}`` and
  ``victimid_http_request_duration_seconds{route, method}``: the route is the resolved
  URL name (``api-clue-detail``), never the raw path, so no code, id or search term of a
  record reaches the metrics, and the number of series stays bounded;
- ``victimid_tasks_total{task, state}`` and ``victimid_task_duration_seconds{task}``:
  Celery tasks finished (succeeded, failed, retried...).

Read when scraped (``OperationalCollector``): whether the database and the broker
answer, the outbox backlog and the age of its oldest message, the depth of each Celery
queue, how often the periodic verification found the audit chain broken, the age of the
newest signed checkpoint, the worker jobs whose lease lapsed (counted by the callable
``METRICS_LAPSED_JOBS`` names), and the stored verdict of the last verification of the
chain (intact or not, when, how many events).

Several processes (gunicorn workers, Celery's pool) each count their own; with
``PROMETHEUS_MULTIPROC_DIR`` set (the same empty directory for every process of a
machine, made before they start), the scrape adds them up. See docs/deploy.md.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = [
    "REQUESTS",
    "REQUEST_SECONDS",
    "TASKS",
    "TASK_SECONDS",
    "MetricsMiddleware",
    "OperationalCollector",
    "observe_task",
    "render",
]

logger = logging.getLogger("victimid.request")

REQUESTS = Counter(
    "victimid_http_requests",
    "HTTP requests answered, by route name, method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "victimid_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
TASKS = Counter(
    "victimid_tasks",
    "Celery tasks finished, by task name and state (success, failure, retry...).",
    ["task", "state"],
)
TASK_SECONDS = Histogram(
    "victimid_task_duration_seconds",
    "Time a Celery task ran, by task name.",
    ["task"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0, 7200.0),
)
_COUNTED = (REQUESTS, REQUEST_SECONDS, TASKS, TASK_SECONDS)

_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"  # no route matched (404s, static files): one label for all


def route_of(request: HttpRequest) -> str:
    """The URL name the request resolved to (namespaced), never the path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED
    return match.view_name or UNMATCHED


class MetricsMiddleware:
    """Counts and times every request by route and status, and logs one line for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        method = request.method if request.method in _METHODS else "other"
        REQUESTS.labels(route, method, str(response.status_code)).inc()
        REQUEST_SECONDS.labels(route, method).observe(elapsed)
        logger.info(
            "%s %s %s %.1fms",
            method,
            route,
            response.status_code,
            elapsed * 1000,
            extra={
                "route": route,
                "method": method,
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            },
        )
        return response


def observe_task(task_name: str, state: str, seconds: float | None) -> None:
    """Count one finished task (and its duration, when its start was seen)."""
    TASKS.labels(task_name, state.lower()).inc()
    if seconds is not None:
        TASK_SECONDS.labels(task_name).observe(seconds)


class OperationalCollector(Collector):
    """The state of the parts around the processes, read at scrape time."""

    def collect(self) -> Iterator[Metric]:
        database_up = GaugeMetricFamily(
            "victimid_database_up", "1 when the database answered this scrape."
        )
        broker_up = GaugeMetricFamily("victimid_broker_up", "1 when the broker answered.")
        backlog = GaugeMetricFamily(
            "victimid_outbox_backlog", "Outbox messages not yet handed to the broker."
        )
        oldest = GaugeMetricFamily(
            "victimid_outbox_oldest_age_seconds",
            "Age of the oldest message not yet handed to the broker (0 when none).",
        )
        depth = GaugeMetricFamily(
            "victimid_queue_depth", "Tasks waiting in a Celery queue.", labels=["queue"]
        )
        pending = _outbox_state()
        database_up.add_metric([], 0 if pending is None else 1)
        if pending is not None:
            backlog.add_metric([], pending[0])
            oldest.add_metric([], pending[1])
        depths = _queue_depths()
        broker_up.add_metric([], 0 if depths is None else 1)
        for queue, count in sorted((depths or {}).items()):
            depth.add_metric([queue], count)
        yield from (database_up, broker_up, backlog, oldest, depth)
        yield from _audit_trail_state()
        yield from _lapsed_jobs()
        yield from _audit_chain_verdict()


def _outbox_state() -> tuple[int, float] | None:
    """(backlog, age in seconds of the oldest pending message), or None without a database."""
    from django.db import DatabaseError
    from django.db.models import Min
    from django.utils import timezone

    from victimid.models import OutboxMessage

    try:
        pending = OutboxMessage.objects.filter(sent_at__isnull=True)
        summary = pending.aggregate(first=Min("created_at"))
        count = pending.count()
    except DatabaseError:
        return None
    first = summary["first"]
    age = (timezone.now() - first).total_seconds() if first else 0.0
    return count, max(age, 0.0)


def celery_queue_names() -> list[str]:
    """The queues the configured workers consume: the declared ones, else the default."""
    from config.celery import app

    queues = app.conf.task_queues
    if queues:
        return [queue.name for queue in queues]
    return [app.conf.task_default_queue]


def _queue_depths() -> dict[str, int] | None:
    """Messages waiting in each queue, or None when the broker does not answer."""
    from config.celery import app

    depths: dict[str, int] = {}
    try:
        with app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1, timeout=2)
            for name in celery_queue_names():
                channel = connection.channel()
                try:
                    declared = channel.queue_declare(queue=name, passive=True)
                    depths[name] = int(declared.message_count)
                except Exception:  # noqa: BLE001 - a queue nobody declared yet is empty
                    depths[name] = 0
                finally:
                    channel.close()
    except Exception:  # noqa: BLE001 - any failure means no broker
        return None
    return depths


def _audit_trail_state() -> Iterator[Metric]:
    """What the periodic chain verification and checkpointing left in the database.

    The hourly-ish verification (``victimid.tasks.verify_audit_chain``) records an event
    each time it finds the chain broken; the checkpoint task signs the head every ten
    minutes. Both are read here cheaply (an index look-up each), never the chain itself.
    """
    from django.db import DatabaseError
    from django.db.models import Max
    from django.utils import timezone

    from victimid.audit_actions import AUDIT_CHAIN_BROKEN
    from victimid.models import AuditCheckpoint, AuditEvent

    try:
        broken = AuditEvent.objects.filter(action=AUDIT_CHAIN_BROKEN).count()
        newest = AuditCheckpoint.objects.aggregate(newest=Max("created_at"))["newest"]
    except DatabaseError:
        return
    reports = GaugeMetricFamily(
        "victimid_audit_chain_broken_reports",
        "Times the periodic verification found the audit chain broken (any rise is an alarm).",
    )
    reports.add_metric([], broken)
    yield reports
    if newest is not None:
        age = GaugeMetricFamily(
            "victimid_audit_checkpoint_age_seconds",
            "Age of the newest signed audit checkpoint (beat writes one every ten minutes).",
        )
        age.add_metric([], max((timezone.now() - newest).total_seconds(), 0.0))
        yield age


def _lapsed_jobs() -> Iterator[Metric]:
    """Worker jobs whose lease lapsed, per kind, from the callable ``METRICS_LAPSED_JOBS``
    names (casework counts it; this app imports nothing of casework). Nothing when unset
    or when the database does not answer."""
    from django.db import DatabaseError

    path = getattr(settings, "METRICS_LAPSED_JOBS", None)
    if not path:
        return
    count: Callable[[], dict[str, int]] = import_string(path)
    try:
        counts = count()
    except DatabaseError:
        return
    lapsed = GaugeMetricFamily(
        "victimid_jobs_lease_lapsed",
        "Worker jobs marked running whose lease has lapsed (their worker died); beat queues "
        "them again, so a count that stays up means no worker takes them.",
        labels=["kind"],
    )
    for kind, number in sorted(counts.items()):
        lapsed.add_metric([kind], number)
    yield lapsed


def _audit_chain_verdict() -> Iterator[Metric]:
    """The stored verdict of the last walk of the chain (``AuditVerification``, written by
    the periodic verification and ``verify_audit``): one indexed row, never the chain."""
    from django.db import DatabaseError

    from victimid.models import AuditVerification

    try:
        last = AuditVerification.objects.order_by("-verified_at", "-id").first()
    except DatabaseError:
        return
    if last is None:
        return  # never verified: no verdict is invented (alert on the timestamp's absence)
    intact = GaugeMetricFamily(
        "victimid_audit_chain_intact",
        "1 when the last verification of the audit chain found it intact, 0 when broken.",
    )
    intact.add_metric([], 1 if last.intact else 0)
    verified = GaugeMetricFamily(
        "victimid_audit_chain_verified_timestamp_seconds",
        "When the audit chain was last verified (Unix time).",
    )
    verified.add_metric([], last.verified_at.timestamp())
    checked = GaugeMetricFamily(
        "victimid_audit_chain_events_checked",
        "Events the last verification of the audit chain checked.",
    )
    checked.add_metric([], last.events_checked)
    yield from (intact, verified, checked)


def registry() -> CollectorRegistry:
    """A registry with this machine's counts (every process's, in multiprocess mode)."""
    collected = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(collected)
    else:
        for metric in _COUNTED:
            collected.register(metric)
    return collected


def render() -> bytes:
    """The metrics in Prometheus' text format, operational state included."""
    collected = registry()
    collected.register(OperationalCollector())
    return generate_latest(collected)
