"""The access policy's visibility rule on series, clues and hashes, one level at a time."""

from __future__ import annotations

import pytest

from cases import access
from cases.choices import Distribution
from cases.models import Clue, ClueAgencyGrant, ClueTaxonomyNode, KnownHash, Series, SeriesUserGrant
from victimid.models import SharingGroup, SharingGroupMembership

pytestmark = pytest.mark.django_db


def _series(actors, distribution=Distribution.AGENCY, group=None):
    return Series.objects.create(
        code=f"SER-2026-{Series.objects.count() + 1:06d}",
        title="Blue room",
        agency=actors.agency,
        distribution=distribution,
        sharing_group=group,
        created_by=actors.owner,
    )


def _clue(actors, series, distribution=Distribution.NETWORK, group=None):
    return Clue.objects.create(
        series=series,
        taxonomy_node=ClueTaxonomyNode.objects.get(slug="sockets"),
        title="Type F socket",
        description="Recessed socket",
        agency=actors.agency,
        distribution=distribution,
        sharing_group=group,
        created_by=actors.owner,
    )


def test_agency_level_series_is_seen_by_its_agency_only(actors):
    series = _series(actors)
    assert access.can_view(actors.owner, series)
    assert access.can_view(actors.colleague, series)
    assert not access.can_view(actors.same_country, series)
    assert not access.can_view(actors.abroad, series)
    assert not access.can_view(actors.unvetted, series)
    assert not access.can_view(actors.oversight, series)
    assert not access.can_view(actors.auditor, series)


def test_country_level_series_reaches_the_country_not_abroad(actors):
    series = _series(actors, Distribution.COUNTRY)
    assert access.can_view(actors.same_country, series)
    assert not access.can_view(actors.abroad, series)


def test_group_level_reaches_member_agencies(actors):
    group = SharingGroup.objects.create(
        name="Task force", managing_agency=actors.agency, created_by=actors.owner
    )
    SharingGroupMembership.objects.create(
        sharing_group=group, agency=actors.agency_abroad, added_by=actors.owner
    )
    series = _series(actors, Distribution.GROUP, group)
    assert access.can_view(actors.abroad, series)
    assert not access.can_view(actors.same_country, series)


def test_a_clue_needs_its_series_visible_too(actors):
    series = _series(actors)
    clue = _clue(actors, series, Distribution.NETWORK)
    assert not access.can_view(actors.abroad, clue)
    SeriesUserGrant.objects.assign_perm("view_series", actors.abroad, series)
    assert access.can_view(actors.abroad, clue)
    assert not access.can_view(actors.same_country, clue)
    hash_value = KnownHash.objects.create(
        series=series, algorithm="md5", value="0" * 32, submitting_agency=actors.agency
    )
    assert access.can_view(actors.abroad, hash_value)
    assert not access.can_view(actors.same_country, hash_value)


def test_an_agency_grant_admits_everyone_at_that_agency(actors):
    series = _series(actors, Distribution.NETWORK)
    clue = _clue(actors, series, Distribution.AGENCY)
    assert not access.can_view(actors.abroad, clue)
    ClueAgencyGrant.objects.assign_perm("view_clue", actors.agency_abroad.permission_group, clue)
    assert access.can_view(actors.abroad, clue)
    assert access.can_view(actors.coordinator_abroad, clue)
    assert not access.can_edit(actors.abroad, clue)
    assert access.can_edit(actors.owner, clue)
