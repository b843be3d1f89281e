"""Recording outcomes in a real browser: the summary to confirm, and the series summary after."""

from __future__ import annotations

import re
from datetime import date

import pytest

from cases.models import IdentificationEvent
from tests.conftest import current_code
from tests.e2e.conftest import sign_in
from tests.factories import (
    AgencyFactory,
    IdentificationEventFactory,
    SeriesFactory,
    UserFactory,
    VictimFactory,
)

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

    page.get_by_role("link", name="Children", exact=True).click()
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
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record in the log").click()
    expect(page.get_by_text("Recorded in the identification log.")).to_be_visible()
    expect(page.get_by_test_id("victim-status")).to_have_text("Identified")
    summary = page.get_by_test_id("identification-summary")
    expect(summary.get_by_test_id("summary-identified")).to_have_text("1 of 2")
    expect(summary.get_by_test_id("summary-safeguarded")).to_have_text("0 of 2")
    expect(summary.get_by_test_id("summary-first-identified")).to_have_text("2026-10-01")

    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label("What happened").select_option(label="Safeguarded")
    page.get_by_label("Date it happened").fill("2026-10-03")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record in the log").click()
    expect(page.get_by_test_id("victim-status")).to_have_text("Safeguarded")
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_role("listitem")).to_have_count(2)
    expect(timeline).to_contain_text("2026-10-03 · Safeguarded")

    page.get_by_role("link", name=series.code).click()
    summary = page.get_by_test_id("identification-summary")
    expect(summary.get_by_test_id("summary-identified")).to_have_text("1 of 2")
    expect(summary.get_by_test_id("summary-safeguarded")).to_have_text("1 of 2")
    assert csp_violations == []


def _sign_in(page, base_url, user) -> None:
    sign_in(page, base_url, user.email)
    page.get_by_label("One-time code").fill(current_code(user))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Children", exact=True).wait_for()


def test_an_outcome_is_recorded_only_once_its_summary_is_confirmed(
    live_server, browser_page, csp_violations
):
    from playwright.sync_api import expect

    page = browser_page
    agency = AgencyFactory(name="Demo VID Team", country="NL")
    user = UserFactory(email="noor@nl.example.org", full_name="Noor Investigator", agency=agency)
    victim = VictimFactory(actor=user, series=[SeriesFactory(actor=user)])
    IdentificationEventFactory(victim=victim, occurred_on=date(2026, 10, 1))
    _sign_in(page, live_server.url, user)
    page.goto(f"{live_server.url}/victims/{victim.code}/record/")

    kind = page.get_by_label("What happened")
    service = page.get_by_label("Kind of support service")
    corrects = page.get_by_label("Event this corrects")
    also = page.get_by_label("Also record the identification on the same date")
    # Nothing is chosen for the recorder, and fields of other kinds stay out of the way.
    expect(kind).to_have_value("")
    for field in (service, corrects, also):
        expect(field).to_be_hidden()
    kind.select_option(label="Referred to support services")
    expect(service).to_be_visible()
    expect(corrects).to_be_hidden()
    service.select_option(label="Psychological")
    kind.select_option(label="Safeguarded")
    expect(also).to_be_visible()
    expect(service).to_be_hidden()
    expect(service).to_be_disabled()  # so the service chosen above is not sent

    kind.select_option(label="Follow-up")
    page.get_by_label("Date it happened").fill("2026-10-05")
    page.get_by_label("Note").fill("Home visit with the social worker.")
    page.get_by_role("button", name="Continue").click()

    # The summary, in words; nothing written yet.
    summary = page.get_by_test_id("summary")
    expect(summary.get_by_test_id("summary-child")).to_have_text(victim.code)
    expect(summary.get_by_test_id("summary-kind")).to_have_text("Follow-up")
    expect(summary.get_by_test_id("summary-date")).to_have_text("Monday 5 October 2026")
    expect(summary.get_by_test_id("summary-agency")).to_have_text("Demo VID Team (Netherlands)")
    expect(summary.get_by_test_id("summary-note")).to_have_text(
        "Home visit with the social worker."
    )
    expect(summary.get_by_test_id("summary-service")).to_have_count(0)
    expect(page.get_by_test_id("permanence")).to_contain_text("cannot be changed or deleted")
    assert IdentificationEvent.objects.count() == 1

    # Back to the form with everything kept, then on again and confirmed.
    page.get_by_role("button", name="Change the details").click()
    expect(kind).to_have_value("follow_up")
    expect(page.get_by_label("Note")).to_have_value("Home visit with the social worker.")
    expect(service).to_be_hidden()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Record in the log").click()
    expect(page.get_by_text("Recorded in the identification log.")).to_be_visible()
    timeline = page.get_by_test_id("timeline")
    expect(timeline.get_by_role("listitem")).to_have_count(2)
    expect(timeline).to_contain_text("2026-10-05 · Follow-up")

    # Back in history and confirming again records nothing more.
    page.go_back()
    page.get_by_role("button", name="Record in the log").click()
    expect(page.get_by_text("already recorded; it was recorded once")).to_be_visible()
    assert IdentificationEvent.objects.filter(kind="follow_up").count() == 1
    assert csp_violations == []
