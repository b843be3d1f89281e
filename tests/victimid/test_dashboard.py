"""The landing page: casework sections for investigators, nothing more for anyone else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cases.choices import Distribution
from cases.exceptions import HashConflict
from cases.models import ClueTaxonomyNode
from cases.services import clue_create, known_hashes_add, series_create, series_update
from cases.services.victims import series_follow
from tests.cases.chart_support import chart_in
from tests.cases.victim_support import IDENTIFIED, SAFEGUARDED, make_victim, record
from tests.conftest import signed_in_client
from victimid.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

MD5 = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def sockets(db: None) -> ClueTaxonomyNode:
    return ClueTaxonomyNode.objects.get(slug="sockets")


SECTIONS = ("dash-agency-series", "dash-shared-clues", "dash-followed", "dash-deconfliction")


def _clue(actor, series, node, distribution=Distribution.NETWORK, title="Recessed socket"):
    return clue_create(
        actor=actor,
        series=series,
        taxonomy_node=node,
        title=title,
        description="A recessed wall socket with two earthing clips.",
        distribution=distribution,
    )


def _conflict(actors, *, existing_distribution: str):
    """The owner holds a value; the agency abroad submits it to a series of its own."""
    held = series_create(
        actor=actors.owner, title="Harbour lamp", distribution=existing_distribution
    )
    known_hashes_add(actor=actors.owner, series=held, entries=[{"algorithm": "md5", "value": MD5}])
    theirs = series_create(actor=actors.abroad, title="Garden shed", distribution="agency")
    with pytest.raises(HashConflict):
        known_hashes_add(
            actor=actors.abroad, series=theirs, entries=[{"algorithm": "md5", "value": MD5}]
        )
    return held, theirs


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
    series_create(actor=actors.owner, title="Blue room", distribution=Distribution.NETWORK)
    response = signed_in_client(getattr(actors, who)).get("/")
    assert response.status_code == 200
    assert response.context["overview"].agency_series == []
    body = response.content.decode()
    assert not any(section in body for section in SECTIONS)
    assert "Blue room" not in body


def test_the_owner_sees_the_newest_series_of_their_agency(actors):
    mine = series_create(actor=actors.owner, title="Blue room", distribution="agency")
    series_create(actor=actors.abroad, title="Garden shed", distribution=Distribution.NETWORK)
    response = signed_in_client(actors.colleague).get("/")
    section = _section(response, "dash-agency-series")
    assert mine.code in section and "Blue room" in section
    assert "Garden shed" not in section
    assert "/series/?mine=1" in section


def test_an_investigator_abroad_sees_a_network_clue_from_nl_but_not_an_agency_one(
    actors,
    sockets,
):
    series = series_create(actor=actors.owner, title="Blue room", distribution="network")
    shared = _clue(actors.owner, series, sockets)
    hidden = _clue(actors.owner, series, sockets, distribution=Distribution.AGENCY)
    _clue(
        actors.abroad,
        series_create(actor=actors.abroad, title="Own", distribution="agency"),
        sockets,
    )

    response = signed_in_client(actors.abroad).get("/")
    section = _section(response, "dash-shared-clues")
    assert f"/clues/{shared.pk}/" in section
    assert f"/clues/{hidden.pk}/" not in section
    assert series.code in section and "Netherlands" in section
    assert [clue.pk for clue in response.context["overview"].shared_clues] == [shared.pk]


def test_followed_series_show_identification_progress(actors):
    series = series_create(actor=actors.owner, title="Blue room", distribution="network")
    children = [
        make_victim(actors.owner, series, distribution=Distribution.NETWORK) for _ in range(4)
    ]
    record(actors.owner, children[0], IDENTIFIED)
    record(actors.owner, children[1], SAFEGUARDED, also_identified=True)
    record(actors.owner, children[2], SAFEGUARDED, also_identified=True)
    make_victim(actors.owner, series)  # agency-level: not counted abroad
    series_follow(actor=actors.abroad, series=series)

    response = signed_in_client(actors.abroad).get("/")
    section = _section(response, "dash-followed")
    assert series.code in section
    assert '<td class="num" data-testid="followed-children">4</td>' in section
    assert "3 of 4" in section and "2 of 4" in section
    assert '<meter min="0" max="4" value="3"' in section
    assert "style=" not in section


def test_a_followed_series_no_longer_visible_is_not_shown(actors):
    series = series_create(actor=actors.owner, title="Blue room", distribution="network")
    series_follow(actor=actors.abroad, series=series)
    type(series).objects.filter(pk=series.pk).update(distribution=Distribution.AGENCY)
    response = signed_in_client(actors.abroad).get("/")
    assert series.code not in _section(response, "dash-followed")


def test_the_holder_learns_which_agency_asked_and_how_to_reach_it(actors):
    actors.agency_abroad.contact_point = "Duty desk +34 91 000 0000"
    actors.agency_abroad.save(update_fields=["contact_point"])
    held, theirs = _conflict(actors, existing_distribution=Distribution.AGENCY)

    section = _section(signed_in_client(actors.owner).get("/"), "dash-deconfliction")
    assert "Agency Abroad (Spain) submitted a value already in your series" in section
    assert held.code in section
    assert "Duty desk +34 91 000 0000" in section
    # The requester's agency-level series stays theirs.
    assert theirs.code not in section and "Garden shed" not in section


def test_the_requester_learns_only_that_a_hidden_series_holds_the_value(actors):
    held, theirs = _conflict(actors, existing_distribution=Distribution.AGENCY)

    section = _section(signed_in_client(actors.abroad).get("/"), "dash-deconfliction")
    assert "already known in another agency's series; its owner has been told" in section
    assert theirs.code in section
    assert held.code not in section
    assert "Harbour lamp" not in section and "Owning Agency" not in section
    assert "Netherlands" not in section and "+31" not in section


def test_the_requester_sees_the_holding_series_code_when_it_may_see_that_series(actors):
    held, theirs = _conflict(actors, existing_distribution=Distribution.NETWORK)

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


def _build(actors, node, count: int, start: int = 0) -> None:
    for index in range(count):
        mine = series_create(actor=actors.abroad, title=f"Own {index}", distribution="agency")
        series_follow(actor=actors.abroad, series=mine)
        make_victim(actors.abroad, mine)
        theirs = series_create(actor=actors.owner, title=f"NL {index}", distribution="network")
        _clue(actors.owner, theirs, node)
        series_follow(actor=actors.abroad, series=theirs)
    for index in range(min(count, 12)):
        held = series_create(actor=actors.owner, title=f"Held {index}", distribution="agency")
        value = f"{start + index:032x}"
        known_hashes_add(
            actor=actors.owner, series=held, entries=[{"algorithm": "md5", "value": value}]
        )
        with pytest.raises(HashConflict):
            known_hashes_add(
                actor=actors.abroad,
                series=series_create(
                    actor=actors.abroad, title=f"Probe {index}", distribution="agency"
                ),
                entries=[{"algorithm": "md5", "value": value}],
            )


def _queries(actors) -> int:
    client = signed_in_client(actors.abroad)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_rows(
    actors, sockets, django_assert_max_num_queries
):
    _build(actors, sockets, 3)
    few = _queries(actors)
    _build(actors, sockets, 12, start=100)  # 15 of each in all, more than a section shows
    client = signed_in_client(actors.abroad)
    with django_assert_max_num_queries(few):
        response = client.get("/")
    overview = response.context["overview"]
    assert len(overview.agency_series) == 10 and len(overview.shared_clues) == 10
    assert len(overview.followed_series) == 30 and len(overview.deconfliction) == 10


def test_reading_the_dashboard_writes_no_audit_event(actors, sockets):
    series = series_create(actor=actors.owner, title="Blue room", distribution="network")
    _clue(actors.owner, series, sockets)
    client = signed_in_client(actors.abroad)
    before = AuditEvent.objects.count()
    response = client.get("/")
    assert response.context["overview"].shared_clues  # the sections were filled
    assert AuditEvent.objects.count() == before


def test_the_agency_s_series_and_their_clues_are_charted_by_status(actors, sockets):
    mine = [
        series_create(actor=actors.owner, title=f"Room {n}", distribution="network")
        for n in range(4)
    ]
    series_update(actor=actors.owner, series=mine[0], version=mine[0].version, status="closed")
    series_create(actor=actors.abroad, title="Theirs", distribution="network")  # not ours
    _clue(actors.owner, mine[1], sockets)
    _clue(actors.abroad, mine[1], sockets)  # posted abroad, on our series: counted
    _clue(actors.abroad, mine[2], sockets, distribution=Distribution.AGENCY)  # not visible to us

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
