"""Search in a real browser: a language by its name, with suggestions from the server as one
types, and a word in another form than the clue's ("sockets" finds "socket")."""

from __future__ import annotations

import pytest

from cases.models import ClueTaxonomyNode
from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import AgencyFactory, ClueFactory, SeriesFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_searching_by_language_name_and_by_an_inflected_word(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    owner = UserFactory(agency=AgencyFactory(name="Politie", country="NL"))
    reader = UserFactory(
        email="ana@policia.example.es", agency=AgencyFactory(name="Policía", country="ES")
    )
    series = SeriesFactory(actor=owner, distribution="network")
    flora = ClueTaxonomyNode.objects.get(slug="flora")
    for title, languages in (("Cream wall socket", ["eng"]), ("Stopcontact", ["nld"])):
        ClueFactory(
            actor=owner,
            series=series,
            title=title,
            description="Seen beside the bed.",
            languages=languages,
            taxonomy_node=flora,
            distribution="network",
        )

    page = browser_page
    sign_in(page, live_server.url, reader.email)
    page.get_by_label("One-time code").fill(current_code(reader))
    page.get_by_role("button", name="Verify").click()
    page.goto(f"{live_server.url}/clues/")

    # Typing a few letters asks the server; the suggestions come back by name (the page
    # was served with the common languages only, so Dutch Sign Language comes from it).
    language = page.get_by_role("combobox", name="Language")
    language.press_sequentially("dut", delay=40)
    expect(page.locator('#language-suggestions option[value="Dutch Sign Language"]')).to_have_count(
        1
    )
    expect(page.locator('#language-suggestions option[value="Dutch"]')).to_have_count(1)

    # A name is enough to filter.
    language.fill("Dutch")
    page.get_by_role("button", name="Search").click()
    results = page.locator("main table tbody")
    expect(results).to_contain_text("Stopcontact")
    expect(results).not_to_contain_text("Cream wall socket")

    # "sockets" finds the English clue that says "socket", and marks the word.
    page.goto(f"{live_server.url}/clues/")
    page.get_by_label("Words").fill("sockets")
    page.get_by_role("button", name="Search").click()
    expect(results).to_contain_text("Cream wall socket")
    expect(results.locator("mark").first).to_have_text("socket")
    assert csp_violations == []
