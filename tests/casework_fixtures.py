"""Casework fixtures shared by every test package, made through the services."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cases.choices import Distribution
from cases.models import Clue, ClueTaxonomyNode, Series, Victim
from cases.services import clue_create, series_create, sharing_group_create, victim_create


@pytest.fixture
def sockets(db: None) -> ClueTaxonomyNode:
    return ClueTaxonomyNode.objects.get(slug="sockets")


@pytest.fixture
def task_force(actors):
    """A group managed by the owning agency, with the agency abroad as a member."""
    coordinator = actors.coordinator
    coordinator.agency = actors.agency
    coordinator.save(update_fields=["agency"])
    return sharing_group_create(
        actor=coordinator, name="Task force Harbour", members=[actors.agency_abroad]
    )


@pytest.fixture
def series(actors):
    return series_create(actor=actors.owner, title="Blue room", distribution=Distribution.NETWORK)


@pytest.fixture
def clue(actors, series, sockets):
    return clue_create(
        actor=actors.owner,
        series=series,
        taxonomy_node=sockets,
        title="Recessed type F socket",
        description="A recessed wall socket with two earthing clips, cream coloured.",
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
    """The owner's series, clue and victim at ``level``, made through the services."""
    series = series_create(actor=actors.owner, title=f"Harbour room {level}", distribution=level)
    clue = clue_create(
        actor=actors.owner,
        series=series,
        taxonomy_node=ClueTaxonomyNode.objects.get(slug="sockets"),
        title=f"Cream socket {level}",
        description="A recessed wall socket.",
        distribution=level,
    )
    victim = victim_create(actor=actors.owner, series=[series], distribution=level)
    return Records(series=series, clue=clue, victim=victim)


@pytest.fixture
def agency_level(actors) -> Records:
    return records_at(actors, Distribution.AGENCY)


@pytest.fixture
def country_level(actors) -> Records:
    return records_at(actors, Distribution.COUNTRY)
