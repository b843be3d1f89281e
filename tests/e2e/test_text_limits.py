"""Pasting more than a field takes keeps all the text, counts it, and is refused on submit."""

from __future__ import annotations

import pytest

from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_text_pasted_over_the_limit_is_kept_counted_and_refused_with_its_length(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    page = browser_page
    user = UserFactory(email="noor@nl.example.org", agency=AgencyFactory(country="NL"))
    sign_in(page, live_server.url, user.email)
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Series", exact=True).wait_for()
    page.goto(f"{live_server.url}/series/new/")
    page.get_by_label("Title").fill("Harbour room")

    summary = page.get_by_label("Summary")
    counter = page.locator("#id_summary_counter")
    # Well under the limit: no counter.
    summary.fill("Indoor scenes.")
    expect(counter).to_be_hidden()
    # Pasted text (inserted as a paste is: the browser's maxlength would have cut it).
    text = ("Indoor scenes, Dutch speech, tiled floor. " * 125)[:5214]
    summary.fill("")
    summary.focus()
    page.keyboard.insert_text(text)
    assert len(summary.input_value()) == 5214
    expect(counter).to_be_visible()
    expect(counter).to_have_text("5,214 of 5,000 characters: 214 too many")
    # Nearing the limit, the counter says so without alarm.
    summary.fill(text[:4500])
    summary.press("End")
    page.keyboard.insert_text(".")
    expect(counter).to_have_text("4,501 of 5,000 characters")
    live = page.locator("#id_summary ~ [aria-live=polite]")
    expect(live).to_have_text("4,501 of 5,000 characters")

    summary.fill("")
    summary.focus()
    page.keyboard.insert_text(text)
    page.get_by_role("button", name="Create series").click()
    expect(page.get_by_text("At most 5,000 characters; this has 5,214.").first).to_be_visible()
    assert len(page.get_by_label("Summary").input_value()) == 5214
    expect(page.locator("#id_summary_counter")).to_have_text(
        "5,214 of 5,000 characters: 214 too many"
    )
    assert csp_violations == []
