"""Reads that may lag a little go to a read replica, when one is configured.

``DATABASE_REPLICA_URL`` adds a ``replica`` database alias (a streaming replica of the
primary). Only the casework reads of the routes in ``DATABASE_REPLICA_ROUTES`` (search
and lists, GET only) use it, while ``ReplicaRoutesMiddleware`` marks the request; every
write, every read of people and trust (users, tokens, audit), and every other route stay
on the primary, so a user always sees their own writes on the pages that change them.
Migrations run on the primary only; the replica receives them by replication.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

__all__ = ["REPLICA", "ReplicaRouter", "ReplicaRoutesMiddleware", "replica_reads"]

REPLICA = "replica"
# Apps whose reads may come from the replica: casework only.
REPLICA_APPS = frozenset({"cases"})

_replica_reads: ContextVar[bool] = ContextVar("victimid_replica_reads", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, casework reads go to the replica (if one is configured)."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


class ReplicaRouter:
    """Sends casework reads inside ``replica_reads`` to the replica; everything else to default."""

    def db_for_read(self, model: type[models.Model], **hints: Any) -> str | None:
        if (
            _replica_reads.get()
            and REPLICA in settings.DATABASES
            and model._meta.app_label in REPLICA_APPS
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type[models.Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, first: models.Model, second: models.Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class ReplicaRoutesMiddleware:
    """Marks GET requests to the routes of ``DATABASE_REPLICA_ROUTES`` for replica reads.

    The mark holds until the response is complete (templates render lazily), and the view
    runs as usual: this middleware only sets a flag, it never calls the view itself.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            token = getattr(request, "_replica_reads_token", None)
            if token is not None:
                _replica_reads.reset(token)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        if REPLICA not in settings.DATABASES or request.method not in {"GET", "HEAD"}:
            return
        match = request.resolver_match
        if match is not None and match.view_name in settings.DATABASE_REPLICA_ROUTES:
            request._replica_reads_token = _replica_reads.set(True)  # type: ignore[attr-defined]
