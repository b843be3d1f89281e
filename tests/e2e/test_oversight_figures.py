"""The oversight dashboard in a real browser: a chart, its table and a hidden small count."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cases.services.stats import stats_refresh
from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import (
    AgencyFactory,
    IdentificationEventFactory,
    SeriesFactory,
    UserFactory,
    VictimFactory,
)
from victimid.choices import Role

pytestmark = pytest.mark.e2e


def test_oversight_reads_a_chart_its_table_and_a_hidden_small_count(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    nl = UserFactory(agency=AgencyFactory(name="Dutch VID", country="NL"))
    es = UserFactory(agency=AgencyFactory(name="Spanish VID", country="ES"))
    for user, children in ((nl, 9), (es, 2)):
        series = SeriesFactory(actor=user, first_seen=date(2025, 1, 10))
        for day in range(children):
            IdentificationEventFactory(
                actor=user,
                victim=VictimFactory(actor=user, series=[series]),
                occurred_on=date(2025, 2, 1 + day),
            )
    stats_refresh()
    oversight = UserFactory(
        email="olga@oversight.example.org", agency=es.agency, roles=[Role.OVERSIGHT]
    )

    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, oversight.email)
    page.get_by_label("One-time code").fill(current_code(oversight))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Welcome"))).to_be_visible()
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("link", name="Figures", exact=True).click()
    page.get_by_label("Year").select_option("2025")
    page.get_by_label("Region or country").select_option(label="— Spain")
    page.get_by_role("button", name="Show").click()

    chart = page.get_by_test_id("chart-children")
    expect(chart).to_be_visible()
    expect(chart.locator("svg title").first).to_contain_text("Children identified")
    table = page.get_by_test_id("table-children")
    expect(table).to_be_visible()
    first_quarter = table.get_by_role("row", name=re.compile(r"^2025-Q1"))
    expect(first_quarter.get_by_role("cell").first).to_have_text("<5")
    # The chart draws no column for it, only the same marker.
    expect(chart.locator("text.hidden-mark").first).to_have_text("<5")
    # Nothing wider than the phone's screen.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert not csp_violations
