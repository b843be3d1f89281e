"""Casework in a real browser: a clue reaches another country only when its level allows."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import current_code
from tests.e2e.conftest import sign_in, signed_in_page
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.e2e


def _search(page: Any, base_url: str, words: str) -> None:
    page.goto(f"{base_url}/clues/")
    page.get_by_label("Words").fill(words)
    page.get_by_role("button", name="Search").click()


def test_a_clue_reaches_another_country_only_when_its_level_allows(
    live_server, browser_page, chromium_browser, csp_violations
):
    from playwright.sync_api import expect

    base = live_server.url
    owner = UserFactory(
        email="maartje@politie.example.nl", agency=AgencyFactory(name="Politie", country="NL")
    )
    abroad = UserFactory(
        email="lucia@policia.example.es", agency=AgencyFactory(name="Policía", country="ES")
    )

    # The owner, in the Netherlands, creates a series for their country.
    page = browser_page
    sign_in(page, base, owner.email)
    page.get_by_label("One-time code").fill(current_code(owner))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Series", exact=True).click()
    page.get_by_role("link", name="New series").click()
    page.get_by_label("Title").fill("Harbour room")
    page.get_by_label("Summary").fill("Indoor scenes; Dutch speech in the background.")
    # The sharing group matters only at the group level, and shows only then (CSS only).
    expect(page.get_by_role("combobox", name="Sharing group:")).to_be_hidden()
    page.get_by_role("radio", name=re.compile("Members of a sharing group")).check()
    expect(page.get_by_role("combobox", name="Sharing group:")).to_be_visible()
    page.get_by_role("radio", name=re.compile("Vetted users in my country")).check()
    expect(page.get_by_role("combobox", name="Sharing group:")).to_be_hidden()
    page.get_by_role("button", name="Create series").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Harbour room")
    expect(page.get_by_test_id("series-distribution")).to_contain_text(
        "Every vetted user at any agency in your country will see this."
    )
    series_url = page.url

    # ...and posts a clue on it, also for their country.
    page.get_by_role("link", name="Add a clue").click()
    page.get_by_label("Kind of clue").select_option(label="Sockets")
    page.get_by_label("Title").fill("Recessed cream socket")
    page.get_by_label("Description").fill("A recessed wall socket with two earthing clips.")
    page.get_by_label("Common languages").select_option(["nld"])
    page.get_by_label("Country 1").select_option("NL")
    page.get_by_label("Confidence 1").select_option("high")
    page.get_by_role("radio", name=re.compile("Vetted users in my country")).check()
    page.get_by_role("button", name="Post clue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recessed cream socket")
    expect(page.get_by_text("Netherlands (high)")).to_be_visible()
    clue_url = page.url

    # An investigator in Spain searches and finds nothing, nor can open the clue.
    spain = signed_in_page(chromium_browser, base, abroad, csp_violations)
    _search(spain, base, "socket")
    expect(spain.get_by_test_id("result-count")).to_have_text("0 clues you can see")
    spain.goto(clue_url)
    expect(spain.get_by_role("heading", name="Not found")).to_be_visible()

    # The owner opens the clue and its series to the whole network.
    page.goto(clue_url)
    page.get_by_role("link", name="Edit clue").click()
    page.get_by_role("radio", name=re.compile("Every vetted user on VictimID")).check()
    page.get_by_role("button", name="Save clue").click()
    expect(page.get_by_test_id("clue-distribution")).to_contain_text("in every country")
    # The clue alone is not enough: its series is still for the Netherlands only.
    _search(spain, base, "socket")
    expect(spain.get_by_test_id("result-count")).to_have_text("0 clues you can see")

    page.goto(series_url)
    page.get_by_role("link", name="Edit series").click()
    page.get_by_role("radio", name=re.compile("Every vetted user on VictimID")).check()
    page.get_by_role("button", name="Save series").click()
    expect(page.get_by_text("saved.")).to_be_visible()

    # Now the investigator in Spain finds it, with its facets, and can open it.
    _search(spain, base, "socket")
    expect(spain.get_by_test_id("result-count")).to_have_text("1 clue you can see")
    expect(spain.get_by_test_id("facet-country")).to_contain_text("Netherlands")
    spain.get_by_role("link", name="Recessed cream socket").click()
    expect(spain.get_by_role("heading", level=1)).to_have_text("Recessed cream socket")
    expect(spain.get_by_role("link", name="Edit clue")).to_have_count(0)
    spain.context.close()

    assert csp_violations == []
