"""The second-factor gate covers every route in the URL configuration.

The routes are collected from the resolver at collection time, so a route added
later is tested without anyone remembering to add it here. Only the views on the
allow-lists below may answer before a second factor (or, for the public ones,
before sign-in); a new view marked public or before-second-factor fails
``test_the_allow_lists_match_the_views_marked_in_the_code`` until it is reviewed and
listed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.converters import (
    IntConverter,
    PathConverter,
    SlugConverter,
    StringConverter,
    UUIDConverter,
)
from django.urls.resolvers import RegexPattern, RoutePattern
from django.utils.regex_helper import normalize

from tests.conftest import signed_in_client
from tests.factories import UserFactory
from victimid import middleware
from victimid.middleware import BEFORE_SECOND_FACTOR, PUBLIC, SecondFactorGateMiddleware

SAMPLE_UUID = "6f1c1a8e-3a52-4a8e-9a0d-1f2b3c4d5e6f"
CONVERTER_SAMPLES: dict[type, str] = {
    IntConverter: "1",
    StringConverter: "x",
    SlugConverter: "x",
    UUIDConverter: SAMPLE_UUID,
    PathConverter: "x",
}
REGEX_SAMPLES = ["1", "x", SAMPLE_UUID]

# Views anyone may reach, signed in or not ("metrics" checks an operator's bearer token
# itself and answers 404 without it: tests/victimid/test_metrics.py).
PUBLIC_ROUTES = {"login", "register", "set-password", "healthz", "readyz", "metrics"}
# Views a signed-in user reaches before verifying a second factor.
BEFORE_SECOND_FACTOR_ROUTES = {"logout", "mfa-enrol", "mfa-verify"}
# Routes every deployment has; if the walk misses them, the walk is broken.
EXPECTED_ROUTES = {
    "api-me",
    "api-schema",
    "api-docs",
    "dashboard",
    "account",
    "token-create",
    "vetting-queue",
    "vetting-user",
    "admin:index",
    "admin:victimid_user_changelist",
    "admin:victimid_user_change",
    "admin:app_list",
}


@dataclass(frozen=True)
class Route:
    name: str
    path: str
    callback: Any

    @property
    def is_api(self) -> bool:
        return self.path.startswith("/api/")


def _route_part(pattern: RoutePattern) -> str:
    def fill(match: re.Match[str]) -> str:
        converter = pattern.converters[match["parameter"]]
        for kind, sample in CONVERTER_SAMPLES.items():
            if isinstance(converter, kind):
                return sample
        for sample in REGEX_SAMPLES:  # a custom converter: the first sample it accepts
            if re.fullmatch(converter.regex, sample):
                return sample
        raise AssertionError(f"no sample value for converter {converter!r} in {pattern}")

    return re.sub(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>", fill, str(pattern))


def _regex_part(pattern: RegexPattern) -> str:
    regex = pattern.regex
    template, params = normalize(regex.pattern)[0]
    candidates = []
    for param in params:
        group = re.search(rf"\(\?P<{param}>([^()]*)\)", regex.pattern)
        inner = group[1] if group else ""
        # An alternation of literals (the admin's app labels): take its choices.
        choices = inner.split("|") if re.fullmatch(r"[\w|]+", inner) else REGEX_SAMPLES
        candidates.append(choices)
    for values in itertools.product(*candidates):
        filled = template % dict(zip(params, values, strict=True))
        if regex.fullmatch(filled) or (regex.pattern.endswith("$") and regex.match(filled)):
            return filled
    raise AssertionError(f"no sample path for {regex.pattern!r}")


def _part(pattern: Any) -> str:
    if isinstance(pattern, RoutePattern):
        return _route_part(pattern)
    if isinstance(pattern, RegexPattern):
        return _regex_part(pattern)
    raise AssertionError(f"unknown pattern type {type(pattern)!r}")


def _walk(resolver: URLResolver, prefix: str, namespace: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        path = prefix + _part(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, path, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else f"{namespace}<{path}>"
            yield Route(name=name, path=path, callback=entry.callback)


def collect_routes() -> list[Route]:
    """Every URL pattern, with a concrete path that resolves back to it."""
    return list(_walk(get_resolver(), "/", ""))


ROUTES = collect_routes()


@pytest.fixture
def gate_decisions(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Record, per request, whether the gate stopped it (True) or let the view run."""
    decisions: list[bool] = []
    original = SecondFactorGateMiddleware.process_view

    def spy(self: SecondFactorGateMiddleware, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        decisions.append(response is not None)
        return response

    monkeypatch.setattr(SecondFactorGateMiddleware, "process_view", spy)
    return decisions


def test_the_walk_finds_the_routes_every_deployment_has():
    names = {route.name for route in ROUTES}
    assert names >= EXPECTED_ROUTES, EXPECTED_ROUTES - names
    assert names >= PUBLIC_ROUTES | BEFORE_SECOND_FACTOR_ROUTES
    assert len(ROUTES) > 40  # the admin alone brings dozens


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_every_sample_path_resolves_to_its_own_pattern(route):
    assert resolve(route.path).func is route.callback


def test_the_allow_lists_match_the_views_marked_in_the_code():
    marked_public = {r.name for r in ROUTES if middleware._view_flag(r.callback, PUBLIC)}
    marked_early = {
        r.name for r in ROUTES if middleware._view_flag(r.callback, BEFORE_SECOND_FACTOR)
    }
    assert marked_public == PUBLIC_ROUTES
    assert marked_early == BEFORE_SECOND_FACTOR_ROUTES


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_a_signed_in_user_without_a_second_factor_reaches_only_the_allowed_routes(
    route, gate_decisions
):
    user = UserFactory()
    client = signed_in_client(user, verified=False)
    gate_decisions.clear()

    response = client.get(route.path)

    assert gate_decisions, "the gate never saw the request"
    if route.name in PUBLIC_ROUTES | BEFORE_SECOND_FACTOR_ROUTES:
        assert gate_decisions == [False]
        assert response.status_code < 500
    elif route.is_api:
        assert gate_decisions == [True]
        assert response.status_code == 403
        assert response.json()["error"]["code"] == "mfa_required"
    else:
        assert gate_decisions == [True]
        assert response.status_code == 302
        assert response["Location"] in ("/mfa/verify/", "/mfa/enrol/")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.name)
