"""An investigator records "identified" then "safeguarded" and sees the series summary change."""

from __future__ import annotations

import re

import pytest

from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import AgencyFactory, SeriesFactory, UserFactory, VictimFactory

pytestmark = pytest.mark.e2e


def test_recording_identified_then_safeguarded_updates_the_series_summary(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    page = browser_page
    agency = AgencyFactory(name="Demo VID Team", country="NL")
    user = UserFactory(email="noor@nl.example.org", full_name="Noor Investigator", agency=agency)
    series = SeriesFactory(actor=user, title="Blue tiles")
    victim = VictimFactory(actor=user, series=[series], age_band="7-10")
    VictimFactory(actor=user, series=[series])  # a second child in the series, not identified

    sign_in(page, live_server.url, user.email)
    expect(page).to_have_url(re.compile(r"/mfa/verify/$"))
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome"))).to_be_visible()

    page.get_by_role("link", name="Victims", exact=True).click()
    page.get_by_label("Series code").fill(series.code)
    page.get_by_role("button", name="Filter").click()
    summary = page.get_by_test_id("identification-summary")
    expect(summary.get_by_test_id("summary-children")).to_have_text("2")
    expect(summary.get_by_test_id("summary-identified")).to_have_text("0 of 2")

    page.get_by_role("link", name=victim.code).click()
    expect(page.get_by_test_id("victim-status")).to_have_text("Not yet identified")

    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("What happened").select_option(label="Identified")
    page.get_by_label("Date it happened").fill("2026-10-01")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_text("Recorded in the identification log.")).to_be_visible()
    expect(page.get_by_test_id("victim-status")).to_have_text("Identified")
    summary = page.get_by_test_id("identification-summary")
    expect(summary.get_by_test_id("summary-identified")).to_have_text("1 of 2")
    expect(summary.get_by_test_id("summary-safeguarded")).to_have_text("0 of 2")
    expect(summary.get_by_test_id("summary-first-identified")).to_have_text("2026-10-01")

    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("What happened").select_option(label="Safeguarded")
    page.get_by_label("Date it happened").fill("2026-10-03")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("victim-status")).to_have_text("Safeguarded")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_role("listitem")).to_have_count(2)
    expect(timeline).to_contain_text("2026-10-03 · Safeguarded")

    page.get_by_role("link", name=series.code).click()
    summary = page.get_by_test_id("identification-summary")
    expect(summary.get_by_test_id("summary-identified")).to_have_text("1 of 2")
    expect(summary.get_by_test_id("summary-safeguarded")).to_have_text("1 of 2")
    assert csp_violations == []
