"""Security headers on every response, and pages that work under a strict CSP (no inline code)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.conftest import signed_in_client
from tests.factories import UserFactory
from tests.victimid.support import attempt_login

pytestmark = pytest.mark.django_db


class InlineCodeFinder(HTMLParser):
    """Collects what a strict Content-Security-Policy would block in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _value in attrs}
        if tag == "script" and "src" not in names:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("inline <style>")
        if "style" in names:
            self.problems.append(f"style attribute on <{tag}>")
        self.problems += [f"{name} handler on <{tag}>" for name in names if name.startswith("on")]
        for name, value in attrs:
            if name in ("href", "src", "action") and (value or "").lower().startswith(
                ("javascript:", "data:")
            ):
                self.problems.append(f"{name}={value[:20]} on <{tag}>")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def test_the_inline_code_finder_finds_inline_code():
    html = '<script>x()</script><p style="color:red" onclick="y()"><a href="javascript:z()">'
    assert inline_code(html) == [
        "inline <script>",
        "style attribute on <p>",
        "onclick handler on <p>",
        "href=javascript:z() on <a>",
    ]
    assert inline_code('<script src="/static/app.js"></script>') == []


@pytest.mark.parametrize("path", ["/login/", "/healthz", "/api/v1/me", "/no-such-page/"])
def test_every_response_carries_the_security_headers(path):
    response = Client().get(path)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    directives = csp_directives(response)
    for directive in ("script-src", "style-src", "default-src"):
        assert directives[directive] == ["'self'"], directive
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_session_and_csrf_cookies_are_http_only(actors):
    client = signed_in_client(actors.owner)
    assert client.cookies["sessionid"]["httponly"]
    assert client.cookies["sessionid"]["samesite"] == "Lax"


def _pages(actors) -> dict[str, str]:
    """The HTML of every page a person sees in issue 2, rendered for real."""
    pages: dict[str, str] = {}
    anonymous = Client()
    for path in ("/login/", "/register/", "/set-password/x/x/"):
        pages[path] = anonymous.get(path).content.decode()
    coordinator = signed_in_client(actors.coordinator)
    for path in (
        "/",
        "/account/",
        "/vetting/",
        "/vetting/invite/",
        f"/vetting/users/{actors.owner.pk}/",
        "/vetting/users/999999/",  # the 404 page
    ):
        pages[path] = coordinator.get(path).content.decode()
    pages["403"] = signed_in_client(actors.owner).get("/vetting/").content.decode()
    pages["/mfa/verify/"] = (
        signed_in_client(actors.owner, verified=False).get("/mfa/verify/").content.decode()
    )
    newcomer = UserFactory(totp=False)
    pages["/mfa/enrol/"] = (
        signed_in_client(newcomer, verified=False).get("/mfa/enrol/").content.decode()
    )
    pages["locked"] = ""
    for _attempt in range(6):
        pages["locked"] = attempt_login(actors.colleague.email, "wrong-password").content.decode()
    admin = signed_in_client(actors.admin)
    for path in ("/api/v1/docs", "/admin/", f"/admin/victimid/user/{actors.owner.pk}/change/"):
        pages[path] = admin.get(path).content.decode()
    return pages


def test_no_page_carries_inline_script_or_style(actors):
    pages = _pages(actors)

    assert "This account is locked" in pages["locked"]
    assert "<svg" in pages["/mfa/enrol/"]
    problems = {path: inline_code(html) for path, html in pages.items()}
    assert {path: found for path, found in problems.items() if found} == {}


class ScriptSources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.sources.append(dict(attrs).get("src") or "")


def test_the_api_docs_load_every_script_from_this_site_as_javascript(actors):
    admin = signed_in_client(actors.admin)
    page = admin.get("/api/v1/docs")
    assert page.status_code == 200
    parser = ScriptSources()
    parser.feed(page.content.decode())

    assert len(parser.sources) >= 3  # the bundle, the preset and the start-up script
    for src in parser.sources:
        assert src.startswith("/"), src
        script = admin.get(src)
        assert script.status_code == 200, src
        assert "javascript" in script["Content-Type"], src


def test_every_response_names_its_request_id_and_refuses_a_forged_one():
    kept = Client(HTTP_X_REQUEST_ID="lb-42.abc").get("/healthz")
    assert kept["X-Request-ID"] == "lb-42.abc"
    replaced = Client(HTTP_X_REQUEST_ID="bad id\r\nSet-Cookie: x=1").get("/healthz")
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_https_responses_ask_browsers_to_keep_to_https():
    response = Client().get("/login/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.parametrize(
    "path",
    [
        "/logout/",
        "/account/tokens/",
        "/account/recovery-codes/",
        "/vetting/users/{owner}/decide/",
        "/vetting/users/{owner}/release/",
        "/vetting/users/{owner}/roles/",
    ],
)
def test_signed_in_forms_refuse_a_post_without_the_csrf_token(actors, path):
    client = signed_in_client(actors.coordinator)
    client.handler.enforce_csrf_checks = True
    response = client.post(path.format(owner=actors.owner.pk), {"reason": "x"})
    assert response.status_code == 403
    assert client.get("/account/").status_code == 200  # still signed in, nothing done


def test_the_login_form_refuses_a_post_without_the_csrf_token(actors):
    response = Client(enforce_csrf_checks=True).post(
        "/login/", {"username": actors.owner.email, "password": "x"}
    )
    assert response.status_code == 403
