"""Request id, session lifetime, and the second-factor gate every route passes through."""

from __future__ import annotations

import ipaddress
import logging
import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from victimid import request_context
from victimid.http import is_verified
from victimid.models import User

logger = logging.getLogger("victimid.audit")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

PUBLIC = "victimid_public"
BEFORE_SECOND_FACTOR = "victimid_before_second_factor"


def public(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view as open to anonymous users (login, registration, health checks)."""
    setattr(view, PUBLIC, True)
    return view


def before_second_factor(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view a signed-in user may reach before verifying a second factor."""
    setattr(view, BEFORE_SECOND_FACTOR, True)
    return view


def _view_flag(view_func: Callable[..., Any], flag: str) -> bool:
    if getattr(view_func, flag, False):
        return True
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    return bool(view_class is not None and getattr(view_class, flag, False))


def is_api_path(path: str) -> bool:
    return path.startswith("/api/")


class RequestIdMiddleware:
    """Give every request an id (kept from X-Request-ID when sane) and its source address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = request_context.set_current(
            request_context.RequestContext(request_id=request_id, source_ip=_client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            request_context.reset(token)
        response["X-Request-ID"] = request_id
        return response


class UnusableInputMiddleware:
    """Refuse a path or query string holding characters no record can hold (400, early).

    PostgreSQL text cannot contain NUL, so a NUL in a code, a filter or a search term
    would fail deep inside a query (or in the audit record of a search). Refusing it
    here gives one clear answer for every route, pages and API alike.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _unusable(request.path) or any(
            _unusable(key) or any(_unusable(value) for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("The address holds a character that cannot be used (NUL).")
            return refusal(request, 400, "invalid_characters", message)
        return self.get_response(request)


_PAGE_BODY_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_API_BODY_TYPES = ("application/json",)


def refusal(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """A refusal in the API's JSON error shape under /api/, as plain text on pages."""
    if is_api_path(request.path):
        return JsonResponse({"error": {"code": code, "message": message}}, status=status)
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def too_large(request: HttpRequest, limit: int | None = None) -> HttpResponse:
    """413 for a body over ``limit`` (by default ``DATA_UPLOAD_MAX_MEMORY_SIZE``)."""
    message = _("The request body is larger than %(limit)d bytes.") % {
        "limit": limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    }
    return refusal(request, 413, "too_large", message)


def accepts_uploads(limit_setting: str) -> Callable[[Any], Any]:
    """Mark a view (function or class) that takes files, up to the bytes in the setting
    ``limit_setting``: ``RequestBodyMiddleware`` holds its body to that limit instead of
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``, and its files are streamed to disk by Django."""

    def mark(view: Any) -> Any:
        view.upload_limit_setting = limit_setting
        return view

    return mark


def _view_class(view_func: Any) -> Any:
    # DRF's as_view() keeps the class as .cls, Django's as .view_class.
    return getattr(view_func, "cls", None) or getattr(view_func, "view_class", None)


def _upload_limit(view_func: Any) -> int | None:
    name = getattr(view_func, "upload_limit_setting", None) or getattr(
        _view_class(view_func), "upload_limit_setting", None
    )
    return int(getattr(settings, name)) if name else None


def _body_types(view_func: Any, api: bool) -> tuple[str, ...]:
    """The media types a view reads: its DRF parsers' in the API, forms on pages."""
    parsers = getattr(_view_class(view_func), "parser_classes", None)
    if api and parsers:
        return tuple(parser.media_type for parser in parsers)
    return _API_BODY_TYPES if api else _PAGE_BODY_TYPES


class RequestBodyMiddleware:
    """Refuse a body too large (413, from its declared length, before reading it) or of a
    type the route does not read (415): forms on pages, JSON in the API, multipart files
    where a view says it takes them (``accepts_uploads``). Without this a JSON body posted
    to a page would be read as an empty form.

    The checks run once the address is resolved (``process_view``), so that each view's
    own limit and media types apply; an address no view matches reads no body at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        upload_limit = _upload_limit(view_func)
        if length > (upload_limit or settings.DATA_UPLOAD_MAX_MEMORY_SIZE):
            return too_large(request, upload_limit)
        api = is_api_path(request.path)
        # Pages read form bodies of POSTs only; the API reads JSON of every writing method.
        reads_body = request.method in (("POST", "PUT", "PATCH", "DELETE") if api else ("POST",))
        if (length > 0 or chunked) and reads_body:
            media_type = request.content_type or ""
            accepted = _body_types(view_func, api)
            if media_type.lower() not in accepted:
                message = _("A body of type %(type)s is not accepted here; send %(accepted)s.") % {
                    "type": media_type[:100] or _("(none)"),
                    "accepted": " or ".join(accepted),
                }
                return refusal(request, 415, "unsupported_media_type", message)
        return None


def _unusable(text: str) -> bool:
    return "\x00" in text


def _client_ip(request: HttpRequest) -> str | None:
    # TrustedProxyMiddleware has already put the client's address here.
    return request.META.get("REMOTE_ADDR") or None


_FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)


def _networks(entries: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _trusted(address: str, networks: list[Any]) -> bool:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(parsed in network for network in networks)


class TrustedProxyMiddleware:
    """Believe forwarded headers only from the proxies in ``TRUSTED_PROXIES``.

    From a trusted proxy, the client is the right-most ``X-Forwarded-For`` entry that is
    not itself a trusted proxy (entries further left could be written by the client); it
    becomes ``REMOTE_ADDR``, and ``X-Forwarded-Proto`` is kept for ``SECURE_PROXY_SSL_HEADER``.
    From anyone else every forwarded header is removed before any other code reads it, so
    nobody can claim another address (audit, lockout, rate limits) or HTTPS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        networks = _networks(settings.TRUSTED_PROXIES)
        meta = request.META
        if networks and _trusted(meta.get("REMOTE_ADDR", ""), networks):
            client = meta["REMOTE_ADDR"]
            hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            for hop in reversed([hop for hop in hops if hop]):
                try:
                    ipaddress.ip_address(hop)
                except ValueError:
                    break  # a malformed entry: nothing left of it can be believed
                client = hop
                if not _trusted(hop, networks):
                    break
            meta["REMOTE_ADDR"] = client
            # Only X-Forwarded-Proto stays; the address was read above.
            for header in _FORWARDED_HEADERS:
                if header != "HTTP_X_FORWARDED_PROTO":
                    meta.pop(header, None)
        else:
            for header in _FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End sessions idle for 15 minutes or older than 12 hours (both configurable)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            session = request.session
            started = session.get("auth_started_at", now)
            last = session.get("last_activity_at", now)
            from victimid.services.sessions import session_is_current

            if (
                now - last > settings.SESSION_IDLE_SECONDS
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
                or not session_is_current(request=request, user=user)
            ):
                logout(request)
                if not is_api_path(request.path):
                    messages.info(request, _("Your session ended. Please sign in again."))
            else:
                session["auth_started_at"] = started
                session["last_activity_at"] = now
                self._touch(user, now)
        return self.get_response(request)

    @staticmethod
    def _touch(user: User, now: float) -> None:
        seen = user.last_seen_at
        if seen is None or now - seen.timestamp() > 300:
            User.objects.filter(pk=user.pk).update(last_seen_at=timezone.now())


class SecondFactorGateMiddleware:
    """Nothing but login, enrolment, verification and logout answers before a second factor.

    Anonymous web requests go to the login page; signed-in users without a
    verified device go to enrolment or verification; API calls get JSON errors
    (DRF itself answers anonymous API calls with 401).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if _view_flag(view_func, PUBLIC) or request.path.startswith(settings.STATIC_URL):
            return None
        user = request.user
        if is_api_path(request.path):
            if user.is_authenticated and not is_verified(user):
                return JsonResponse(
                    {
                        "error": {
                            "code": "mfa_required",
                            "message": _("Verify your second factor before using the API."),
                        }
                    },
                    status=403,
                )
            return None  # anonymous: DRF tries bearer tokens and answers 401 otherwise
        if not user.is_authenticated:
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if is_verified(user) or _view_flag(view_func, BEFORE_SECOND_FACTOR):
            return None
        from victimid.services.mfa import has_confirmed_totp

        target = "mfa-verify" if has_confirmed_totp(user) else "mfa-enrol"
        return redirect(reverse(target))


class RateLimitMiddleware:
    """429 with ``Retry-After`` past a limit of ``victimid.ratelimit`` (JSON for the API)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from victimid.ratelimit import exceeded

        limit = exceeded(request)
        if limit is None:
            return self.get_response(request)
        _audit_rate_limited(request, limit.name, limit.retry_after)
        message = _("Too many requests. Try again in %(seconds)d seconds.") % {
            "seconds": limit.retry_after
        }
        response: HttpResponse
        if is_api_path(request.path):
            response = JsonResponse(
                {"error": {"code": "rate_limited", "message": message}}, status=429
            )
        else:
            response = render(
                request, "victimid/rate_limited.html", {"message": message}, status=429
            )
        response["Retry-After"] = str(limit.retry_after)
        return response


def _route_name(request: HttpRequest) -> str:
    """The URL name a request is for (resolved here when the view has not run yet)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return "unmatched"
    return match.view_name or "unmatched"


def _audit_rate_limited(request: HttpRequest, limit: str, retry_after: int) -> None:
    """Record a 429 once per actor, route and minute (``ratelimit.first_in_minute``): the
    signed-in user, else the bearer token's owner, else the address."""
    import hashlib

    from victimid.models import ApiToken
    from victimid.ratelimit import first_in_minute
    from victimid.services.refusals import rate_limit_record
    from victimid.services.tokens import TOKEN_PREFIX, hash_token

    route = _route_name(request)
    user = getattr(request, "user", None)
    actor: User | None = user if user is not None and user.is_authenticated else None
    header = request.headers.get("Authorization", "")
    bearer = header[7:].strip() if header.lower().startswith("bearer ") else ""
    if actor is not None:
        identity = f"user:{actor.pk}"
    elif bearer:
        identity = "token:" + hashlib.sha256(bearer.encode("utf-8", "replace")).hexdigest()[:32]
    else:
        identity = f"ip:{request.META.get('REMOTE_ADDR', '')}"
    if not first_in_minute(f"{identity}:{route}"):
        return
    token_prefix = ""
    if actor is None and bearer:
        known = (
            ApiToken.objects.select_related("user").filter(token_hash=hash_token(bearer)).first()
        )
        actor = known.user if known is not None else None
        if bearer.startswith(TOKEN_PREFIX) and len(bearer) <= 100:
            token_prefix = bearer[: len(TOKEN_PREFIX) + 6]
    typed = ""
    if actor is None and request.method == "POST" and route == "login":
        typed = str(request.POST.get("username", "")).strip().lower()[:254]
    try:
        rate_limit_record(
            actor=actor,
            route=route,
            method=str(request.method),
            limit=limit,
            retry_after=retry_after,
            actor_email=typed,
            token_prefix=token_prefix,
        )
    except DatabaseError:
        logger.exception("a refused request could not be audited")


class RefusalAuditMiddleware:
    """A casework request refused with 403, or 404 by a casework route, is one audit event
    (``services.refusals``): who asked which route for which identifiers.

    Casework routes are those whose views live in a module of ``AUDITED_REFUSAL_MODULES``
    (settings: this app knows nothing of casework). Only signed-in actors: an anonymous
    request never reaches casework (a redirect to sign in, or a 401 that the token check
    records). Outside every view, so the event is written whatever refused the request:
    the access policy's 404, a 403 from a service, or the gate."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code in (403, 404):
            self._record(request, response.status_code)
        return response

    def _record(self, request: HttpRequest, status: int) -> None:
        from victimid.services.refusals import access_refusal_record

        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None:
            return
        view = _view_class(match.func) or match.func
        module = getattr(view, "__module__", "") or ""
        if not module.startswith(tuple(settings.AUDITED_REFUSAL_MODULES)):
            return
        try:
            access_refusal_record(
                actor=user,
                route=match.view_name,
                method=str(request.method),
                status=status,
                requested=match.kwargs,
            )
        except DatabaseError:
            logger.exception("a refused request could not be audited")
