"""Where the current request came from, for audit events written deep in services.

Services take the acting user explicitly; the source address and request id are
ambient facts of the request (or absent in tasks and commands), so they travel in
context variables set by ``RequestIdMiddleware``.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    source_ip: str | None = None


# The default is frozen (immutable), so sharing one instance between contexts is safe.
_current: ContextVar[RequestContext] = ContextVar("victimid_request", default=RequestContext())  # noqa: B039


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext) -> object:
    return _current.set(context)


def reset(token: object) -> None:
    _current.reset(token)  # type: ignore[arg-type]
