"""Rate limits on the routes worth guessing at or harvesting: sign-in, the second factor,
search, lookups and bearer tokens. Fixed windows counted in Redis, so every web process
shares the count; 429 with ``Retry-After`` past the limit, in the API and on pages alike.

The table below is the one place that says which requests count against which limit and
by what key; ``settings.RATE_LIMITS`` says how many per how long.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest

__all__ = ["Limit", "RULES", "exceeded", "first_in_minute"]

logger = logging.getLogger("victimid.ratelimit")


@dataclass(frozen=True)
class Rule:
    """Requests matching ``applies`` count against the limit ``name``, once per key."""

    name: str
    applies: Callable[[HttpRequest], bool]
    keys: Callable[[HttpRequest], list[str]]


def _address(request: HttpRequest) -> str:
    return f"ip:{request.META.get('REMOTE_ADDR', '')}"


def _user_or_address(request: HttpRequest) -> list[str]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return [f"user:{user.pk}"]
    if _has_bearer(request):
        # An API client is authenticated by its view, after this check: count by its token,
        # or every investigator behind one proxy or NAT would share one window (the load
        # test's 50 investigators on one address were refused searches). Forged tokens are
        # held per address by the "token" rule and get 401 anyway.
        header = request.headers.get("Authorization", "")
        return [f"token:{hashlib.sha256(header.encode('utf-8', 'replace')).hexdigest()[:32]}"]
    return [_address(request)]


def _login_keys(request: HttpRequest) -> list[str]:
    typed = str(request.POST.get("username", "")).strip().lower()[:254]
    digest = hashlib.sha256(typed.encode("utf-8", "replace")).hexdigest()[:32]
    return [_address(request), f"account:{digest}"]


def _is_post(path: re.Pattern[str]) -> Callable[[HttpRequest], bool]:
    return lambda request: request.method == "POST" and bool(path.match(request.path))


def _is_search(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and request.path in ("/clues/", "/api/v1/clues")
        and bool(request.GET.get("q", "").strip())
    )


def _is_lookup(request: HttpRequest) -> bool:
    return request.method == "POST" and request.path in ("/hashes/lookup/", "/api/v1/hashes/lookup")


def _has_bearer(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer")


RULES = (
    Rule("login", _is_post(re.compile(r"^/login/$")), _login_keys),
    Rule(
        "second_factor",
        _is_post(re.compile(r"^/mfa/(verify|enrol)/$")),
        _user_or_address,
    ),
    Rule("search", _is_search, _user_or_address),
    Rule("lookup", _is_lookup, _user_or_address),
    Rule("token", _has_bearer, lambda request: [_address(request)]),
)


@dataclass(frozen=True)
class Limit:
    """A limit that a request went past: which, and in how many seconds it opens again."""

    name: str
    retry_after: int


class _Counter(Protocol):
    def hit(self, key: str, window: int) -> int: ...


class _RedisCounter:
    def __init__(self, url: str) -> None:
        import redis

        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)

    def hit(self, key: str, window: int) -> int:
        pipeline = self.client.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, window + 1)
        count, _expiry = pipeline.execute()
        return int(count)


class _MemoryCounter:
    """One process's counts (development without Redis, and the tests)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.lock = threading.Lock()

    def hit(self, key: str, window: int) -> int:
        with self.lock:
            if len(self.counts) > 100_000:
                self.counts.clear()
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


@cache
def _counter(url: str | None) -> _Counter:
    return _RedisCounter(url) if url else _MemoryCounter()


def exceeded(request: HttpRequest, *, now: float | None = None) -> Limit | None:
    """Count ``request`` against every limit it falls under; the first limit it is past."""
    if not settings.RATE_LIMITS_ENABLED:
        return None
    moment = time.time() if now is None else now
    counter = _counter(settings.RATE_LIMIT_REDIS_URL)
    prefix = f"victimid:rl:{settings.DATABASES['default'].get('NAME', '')}"
    worst: Limit | None = None
    for rule in RULES:
        if not rule.applies(request):
            continue
        allowed, window = settings.RATE_LIMITS[rule.name]
        slot = int(moment // window)
        retry_after = max(1, math.ceil((slot + 1) * window - moment))
        for key in rule.keys(request):
            try:
                count = counter.hit(f"{prefix}:{rule.name}:{key}:{slot}", window)
            except Exception as error:  # noqa: BLE001 - a limiter outage must not stop sign-in
                logger.warning("rate limit store unavailable: %s", error)
                return None
            if count > allowed and (worst is None or retry_after > worst.retry_after):
                worst = Limit(rule.name, retry_after)
    return worst


def first_in_minute(key: str, *, now: float | None = None) -> bool:
    """True for the first call with ``key`` in this clock minute, False after (counted in
    the limits' store, so every web process shares it): how a 429 is audited once per actor,
    route and minute. True when the store cannot be reached: a missed de-duplication costs
    an extra event, a missed event costs the record."""
    moment = time.time() if now is None else now
    counter = _counter(settings.RATE_LIMIT_REDIS_URL)
    prefix = f"victimid:rl:{settings.DATABASES['default'].get('NAME', '')}"
    try:
        return counter.hit(f"{prefix}:once:{key}:{int(moment // 60)}", 60) == 1
    except Exception as error:  # noqa: BLE001 - as in exceeded(): never stop the request
        logger.warning("rate limit store unavailable: %s", error)
        return True


def reset_counts() -> None:
    """Forget every count of the in-memory counter (tests)."""
    counter: Any = _counter(None)
    with counter.lock:
        counter.counts.clear()
