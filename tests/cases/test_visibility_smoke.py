"""The access policy's visibility rule on series, clues and hashes, one level at a time."""

from __future__ import annotations

import pytest

from cases import access
from cases.choices import Distribution
from tests.factories import (
    ClueFactory,
    GrantFactory,
    KnownHashFactory,
    SeriesFactory,
    SharingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_agency_level_series_is_seen_by_its_agency_only(actors):
    series = SeriesFactory(actor=actors.owner)
    assert access.can_view(actors.owner, series)
    assert access.can_view(actors.colleague, series)
    assert not access.can_view(actors.same_country, series)
    assert not access.can_view(actors.abroad, series)
    assert not access.can_view(actors.unvetted, series)
    assert not access.can_view(actors.oversight, series)
    assert not access.can_view(actors.auditor, series)


def test_country_level_series_reaches_the_country_not_abroad(actors):
    series = SeriesFactory(actor=actors.owner, distribution=Distribution.COUNTRY)
    assert access.can_view(actors.same_country, series)
    assert not access.can_view(actors.abroad, series)


def test_group_level_reaches_member_agencies(actors):
    group = SharingGroupFactory(actor__agency=actors.agency, members=[actors.agency_abroad])
    series = SeriesFactory(actor=actors.owner, distribution=Distribution.GROUP, sharing_group=group)
    assert access.can_view(actors.abroad, series)
    assert not access.can_view(actors.same_country, series)


def test_a_clue_needs_its_series_visible_too(actors):
    series = SeriesFactory(actor=actors.owner)
    clue = ClueFactory(series=series, distribution=Distribution.NETWORK)
    assert not access.can_view(actors.abroad, clue)
    GrantFactory(record=series, user=actors.abroad)
    assert access.can_view(actors.abroad, clue)
    assert not access.can_view(actors.same_country, clue)
    hash_value = KnownHashFactory(series=series)
    assert access.can_view(actors.abroad, hash_value)
    assert not access.can_view(actors.same_country, hash_value)


def test_an_agency_grant_admits_everyone_at_that_agency(actors):
    series = SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK)
    clue = ClueFactory(series=series, distribution=Distribution.AGENCY)
    assert not access.can_view(actors.abroad, clue)
    GrantFactory(record=clue, agency=actors.agency_abroad)
    assert access.can_view(actors.abroad, clue)
    assert access.can_view(actors.coordinator_abroad, clue)
    assert not access.can_edit(actors.abroad, clue)
    assert access.can_edit(actors.owner, clue)
