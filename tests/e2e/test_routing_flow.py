"""Routing in a real browser (issue 12): a clue asked of another country, answered there,
and the answer back with its author, notification and unread count included."""

from __future__ import annotations

import re

import pytest

from cases.models import RoutingRequest
from tests.e2e.conftest import signed_in_page
from tests.factories import AgencyFactory, ClueFactory, SeriesFactory, UserFactory
from victimid.choices import Role

pytestmark = pytest.mark.e2e

TITLE = "Wall socket with a sliding child lock"


def test_a_clue_routed_abroad_is_answered_and_its_author_sees_the_answer(
    live_server, chromium_browser, csp_violations
):
    from playwright.sync_api import expect

    base = live_server.url
    author = UserFactory(
        email="maartje@politie.example.nl", agency=AgencyFactory(name="Politie", country="NL")
    )
    bka = AgencyFactory(name="Bundeskriminalamt", country="DE")
    coordinator = UserFactory(
        email="jonas@bka.example.de", agency=bka, roles=[Role.INVESTIGATOR, Role.COORDINATOR]
    )
    investigator = UserFactory(email="lena@bka.example.de", agency=bka)
    # The clue and its series are the author's agency's alone: only the routing shows the
    # clue in Germany, and never its series.
    series = SeriesFactory(actor=author, title="Nursery corner", distribution="agency")
    clue = ClueFactory(actor=author, series=series, title=TITLE, distribution="agency")

    # The author, in the Netherlands, asks Germany about the clue.
    page = signed_in_page(chromium_browser, base, author, csp_violations)
    page.goto(f"{base}/clues/{clue.pk}/")
    routing = page.get_by_test_id("routing")
    routing.get_by_label("Another country").select_option(label="Germany")
    routing.get_by_label("Your question (optional)").fill(
        "Do you know this socket cover? The lock slides sideways."
    )
    routing.get_by_role("button", name="Ask these countries").click()
    expect(page.get_by_text("Asked Germany.")).to_be_visible()
    requests = page.get_by_test_id("routing-requests")
    expect(requests.get_by_role("row", name=re.compile(r"^Germany Open"))).to_be_visible()
    page.context.close()

    # The German coordinator finds it in the queue and passes it to an investigator.
    page = signed_in_page(chromium_browser, base, coordinator, csp_violations)
    expect(page.get_by_role("link", name="Notifications (1 unread)")).to_be_visible()
    page.get_by_role("link", name="Routing", exact=True).click()
    expect(page.get_by_role("heading", name="Routing requests to Germany")).to_be_visible()
    queue = page.get_by_test_id("routing-queue")
    expect(queue).to_contain_text(TITLE)
    expect(queue).to_contain_text("Asked by Politie")
    expect(queue).to_contain_text("The lock slides sideways.")
    queue.get_by_label("Pass to").select_option(label=f"{investigator.email} (Bundeskriminalamt)")
    queue.get_by_role("button", name="Pass on").click()
    expect(page.get_by_text(f"Passed to {investigator.email}.")).to_be_visible()
    page.context.close()

    # The investigator opens the clue from their queue and answers with an assessment.
    page = signed_in_page(chromium_browser, base, investigator, csp_violations)
    page.get_by_role("link", name="Routing", exact=True).click()
    expect(page.get_by_role("heading", name="Routing requests passed to you")).to_be_visible()
    page.get_by_test_id("routing-queue").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    assessments = page.get_by_test_id("assessments")
    assessments.get_by_label("Recognised", exact=True).check()
    assessments.get_by_label("Country 1").select_option(label="Germany")
    assessments.get_by_label("Place 1 (optional)").fill("Bavaria")
    assessments.get_by_label("Confidence 1").select_option(label="High")
    assessments.get_by_label("Comment").fill(
        "Sold only by one German DIY chain since 2024; the sliding lock is its own design."
    )
    assessments.get_by_role("button", name="Record my assessment").click()
    expect(page.get_by_text("Assessment recorded. Thank you.")).to_be_visible()
    # The answer closed the request that showed them the clue: it is back in their queue
    # as answered, and the clue is no longer theirs to open.
    expect(
        page.get_by_text("Your answer closed the request that shared this clue.")
    ).to_be_visible()
    page.context.close()
    answered = RoutingRequest.objects.get(clue=clue)
    assert answered.status == "answered" and answered.answer is not None
    assert answered.answer.assessor_id == investigator.pk

    # The author signs in: the unread count, the notification, the answer on the clue.
    page = signed_in_page(chromium_browser, base, author, csp_violations)
    expect(page.get_by_test_id("unread-notifications")).to_have_text("1 unread notification")
    page.get_by_role("link", name="Notifications (1 unread)").click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    notice = page.get_by_role("row", name=re.compile("Germany answered your request"))
    expect(notice).to_contain_text(
        f"Germany answered your request about clue “{TITLE}”: recognised."
    )
    expect(notice).to_contain_text("new")
    notice.get_by_role("link", name=str(clue.pk)).click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    requests = page.get_by_test_id("routing-requests")
    expect(requests.get_by_role("row", name=re.compile(r"^Germany Answered"))).to_be_visible()
    assessment = page.get_by_test_id("assessment")
    expect(assessment).to_have_count(1)
    expect(assessment).to_contain_text("Recognised — Bundeskriminalamt (Germany)")
    expect(assessment).to_contain_text("Germany: Bavaria (high)")
    expect(assessment).to_contain_text("Sold only by one German DIY chain since 2024")
    page.context.close()
    assert csp_violations == []