def test_an_anonymous_visitor_reaches_only_the_public_routes(route, gate_decisions):
    response = Client().get(route.path)

    if route.name in PUBLIC_ROUTES:
        assert gate_decisions == [False]
        assert response.status_code < 500
    elif route.is_api:
        assert response.status_code == 401
        if response["Content-Type"].startswith("application/json"):
            assert response.json()["error"]["code"] == "not_authenticated"
    else:
        assert gate_decisions == [True]
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


@pytest.mark.django_db
def test_a_user_without_any_device_is_sent_to_enrolment():
    user = UserFactory(totp=False)
    client = signed_in_client(user, verified=False)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/mfa/enrol/"


@pytest.mark.django_db
def test_a_user_with_a_device_is_sent_to_verification():
    client = signed_in_client(UserFactory(), verified=False)
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/mfa/verify/"


@pytest.mark.django_db
def test_static_files_are_served_to_anyone():
    response = Client().get("/static/victimid/site.css")
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/account/tokens/",
        "/account/recovery-codes/",
        "/account/password/",
        "/account/notification-emails/",
        "/vetting/users/1/decide/",
    ],
)
def test_an_unverified_session_cannot_post_to_sensitive_forms(path, gate_decisions):
    client = signed_in_client(UserFactory(), verified=False)
    gate_decisions.clear()
    response = client.post(path, {"token": "123456", "decision": "approve", "reason": "x"})
    assert gate_decisions == [True]
    assert response["Location"] == "/mfa/verify/"
