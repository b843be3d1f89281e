"""Browser tests: Playwright (sync API) driving the system Chromium against ``live_server``.

Chromium is never downloaded: the tests use ``/usr/bin/chromium`` (or
``E2E_CHROMIUM``) and skip when it is missing, unless ``E2E_REQUIRED=1`` (CI),
where a missing browser fails the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import PASSWORD

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise
# refuse ORM calls made from the test body (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CSP_MARKER = "Content Security Policy"
_CALL_FAILED = pytest.StashKey[bool]()


def _e2e_required() -> bool:
    return os.environ.get("E2E_REQUIRED", "").strip().lower() in {"1", "true", "yes", "on"}


def _unavailable(reason: str) -> None:
    if _e2e_required():
        pytest.fail(f"E2E_REQUIRED=1 but browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    """One headless Chromium for the whole session."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"playwright is not installed ({exc})")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """Console messages of the current page that report a Content Security Policy violation."""
    return []


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def browser_page(
    request: pytest.FixtureRequest, chromium_browser: object, csp_violations: list[str]
) -> Iterator[object]:
    """A fresh browser context and page; fails the test on any CSP violation in the console."""
    context = chromium_browser.new_context(locale="en-GB")  # type: ignore[attr-defined]
    context.set_default_timeout(15_000)
    page = context.new_page()

    def on_console(message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if CSP_MARKER in text:
            csp_violations.append(text)

    page.on("console", on_console)
    try:
        yield page
    finally:
        context.close()
    # A test that failed already reports its own violations; fail the others here.
    if csp_violations and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail("Content Security Policy violations:\n" + "\n".join(csp_violations))


def sign_in(page: Any, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Fill in and submit the login form (the second factor follows)."""
    page.goto(f"{base_url}/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Continue").click()


def signed_in_page(browser: Any, base_url: str, user: Any, csp_violations: list[str]) -> Any:
    """A new browser context signed in as ``user``, second factor included.

    The code of the current 30-second step may be used again (a test signs one user in
    twice), as ``tests.conftest.signed_in_client`` allows.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.conftest import current_code

    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: csp_violations.append(message.text) if CSP_MARKER in message.text else None,
    )
    TOTPDevice.objects.filter(user=user, confirmed=True).update(last_t=-1)
    sign_in(page, base_url, user.email)
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Search clues").wait_for()
    return page
