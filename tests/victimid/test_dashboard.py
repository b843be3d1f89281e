"""The landing page: casework sections for investigators, nothing more for anyone else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.choices import Distribution
from cases.services import series_update
from tests.cases.chart_support import chart_in
from tests.casework_fixtures import conflict_at
from tests.conftest import signed_in_client
from tests.factories import (
    ClueFactory,
    DeconflictionNoticeFactory,
    IdentificationEventFactory,
    SeriesFactory,
    SeriesFollowerFactory,
    VictimFactory,
)
from victimid.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

SECTIONS = ("dash-agency-series", "dash-shared-clues", "dash-followed", "dash-deconfliction")


def _section(response, testid: str) -> str:
    body = response.content.decode()
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</section>", start)]


def test_an_anonymous_visitor_is_sent_to_sign_in():
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")


def test_a_session_without_a_second_factor_is_sent_to_verify(actors):
    response = signed_in_client(actors.owner, verified=False).get("/")
    assert response["Location"] == "/mfa/verify/"


@pytest.mark.parametrize("who", ["oversight", "auditor", "unvetted"])
def test_users_without_casework_access_see_no_casework_sections(actors, who):
    SeriesFactory(actor=actors.owner, title="Blue room", distribution=Distribution.NETWORK)
    response = signed_in_client(getattr(actors, who)).get("/")
    assert response.status_code == 200
    assert response.context["overview"].agency_series == []
    body = response.content.decode()
    assert not any(section in body for section in SECTIONS)
    assert "Blue room" not in body


def test_the_owner_sees_the_newest_series_of_their_agency(actors):
    mine = SeriesFactory(actor=actors.owner, title="Blue room")
    SeriesFactory(actor=actors.abroad, title="Garden shed", distribution=Distribution.NETWORK)
    response = signed_in_client(actors.colleague).get("/")
    section = _section(response, "dash-agency-series")
    assert mine.code in section and "Blue room" in section
    assert "Garden shed" not in section
    assert "/series/?mine=1" in section


def test_an_investigator_abroad_sees_a_network_clue_from_nl_but_not_an_agency_one(actors):
    series = SeriesFactory(actor=actors.owner, title="Blue room", distribution="network")
    shared = ClueFactory(series=series, distribution=Distribution.NETWORK)
    hidden = ClueFactory(series=series, distribution=Distribution.AGENCY)
    ClueFactory(series=SeriesFactory(actor=actors.abroad, title="Own"), distribution="network")

    response = signed_in_client(actors.abroad).get("/")
    section = _section(response, "dash-shared-clues")
    assert f"/clues/{shared.pk}/" in section
    assert f"/clues/{hidden.pk}/" not in section
    assert series.code in section and "Netherlands" in section
    assert [clue.pk for clue in response.context["overview"].shared_clues] == [shared.pk]


def test_followed_series_show_identification_progress(actors):
    series = SeriesFactory(actor=actors.owner, title="Blue room", distribution="network")
    children = VictimFactory.create_batch(
        4, actor=actors.owner, series=[series], distribution=Distribution.NETWORK
    )
    IdentificationEventFactory(victim=children[0])
    for child in children[1:3]:
        IdentificationEventFactory(victim=child, kind="safeguarded", also_identified=True)
    VictimFactory(actor=actors.owner, series=[series])  # agency-level: not counted abroad
    SeriesFollowerFactory(actor=actors.abroad, series=series)

    response = signed_in_client(actors.abroad).get("/")
    section = _section(response, "dash-followed")
    assert series.code in section
    assert '<td class="num" data-testid="followed-children">4</td>' in section
    assert "3 of 4" in section and "2 of 4" in section
    assert '<meter min="0" max="4" value="3"' in section
    assert "style=" not in section


def test_a_followed_series_no_longer_visible_is_not_shown(actors):
    series = SeriesFactory(actor=actors.owner, title="Blue room", distribution="network")
    SeriesFollowerFactory(actor=actors.abroad, series=series)
    series_update(actor=actors.owner, series=series, version=1, distribution=Distribution.AGENCY)
    response = signed_in_client(actors.abroad).get("/")
    assert series.code not in _section(response, "dash-followed")


def test_the_holder_learns_which_agency_asked_and_how_to_reach_it(actors):
    actors.agency_abroad.contact_point = "Duty desk +34 91 000 0000"
    actors.agency_abroad.save(update_fields=["contact_point"])
    notice = conflict_at(actors, Distribution.AGENCY)
    held, theirs = notice.existing_series, notice.requesting_series

    section = _section(signed_in_client(actors.owner).get("/"), "dash-deconfliction")
    assert "Agency Abroad (Spain) submitted a value already in your series" in section
    assert held.code in section
    assert "Duty desk +34 91 000 0000" in section
    # The requester's agency-level series stays theirs.
    assert theirs.code not in section and theirs.title not in section


def test_the_requester_learns_only_that_a_hidden_series_holds_the_value(actors):
    notice = conflict_at(actors, Distribution.AGENCY)
    held, theirs = notice.existing_series, notice.requesting_series

    section = _section(signed_in_client(actors.abroad).get("/"), "dash-deconfliction")
    assert "already known in another agency's series; its owner has been told" in section
    assert theirs.code in section
    assert held.code not in section
    assert held.title not in section and "Owning Agency" not in section
    assert "Netherlands" not in section and "+31" not in section


def test_the_requester_sees_the_holding_series_code_when_it_may_see_that_series(actors):
    held = conflict_at(actors, Distribution.NETWORK).existing_series

    section = _section(signed_in_client(actors.abroad).get("/"), "dash-deconfliction")
    assert f'<a href="/series/{held.code}/">{held.code}</a>' in section
    assert "Owning Agency" not in section


def test_unread_notifications_are_counted_with_a_link(actors):
    for _ in range(2):
        Notification.objects.create(
            recipient=actors.owner,
            kind="deconfliction",
            subject_type="series",
            subject_ref="x",
            message="m",
        )
    section = signed_in_client(actors.owner).get("/").content.decode()
    assert '<a href="/notifications/">2 unread notifications</a>' in section


def _build(actors, count: int) -> None:
    """For the agency abroad, ``count`` of everything each dashboard section lists."""
    for _ in range(count):
        mine = SeriesFactory(actor=actors.abroad)
        SeriesFollowerFactory(actor=actors.abroad, series=mine)
        VictimFactory(actor=actors.abroad, series=[mine])
        theirs = SeriesFactory(actor=actors.owner, distribution="network")
        ClueFactory(series=theirs, distribution="network")
        SeriesFollowerFactory(actor=actors.abroad, series=theirs)
    DeconflictionNoticeFactory.create_batch(
        min(count, 12), existing_series__actor=actors.owner, requesting_series__actor=actors.abroad
    )


def _queries(actors) -> int:
    client = signed_in_client(actors.abroad)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(actors, django_assert_max_num_queries):
    _build(actors, 3)
    few = _queries(actors)
    _build(actors, 12)  # 15 of each in all, more than a section shows
    client = signed_in_client(actors.abroad)
    with django_assert_max_num_queries(few):
        response = client.get("/")
    overview = response.context["overview"]
    assert len(overview.agency_series) == 10 and len(overview.shared_clues) == 10
    assert len(overview.followed_series) == 30 and len(overview.deconfliction) == 10


def test_reading_the_dashboard_writes_no_audit_event(actors):
    ClueFactory(series__actor=actors.owner, distribution="network")
    client = signed_in_client(actors.abroad)
    before = AuditEvent.objects.count()
    response = client.get("/")
    assert response.context["overview"].shared_clues  # the sections were filled
    assert AuditEvent.objects.count() == before


def test_the_agency_s_series_and_their_clues_are_charted_by_status(actors):
    SeriesFactory(actor=actors.owner, distribution="network", status="closed")
    mine = SeriesFactory.create_batch(3, actor=actors.owner, distribution="network")
    SeriesFactory(actor=actors.abroad, title="Theirs", distribution="network")  # not ours
    ClueFactory(series=mine[0], distribution=Distribution.NETWORK)
    # Posted abroad, on our series: counted; and one of theirs we may not see.
    ClueFactory(actor=actors.abroad, series=mine[0], distribution=Distribution.NETWORK)
    ClueFactory(actor=actors.abroad, series=mine[1], distribution=Distribution.AGENCY)

    response = signed_in_client(actors.colleague).get("/")
    html = _section(response, "dash-agency-series")

    series_chart = chart_in(html, "dash-series-status")
    assert series_chart.numbers == {"active": "3", "identified": "0", "closed": "1", "merged": "0"}
    assert series_chart.widths["active"] == "75%" and series_chart.widths["closed"] == "25%"
    assert series_chart.title == "Your agency's series by status"
    assert 'href="/series/?mine=1&amp;status=closed"' in html
    clue_chart = chart_in(html, "dash-clue-status")
    assert clue_chart.numbers["open"] == "2" and clue_chart.widths["open"] == "100%"
    # The chart counts the same clues as the table's "Clues" column.
    overview = response.context["overview"]
    assert sum(series.clue_count for series in overview.agency_series) == 2
