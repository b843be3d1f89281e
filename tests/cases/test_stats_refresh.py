"""The oversight figures against hand-counted casework: counts, durations, protection."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cases.models import FigureState, StatsFigure, StatsRefresh
from cases.services.stats import stats_refresh
from tests.factories import (
    AgencyFactory,
    ClueFactory,
    IdentificationEventFactory,
    SeriesFactory,
    UserFactory,
    VictimFactory,
)
from victimid.choices import AgencyKind
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def _figure(measure: str, area: str, period: str, kind: str = "", scope: str = "world"):
    found = StatsFigure.objects.filter(
        scope=scope, measure=measure, area=area, period=period, agency_kind=kind
    ).first()
    return (found.value, found.state) if found else (0, FigureState.SHOWN)


@pytest.fixture
def casework():
    """Netherlands (police): 6 children identified in March 2025, 2 of them safeguarded in
    April; Spain (hotline): 1 child identified in March 2025; 5 NL series each with its
    first identification 10, 20, 30, 40 and 50 days after it was first seen; 12 clues."""
    nl = UserFactory(agency=AgencyFactory(country="NL", kind=AgencyKind.POLICE))
    es = UserFactory(agency=AgencyFactory(country="ES", kind=AgencyKind.HOTLINE))
    series = SeriesFactory(actor=nl, first_seen=date(2025, 1, 10))
    children = [VictimFactory(actor=nl, series=[series]) for _ in range(6)]
    for number, child in enumerate(children):
        IdentificationEventFactory(
            actor=nl, victim=child, kind="identified", occurred_on=date(2025, 3, 5 + number)
        )
    for child in children[:2]:
        IdentificationEventFactory(
            actor=nl, victim=child, kind="safeguarded", occurred_on=date(2025, 4, 1)
        )
    abroad_child = VictimFactory(actor=es, series=[SeriesFactory(actor=es, first_seen=None)])
    IdentificationEventFactory(
        actor=es, victim=abroad_child, kind="identified", occurred_on=date(2025, 3, 20)
    )
    for days in (10, 20, 30, 40, 50):
        timed = SeriesFactory(actor=nl, first_seen=date(2024, 6, 1))
        IdentificationEventFactory(
            actor=nl,
            victim=VictimFactory(actor=nl, series=[timed]),
            kind="identified",
            occurred_on=date(2024, 6, 1) + timedelta(days=days),
        )
    for _ in range(12):
        ClueFactory(actor=nl, series=series)
    return {"nl": nl, "es": es}


def test_the_figures_match_the_hand_count(casework):
    refresh = stats_refresh()
    assert StatsRefresh.objects.get() == refresh
    # 7 children identified in March 2025 in the world and in Europe: published.
    assert _figure("children_identified", "001", "2025-03") == (7, FigureState.SHOWN)
    assert _figure("children_identified", "150", "2025") == (7, FigureState.SHOWN)
    # One in Spain: "<5"; so the Netherlands' six cannot be shown either (7 - 6 = 1).
    assert _figure("children_identified", "ES", "2025-03") == (None, FigureState.SMALL)
    assert _figure("children_identified", "NL", "2025-03")[1] == FigureState.SUPPRESSED
    # Two safeguarded: under five everywhere they are counted.
    assert _figure("children_safeguarded", "001", "2025-04") == (None, FigureState.SMALL)
    # The 12 clues of one agency in one month.
    month = date.today().strftime("%Y-%m")
    assert _figure("clues_posted", "NL", month, AgencyKind.POLICE) == (12, FigureState.SHOWN)
    assert _figure("clues_posted", "NL", month, "hotline") == (0, FigureState.SHOWN)


def test_durations_need_five_cases(casework):
    stats_refresh()
    # Five series: first seen 2024-06-01, identified 10..50 days later (June and July).
    assert _figure("days_seen_to_identified_median", "NL", "2024") == (30.0, FigureState.SHOWN)
    assert _figure("days_seen_to_identified_p90", "NL", "2024") == (46.0, FigureState.SHOWN)
    # June alone has two of them: not shown.
    assert _figure("days_seen_to_identified_median", "NL", "2024-06") == (
        None,
        FigureState.TOO_FEW,
    )
    # The series of March 2025 was identified 54 days after it was first seen: one case.
    assert _figure("days_seen_to_identified_median", "001", "2025")[1] == FigureState.TOO_FEW


def test_each_agency_has_its_own_protected_figures(casework):
    stats_refresh()
    scope = f"agency:{casework['nl'].agency_id}"
    assert _figure("children_identified", "", "2025-03", scope=scope) == (6, FigureState.SHOWN)
    assert _figure("children_safeguarded", "", "2025-04", scope=scope) == (
        None,
        FigureState.SMALL,
    )


def test_a_refresh_replaces_the_figures_and_is_audited(casework):
    stats_refresh()
    first = StatsFigure.objects.count()
    stats_refresh()
    assert StatsFigure.objects.count() == first
    assert StatsRefresh.objects.count() == 2
    assert AuditEvent.objects.filter(action="stats.refreshed").count() == 2
