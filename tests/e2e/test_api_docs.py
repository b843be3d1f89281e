"""The API documentation page works under the site's strict Content Security Policy."""

from __future__ import annotations

import re

import pytest

from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.e2e


def test_the_api_docs_render_for_a_verified_user_without_csp_violations(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    page = browser_page
    user = UserFactory(email="docs.reader@es.example.org")
    sign_in(page, live_server.url, user.email)
    expect(page).to_have_url(re.compile(r"/mfa/verify/$"))
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome"))).to_be_visible()

    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator("#swagger-ui .information-container .title")).to_contain_text(
        "VictimID API"
    )
    # The schema loaded with the session: the operations are listed.
    expect(page.locator("#swagger-ui .opblock-summary-path", has_text="/api/v1/me")).to_be_visible()
    assert csp_violations == []


def test_the_api_docs_are_not_shown_to_anonymous_visitors(live_server, browser_page):
    response = browser_page.goto(f"{live_server.url}/api/v1/docs")
    assert response is not None
    assert response.status == 401
