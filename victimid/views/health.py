"""Liveness and readiness probes for load balancers and orchestrators."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from victimid.jobs import outbox_backlog
from victimid.middleware import public


@public
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is up and answering."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return type(exc).__name__
    return None


def _broker_ok() -> str | None:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__
    return None


@public
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """The database and the broker are reachable; 503 otherwise (naming what failed)."""
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    failed = {name: error for name, error in checks.items() if error}
    body: dict[str, object] = {
        "status": "ok" if not failed else "unavailable",
        "checks": {name: ("ok" if not error else "failed") for name, error in checks.items()},
    }
    if not checks["database"]:
        # Work waiting for the broker: grows while it is down, drains once it is back.
        body["outbox_backlog"] = outbox_backlog()
    return JsonResponse(body, status=503 if failed else 200)
