"""The benchmark seeder, at a tiny scale, so that its SQL cannot rot unnoticed."""

from __future__ import annotations

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection

from bench.seed_casework import (
    SCALES,
    ensure_seeded,
    focus_investigator_email,
    search_terms,
    seeded_scale,
)
from cases.choices import Distribution
from cases.models import (
    Clue,
    ClueAgencyGrant,
    ClueCountryHypothesis,
    ClueUserGrant,
    Series,
    SeriesAgencyGrant,
    SeriesUserGrant,
)
from victimid.gate import has_casework_access
from victimid.models import Agency, SharingGroup, User

pytestmark = pytest.mark.django_db

TINY = SCALES["tiny"]


@pytest.fixture
def seeded(db: None) -> dict:
    return ensure_seeded(TINY)


def test_it_seeds_the_scale_it_is_asked_for(seeded):
    assert not seeded["reused"]
    assert Clue.objects.count() == TINY.clues
    assert Series.objects.count() == TINY.series
    assert Agency.objects.count() == TINY.agencies
    assert Agency.objects.values("country").distinct().count() == TINY.countries
    assert User.objects.count() == TINY.agencies * TINY.users_per_agency
    assert SharingGroup.objects.count() == TINY.sharing_groups
    grants = sum(
        model.objects.count()
        for model in (SeriesUserGrant, SeriesAgencyGrant, ClueUserGrant, ClueAgencyGrant)
    )
    # Random grants that happen to repeat one another are dropped, never more than asked.
    assert TINY.grants * 0.9 <= grants <= TINY.grants
    assert ClueCountryHypothesis.objects.count() > TINY.clues / 2


def test_a_seeded_database_is_reused_not_seeded_twice(seeded):
    again = ensure_seeded(TINY)
    assert again["reused"]
    assert Clue.objects.count() == TINY.clues
    assert seeded_scale()["scale"] == "tiny"


def test_another_scale_replaces_the_earlier_seed(seeded):
    smaller = TINY.__class__(**{**TINY.__dict__, "name": "tinier", "clues": 100, "series": 10})
    ensure_seeded(smaller)
    assert Clue.objects.count() == 100
    assert Series.objects.count() == 10
    assert Agency.objects.count() == TINY.agencies


def test_records_are_consistent_and_spread_over_every_level(seeded):
    for model in (Series, Clue):
        levels = set(model.objects.values_list("distribution", flat=True))
        assert levels == set(Distribution.values)
        assert (
            not model.objects.exclude(distribution="group")
            .filter(sharing_group__isnull=False)
            .exists()
        )
        assert not model.objects.filter(distribution="group", sharing_group__isnull=True).exists()
    clue = Clue.objects.select_related("agency", "created_by").first()
    assert clue.owner_country == clue.agency.country
    assert clue.created_by.agency_id == clue.agency_id
    assert clue.title and clue.description and clue.languages
    # Every index dropped for the load is back.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'clue_search_gin'")
        assert cursor.fetchone()[0] == 1


def test_the_focus_investigator_is_vetted_and_reached_by_many_grants(seeded):
    user = User.objects.select_related("agency").get(email=focus_investigator_email(TINY))
    assert has_casework_access(user)
    reaching = (
        SeriesUserGrant.objects.filter(user=user).count()
        + ClueUserGrant.objects.filter(user=user).count()
        + SeriesAgencyGrant.objects.filter(group=user.agency.permission_group).count()
        + ClueAgencyGrant.objects.filter(group=user.agency.permission_group).count()
    )
    assert reaching >= TINY.focus_grants
    visible = Clue.objects.visible_to(user).count()
    assert 0 < visible < TINY.clues


def test_full_text_search_finds_the_benchmark_terms(seeded):
    term = search_terms()["common_word"]
    query = SearchQuery(term, config="simple", search_type="websearch")
    assert Clue.objects.filter(search_vector=query).exists()
