"""The collaboration figures against hand-counted records: assessments, routing, claims.

Also: every figure the page, the API and the CSV show is a published cell of the reader's
protected table (``StatsFigure``) — the premise of the attacker's proof in
``tests/cases/test_disclosure.py``, checked here over every filter a reader can choose.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from itertools import product

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.measures import MEASURES
from cases.models import (
    Assessment,
    Claim,
    CoordinationNotice,
    FigureState,
    RoutingRequest,
    StatsFigure,
)
from cases.services.stats import stats_refresh
from tests.conftest import api_client_for, signed_in_client
from tests.factories import AgencyFactory, ClueFactory, SeriesFactory, UserFactory
from victimid.choices import AgencyKind, Role

pytestmark = pytest.mark.django_db

MARCH = datetime(2025, 3, 2, 12, tzinfo=UTC)


def _figure(measure: str, area: str, period: str, kind: str = "", scope: str = "world"):
    found = StatsFigure.objects.filter(
        scope=scope, measure=measure, area=area, period=period, agency_kind=kind
    ).first()
    return (found.value, found.state) if found else (0, FigureState.SHOWN)


def _assess(clue, user, when):
    return Assessment.objects.create(
        clue=clue,
        assessor=user,
        agency=user.agency,
        assessor_country=user.agency.country,
        verdict="unsure",
        created_at=when,
    )


def _ask(clue, asker, country, when, **fields):
    return RoutingRequest.objects.create(
        clue=clue,
        country=country,
        asked_by=asker,
        asking_agency=asker.agency,
        asked_at=when,
        **fields,
    )


@pytest.fixture
def collaboration():
    """March 2025. The Dutch police (NL) post a clue; the Belgian police (BE) assess it 7
    times (cross-border), the Dutch twice (domestic). NL asks Belgium 6 times — 5 answered
    by BE after 1, 2, 3, 4 and 10 days, one withdrawn — and Kenya once (withdrawn). NL
    claims 5 series; on 3 of them BE works too: NL and BE are each told of the other 3
    times. Now: 5 requests to Belgium open for 20 days (overdue after 14), 1 for 3 days."""
    nl = UserFactory(agency=AgencyFactory(country="NL", kind=AgencyKind.POLICE))
    be = UserFactory(agency=AgencyFactory(country="BE", kind=AgencyKind.POLICE))
    AgencyFactory(country="KE", kind=AgencyKind.POLICE)
    clue = ClueFactory(actor=nl, series=SeriesFactory(actor=nl, distribution="network"))
    answers = [_assess(clue, be, MARCH + timedelta(days=days)) for days in (1, 2, 3, 4, 10)]
    for _ in range(2):
        _assess(clue, be, MARCH)
        _assess(clue, nl, MARCH)
    for answer, days in zip(answers, (1, 2, 3, 4, 10), strict=True):
        _ask(
            clue,
            nl,
            "BE",
            MARCH,
            status="answered",
            answer=answer,
            answered_at=MARCH + timedelta(days=days),
            closed_at=MARCH + timedelta(days=days),
        )
    _ask(clue, nl, "BE", MARCH, status="withdrawn", closed_at=MARCH + timedelta(days=1))
    _ask(clue, nl, "KE", MARCH, status="withdrawn", closed_at=MARCH + timedelta(days=30))
    now = timezone.now()
    for number in range(6):
        other = ClueFactory(actor=nl, series=clue.series)
        _ask(other, nl, "BE", now - timedelta(days=20 if number < 5 else 3))
    for number in range(5):
        series = SeriesFactory(actor=nl, distribution="network")
        Claim.objects.create(
            series=series,
            agency=nl.agency,
            contact="NL desk",
            expires_on=date(2025, 6, 1),
            created_by=nl,
            created_at=MARCH,
        )
        if number < 3:
            for told, other in ((nl, be), (be, nl)):
                CoordinationNotice.objects.create(
                    series=series,
                    agency=told.agency,
                    other_agency=other.agency,
                    other_reason="claim",
                    created_at=MARCH,
                )
    return {"nl": nl, "be": be}


def test_assessments_are_counted_by_the_assessor_and_cross_border_by_the_clue(collaboration):
    stats_refresh()
    # Nine assessments in Europe and the world, seven of them across a border (Belgians
    # on a Dutch clue): 9 - 7 would give away the two domestic ones, so the seven are
    # hidden.
    assert _figure("assessments_given", "150", "2025-03") == (9, FigureState.SHOWN)
    assert _figure("assessments_given", "001", "2025-03") == (9, FigureState.SHOWN)
    assert _figure("assessments_cross_border", "150", "2025-03")[1] == FigureState.SUPPRESSED
    assert _figure("assessments_cross_border", "NL", "2025-03") == (0, FigureState.SHOWN)
    # The Dutch two are under five; Belgium's seven would give them away (9 - 7) and so
    # would Belgium's cross-border seven (all of Belgium's are cross-border: the same
    # number), so both are hidden.
    assert _figure("assessments_given", "NL", "2025-03") == (None, FigureState.SMALL)
    assert _figure("assessments_given", "BE", "2025-03")[1] == FigureState.SUPPRESSED
    assert _figure("assessments_cross_border", "BE", "2025-03")[1] == FigureState.SUPPRESSED
    # The domestic count is protected with them but never published.
    assert not StatsFigure.objects.filter(measure="assessments_domestic").exists()


def test_routing_requests_made_received_and_answered(collaboration):
    stats_refresh()
    # Seven made by the Dutch police in March; six received by Belgium, one by Kenya.
    assert _figure("routing_made", "NL", "2025-03", AgencyKind.POLICE) == (7, FigureState.SHOWN)
    assert _figure("routing_made", "001", "2025-03") == (7, FigureState.SHOWN)
    assert _figure("routing_received", "001", "2025-03") == (7, FigureState.SHOWN)
    assert _figure("routing_received", "KE", "2025-03") == (None, FigureState.SMALL)
    # Kenya's one is Africa's one, and the world's seven minus Europe's six: Europe and
    # Belgium are hidden with it.
    assert _figure("routing_received", "002", "2025-03") == (None, FigureState.SMALL)
    assert _figure("routing_received", "150", "2025-03")[1] == FigureState.SUPPRESSED
    # Answered after 1, 2, 3, 4 and 10 days, by the Belgian police in March.
    assert _figure("routing_days_median", "BE", "2025-03") == (3.0, FigureState.SHOWN)
    assert _figure("routing_days_p90", "BE", "2025-03") == (7.6, FigureState.SHOWN)
    # Now: five requests to Belgium open past 14 days; the one of 3 days is not overdue.
    assert _figure("routing_overdue", "BE", "now") == (5, FigureState.SHOWN)
    assert _figure("routing_overdue", "001", "now") == (5, FigureState.SHOWN)


def test_claims_and_conflicts(collaboration):
    stats_refresh()
    assert _figure("claims_made", "NL", "2025-03", AgencyKind.POLICE) == (5, FigureState.SHOWN)
    # Three conflicts, each agency told of each: 3 and 3, both under five, 6 in Europe.
    assert _figure("conflicts_detected", "NL", "2025-03") == (None, FigureState.SMALL)
    assert _figure("conflicts_detected", "BE", "2025-03") == (None, FigureState.SMALL)
    assert _figure("conflicts_detected", "150", "2025-03") == (6, FigureState.SHOWN)
    scope = f"agency:{collaboration['nl'].agency_id}"
    assert _figure("claims_made", "", "2025-03", scope=scope) == (5, FigureState.SHOWN)


def test_a_coordinator_sees_their_countrys_routing_figures(collaboration):
    stats_refresh()
    coordinator = UserFactory(agency=collaboration["nl"].agency, roles=[Role.COORDINATOR])
    answer = api_client_for(coordinator).get(
        reverse("api-stats"), {"year": "2025", "granularity": "month"}
    )
    assert answer.status_code == 200
    routing = next(t for t in answer.json()["tables"] if t["key"] == "routing")
    march = next(r for r in routing["rows"] if r["key"] == "2025-03")
    made = next(f for f in march["figures"] if f["measure"] == "routing_made")
    assert (made["text"], made["state"]) == ("7", "shown")
    page = signed_in_client(coordinator).get(reverse("stats-dashboard"), {"year": "2025"})
    assert 'data-testid="table-routing"' in page.content.decode()
    assert 'data-testid="chart-routing"' in page.content.decode()


def test_an_agencys_reader_sees_no_countrys_figure(collaboration):
    stats_refresh()
    answer = api_client_for(collaboration["be"]).get(
        reverse("api-stats"), {"year": "2025", "granularity": "month"}
    )
    routing = next(t for t in answer.json()["tables"] if t["key"] == "routing")
    march = next(r for r in routing["rows"] if r["key"] == "2025-03")
    received = next(f for f in march["figures"] if f["measure"] == "routing_received")
    assert (received["text"], received["value"]) == ("–", None)


def _csv_texts(client, query):
    answer = client.get(reverse("stats-csv"), query)
    assert answer.status_code == 200
    reader = csv.reader(io.StringIO(answer.content.decode()))
    next(reader)
    return [row[3] for row in reader]


def test_every_view_shows_only_published_cells_of_the_readers_table(collaboration):
    """Over every filter oversight can choose, each count the API shows is the published
    figure of that cell (a missing one is zero), and the CSV shows the same texts."""
    stats_refresh()
    oversight = UserFactory(agency=collaboration["nl"].agency, roles=[Role.OVERSIGHT])
    api, page = api_client_for(oversight), signed_in_client(oversight)
    published = {
        (f.measure, f.area, f.period, f.agency_kind): (f.value, f.state)
        for f in StatsFigure.objects.filter(scope="world")
    }
    first = api.get(reverse("api-stats")).json()
    years = sorted({int(p) for (_m, _a, p, _k) in published if p.isdigit()})
    areas = ["001", "150", "002", "NL", "BE", "KE"]
    kinds = ["", *AgencyKind.values]
    checked = 0
    for year, granularity, area, kind in product(years, ["year", "quarter", "month"], areas, kinds):
        query = {"year": year, "granularity": granularity, "area": area, "agency_kind": kind}
        body = api.get(reverse("api-stats"), query).json()
        texts = []
        for table in body["tables"]:
            for row in table["rows"]:
                for figure in row["figures"]:
                    texts.append(figure["text"])
                    measure = MEASURES[figure["measure"]]
                    if measure.unit != "count":
                        continue
                    if measure.per_country and kind:
                        assert figure["value"] is None and figure["text"] == "–"
                        continue
                    cell_area = row["key"] if table["key"] == "areas" else area
                    period = str(year) if table["key"] == "areas" else row["key"]
                    expected = published.get(
                        (measure.key, cell_area, period, kind), (0.0, FigureState.SHOWN)
                    )
                    assert (figure["value"], figure["state"]) == expected, (query, figure)
                    checked += 1
        assert _csv_texts(page, query) == texts
    assert first["scope"]["kind"] == "world" and checked > 1000
