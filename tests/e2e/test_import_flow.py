"""Importing a hash file into a series in a real browser (issue 11): from the series page
to the outcome, with the progress component under the strict CSP."""

from __future__ import annotations

import pytest

from cases.models import KnownHash
from tests.e2e.conftest import signed_in_page
from tests.factories import AgencyFactory, KnownHashFactory, SeriesFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_the_owner_imports_a_file_from_the_series_page_and_reads_the_outcome(
    live_server, chromium_browser, csp_violations, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.TRIAGE_UPLOAD_DIR = str(tmp_path / "uploads")
    owner = UserFactory(
        email="maartje@politie.example.nl", agency=AgencyFactory(name="Politie", country="NL")
    )
    series = SeriesFactory(actor=owner, title="Harbour room", distribution="network")
    KnownHashFactory(series=series, value="d" * 32)
    listing = tmp_path / "national-set.txt"
    listing.write_text(f"{'c' * 32}\n{'d' * 32}\nsha1:{'e' * 40}\n")

    page = signed_in_page(chromium_browser, live_server.url, owner, csp_violations)
    page.goto(f"{live_server.url}/series/{series.code}/")
    page.get_by_role("link", name="Import a hash file").click()
    expect(
        page.get_by_role("heading", name=f"Import hash values into {series.code}")
    ).to_be_visible()
    page.get_by_label("Hash file").set_input_files(str(listing))
    page.get_by_role("button", name="Import the file").click()

    # The worker has run (eagerly here); the page shows the outcome once it is done.
    expect(
        page.get_by_role("heading", name=f"Import of national-set.txt into {series.code}")
    ).to_be_visible()
    status = page.get_by_test_id("import-status")
    expect(status).to_contain_text("Done — 100%")
    counts = page.get_by_test_id("import-counts")
    expect(counts.locator("tr[data-outcome=added] td").nth(1)).to_have_text("2")
    expect(counts.locator("tr[data-outcome=already] td").nth(1)).to_have_text("1")
    expect(counts.locator("tr[data-outcome=conflicts] td").nth(1)).to_have_text("0")
    expect(page.get_by_role("button", name="Cancel the import")).to_have_count(0)
    assert KnownHash.objects.filter(series=series).count() == 3

    page.get_by_role("link", name=f"Imports into {series.code}").click()
    expect(page.get_by_test_id("import-jobs")).to_contain_text("national-set.txt")
    page.context.close()
    assert csp_violations == []
