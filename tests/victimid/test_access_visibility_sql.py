"""The visibility rule's SQL shape admits exactly what the rule as first written admitted.

``cases.access`` looks up sharing groups and grants with ``= ANY(ARRAY(subquery))``
written as SQL, for speed (see ``_level_q``). These tests hold it to the plain ORM
formulation it replaced, kept here as the reference, on seeded data with every level,
sharing groups and grants, and on the edge cases the SQL touches.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Model, Q

from bench.seed_casework import SCALES, ensure_seeded
from cases import access
from cases.choices import Distribution
from cases.models import (
    Clue,
    ClueAgencyGrant,
    ClueTaxonomyNode,
    ClueUserGrant,
    KnownHash,
    Series,
    SeriesAgencyGrant,
    SeriesUserGrant,
)
from victimid.models import Agency, SharingGroup, SharingGroupMembership, User

pytestmark = pytest.mark.django_db


def _reference_level_q(user: Any, model: type[Model], prefix: str = "") -> Q:
    """The distribution rule as first written: nested ORM querysets."""
    agency = user.agency
    member_of = SharingGroupMembership.objects.filter(agency_id=agency.pk).values(
        "sharing_group_id"
    )
    user_grants, agency_grants = {
        "series": (SeriesUserGrant, SeriesAgencyGrant),
        "clue": (ClueUserGrant, ClueAgencyGrant),
    }[model._meta.model_name]
    codename = f"view_{model._meta.model_name}"
    granted_to_user = user_grants.objects.filter(
        user_id=user.pk, permission__codename=codename
    ).values("content_object_id")
    granted_to_agency = agency_grants.objects.filter(
        group_id=agency.permission_group_id, permission__codename=codename
    ).values("content_object_id")
    return (
        Q(**{f"{prefix}agency_id": agency.pk})
        | Q(**{f"{prefix}distribution": Distribution.NETWORK})
        | Q(
            **{
                f"{prefix}distribution": Distribution.COUNTRY,
                f"{prefix}owner_country": agency.country.code,
            }
        )
        | Q(
            **{
                f"{prefix}distribution": Distribution.GROUP,
                f"{prefix}sharing_group_id__in": member_of,
            }
        )
        | Q(**{f"{prefix}pk__in": granted_to_user})
        | Q(**{f"{prefix}pk__in": granted_to_agency})
    )


def _reference(user: Any, model: type[Model]) -> set[int]:
    if model is Series:
        rule = _reference_level_q(user, Series)
    elif model is Clue:
        rule = _reference_level_q(user, Clue) & _reference_level_q(user, Series, "series__")
    else:
        rule = _reference_level_q(user, Series, "series__")
    return set(model._default_manager.filter(rule).values_list("pk", flat=True))


def _visible(user: Any, model: type[Model]) -> set[int]:
    return set(access.restrict(model._default_manager.all(), user).values_list("pk", flat=True))


@pytest.fixture
def seeded(db: None) -> list[User]:
    """Tiny seeded casework, plus the records and grants the edge cases need."""
    ensure_seeded(SCALES["tiny"])
    users = list(User.objects.select_related("agency").order_by("pk"))
    clues = list(Clue.objects.order_by("pk")[:40])
    series = list(Series.objects.order_by("pk")[:10])
    # Grants of a permission other than "view" must never reveal a record.
    for index, user in enumerate(users):
        ClueUserGrant.objects.assign_perm("change_clue", user, clues[index % len(clues)])
        SeriesUserGrant.objects.assign_perm("change_series", user, series[index % len(series)])
        ClueAgencyGrant.objects.assign_perm(
            "change_clue", user.agency.permission_group, clues[-1 - index % len(clues)]
        )
    for index, record in enumerate(series):
        KnownHash.objects.create(
            series=record,
            algorithm="md5",
            value=f"{index:032x}",
            submitting_agency=record.agency,
        )
    # An agency whose permission group is gone: only its users' own grants count.
    orphan = users[-1].agency
    Agency.objects.filter(pk=orphan.pk).update(permission_group=None)
    return list(User.objects.select_related("agency").order_by("pk"))


@pytest.mark.parametrize("model", [Series, Clue, KnownHash], ids=lambda m: m.__name__)
def test_every_investigator_sees_exactly_what_the_reference_rule_admits(seeded, model):
    for user in seeded:
        visible = _visible(user, model)
        assert visible == _reference(user, model), user.email
        assert access.restrict(model._default_manager.all(), user).count() == len(visible)


def test_the_comparison_is_not_vacuous(seeded):
    sizes = {len(_visible(user, Clue)) for user in seeded}
    assert len(sizes) > 1
    assert 0 < max(sizes) < Clue.objects.count()
    granted = ClueUserGrant.objects.filter(permission__codename="view_clue").values("user")
    assert any(_visible(user, Clue) for user in seeded if user.pk in {g["user"] for g in granted})


def test_the_rule_holds_inside_another_query(seeded):
    """Used as a subquery, Django relabels the outer tables; the rule must follow."""
    for user in seeded[:6]:
        in_visible_series = set(
            Clue.objects.filter(series__in=Series.objects.visible_to(user)).values_list(
                "pk", flat=True
            )
        )
        expected = set(
            Clue.objects.filter(series__in=_reference(user, Series)).values_list("pk", flat=True)
        )
        assert in_visible_series == expected
        with_visible_clues = set(
            Series.objects.filter(
                pk__in=Clue.objects.visible_to(user).values("series_id")
            ).values_list("pk", flat=True)
        )
        expected_series = set(
            Clue.objects.filter(pk__in=_reference(user, Clue)).values_list("series_id", flat=True)
        )
        assert with_visible_clues == expected_series


def test_what_is_not_visible_is_the_rest(seeded):
    user = seeded[0]
    hidden = set(
        Clue.objects.exclude(pk__in=Clue.objects.visible_to(user)).values_list("pk", flat=True)
    )
    assert hidden.isdisjoint(_visible(user, Clue))
    assert len(hidden) + len(_visible(user, Clue)) == Clue.objects.count()


@pytest.fixture
def records(actors) -> dict[str, Any]:
    series = Series.objects.create(
        code="SER-2026-900001",
        title="Blue room",
        agency=actors.agency,
        distribution=Distribution.NETWORK,
        created_by=actors.owner,
    )
    clue = Clue.objects.create(
        series=series,
        taxonomy_node=ClueTaxonomyNode.objects.get(slug="sockets"),
        title="Type F socket",
        description="Recessed socket",
        agency=actors.agency,
        distribution=Distribution.AGENCY,
        created_by=actors.owner,
    )
    return {"series": series, "clue": clue}


def test_a_grant_of_another_permission_reveals_nothing(actors, records):
    ClueUserGrant.objects.assign_perm("change_clue", actors.abroad, records["clue"])
    ClueAgencyGrant.objects.assign_perm(
        "change_clue", actors.agency_abroad.permission_group, records["clue"]
    )
    assert not access.can_view(actors.abroad, records["clue"])
    ClueUserGrant.objects.assign_perm("view_clue", actors.abroad, records["clue"])
    assert access.can_view(actors.abroad, records["clue"])


def test_a_grant_to_another_user_or_agency_reveals_nothing(actors, records):
    ClueUserGrant.objects.assign_perm("view_clue", actors.coordinator_abroad, records["clue"])
    ClueAgencyGrant.objects.assign_perm(
        "view_clue", actors.agency_same_country.permission_group, records["clue"]
    )
    assert not access.can_view(actors.abroad, records["clue"])
    assert access.can_view(actors.coordinator_abroad, records["clue"])
    assert access.can_view(actors.same_country, records["clue"])


def test_an_agency_without_a_permission_group_keeps_its_users_own_grants(actors, records):
    ClueUserGrant.objects.assign_perm("view_clue", actors.abroad, records["clue"])
    Agency.objects.filter(pk=actors.agency_abroad.pk).update(permission_group=None)
    abroad = User.objects.select_related("agency").get(pk=actors.abroad.pk)
    assert access.can_view(abroad, records["clue"])
    assert not access.can_view(
        User.objects.select_related("agency").get(pk=actors.coordinator_abroad.pk),
        records["clue"],
    )


def test_a_group_record_is_hidden_from_agencies_in_other_groups(actors, records):
    task_force = SharingGroup.objects.create(
        name="Task force", managing_agency=actors.agency, created_by=actors.owner
    )
    other = SharingGroup.objects.create(
        name="Other task force", managing_agency=actors.agency, created_by=actors.owner
    )
    SharingGroupMembership.objects.create(
        sharing_group=other, agency=actors.agency_abroad, added_by=actors.owner
    )
    clue = records["clue"]
    Clue.objects.filter(pk=clue.pk).update(
        distribution=Distribution.GROUP, sharing_group=task_force
    )
    assert not access.can_view(actors.abroad, clue)
    SharingGroupMembership.objects.create(
        sharing_group=task_force, agency=actors.agency_abroad, added_by=actors.owner
    )
    assert access.can_view(actors.abroad, clue)
    assert not access.can_view(actors.same_country, clue)
