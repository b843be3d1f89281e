"""Casework fixtures shared by every test package: named uses of the factories."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from cases.choices import Distribution
from cases.models import Clue, ClueTaxonomyNode, DeconflictionNotice, Series, Victim
from tests.factories import (
    ClueFactory,
    DeconflictionNoticeFactory,
    SeriesFactory,
    SharingGroupFactory,
    VictimFactory,
)


@pytest.fixture
def sockets(db: None) -> ClueTaxonomyNode:
    return ClueTaxonomyNode.objects.get(slug="sockets")


@pytest.fixture
def task_force(actors):
    """A group managed by the owning agency, with the agency abroad as a member."""
    coordinator = actors.coordinator
    coordinator.agency = actors.agency
    coordinator.save(update_fields=["agency"])
    return SharingGroupFactory(
        actor=coordinator, name="Task force Harbour", members=[actors.agency_abroad]
    )


@pytest.fixture
def hidden_clue(actors):
    """An agency-level clue of an agency-level series: nobody outside the owner sees it
    (about Spain: the routing tests ask Spain about it)."""
    series = SeriesFactory(actor=actors.owner, title="Attic room", distribution="agency")
    return ClueFactory(
        actor=actors.owner,
        series=series,
        title="Tiled stove with blue glaze",
        languages=["spa"],
        country_hypotheses=[("ES", "high")],
        distribution=Distribution.AGENCY,
    )


@pytest.fixture
def series(actors):
    return SeriesFactory(actor=actors.owner, title="Blue room", distribution=Distribution.NETWORK)


@pytest.fixture
def clue(actors, series):
    return ClueFactory(
        actor=actors.owner,
        series=series,
        title="Recessed type F socket",
        languages=["nld"],
        country_hypotheses=[("NL", "high"), ("BE", "low")],
        distribution=Distribution.NETWORK,
    )


@dataclass
class Records:
    """A series, one clue of it and one child seen in it, all at the same distribution level."""

    series: Series
    clue: Clue
    victim: Victim


def records_at(actors, level: str) -> Records:
    """The owner's series, clue and victim at ``level``."""
    series = SeriesFactory(actor=actors.owner, title=f"Harbour room {level}", distribution=level)
    return Records(
        series=series,
        clue=ClueFactory(
            series=series,
            title=f"Cream socket {level}",
            description="A recessed wall socket.",
            distribution=level,
        ),
        victim=VictimFactory(actor=actors.owner, series=[series], distribution=level),
    )


def conflict_at(actors, level: str, **notice: Any) -> DeconflictionNotice:
    """The owner's series at ``level`` holds a value; the investigator abroad submits it to an
    agency-level series of their own and is refused, which leaves a notice for both."""
    return DeconflictionNoticeFactory(
        existing_series__actor=actors.owner,
        existing_series__distribution=level,
        requesting_series__actor=actors.abroad,
        **notice,
    )


@pytest.fixture
def agency_level(actors) -> Records:
    return records_at(actors, Distribution.AGENCY)


@pytest.fixture
def country_level(actors) -> Records:
    return records_at(actors, Distribution.COUNTRY)


def clues_across_borders(actors) -> tuple[Clue, Clue]:
    """The owner's agency-level clue (in a network series) and a network clue abroad: a
    pair the correlation could suggest, that Spain may not see and the owner may."""
    mine = ClueFactory(
        actor=actors.owner,
        series=SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK),
        title="Cream socket, owner",
        distribution=Distribution.AGENCY,
    )
    theirs = ClueFactory(
        actor=actors.abroad,
        series=SeriesFactory(actor=actors.abroad, distribution=Distribution.NETWORK),
        title="Cream socket, abroad",
        distribution=Distribution.NETWORK,
    )
    return mine, theirs
