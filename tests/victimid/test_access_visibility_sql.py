"""The access-key visibility admits exactly what the rule as first written admitted.

``cases.access`` decides visibility by access keys kept on each row by database
triggers (``cases.access.keys``). These tests hold it to the plain ORM formulation of
the rule, kept here as the reference (nested querysets over levels, sharing-group
memberships and grant tables), on seeded data with every level, sharing groups, user
and agency grants, grants of other permissions, victims linked to several series and
their identification log, for every seeded investigator — first as seeded, then after
each of a series of changes made the ways a database gets changed (services aside,
which ``tests/cases/test_access_keys.py`` covers): rows saved, querysets updated,
grants revoked, memberships and series links added and removed.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db.models import Model, Q
from django.utils import timezone

from bench.seed_casework import SCALES, ensure_seeded
from cases import access
from cases.access.keys import stale_keys
from cases.choices import Distribution
from cases.models import (
    Assessment,
    Clue,
    ClueAgencyGrant,
    ClueUserGrant,
    IdentificationEvent,
    KnownHash,
    RoutingRequest,
    Series,
    SeriesAgencyGrant,
    SeriesUserGrant,
    Victim,
    VictimAgencyGrant,
    VictimSeries,
    VictimUserGrant,
)
from cases.services import sharing_group_member_add
from tests.factories import (
    ClueFactory,
    GrantFactory,
    KnownHashFactory,
    SeriesFactory,
    SharingGroupFactory,
    UserFactory,
)
from victimid.choices import Role
from victimid.models import Agency, SharingGroup, SharingGroupMembership, User

pytestmark = pytest.mark.django_db

_GRANTS: dict[str, tuple[Any, Any]] = {
    "series": (SeriesUserGrant, SeriesAgencyGrant),
    "clue": (ClueUserGrant, ClueAgencyGrant),
    "victim": (VictimUserGrant, VictimAgencyGrant),
}


def _reference_level_q(user: Any, model: type[Model], prefix: str = "") -> Q:
    """A record's own level and grants as first written: nested ORM querysets."""
    agency = user.agency
    member_of = SharingGroupMembership.objects.filter(agency_id=agency.pk).values(
        "sharing_group_id"
    )
    name = model._meta.model_name
    user_grants, agency_grants = _GRANTS[name]
    codename = f"view_{name}"
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


def _reference_routed_q(user: Any) -> Q:
    """An open routing request to the reader's country (a coordinator) or passed to them."""
    open_requests = RoutingRequest.objects.filter(status="open")
    to_reader = Q(assignee_id=user.pk) if user.pk is not None else Q(pk__in=[])
    if user.pk is not None and user.has_role(Role.COORDINATOR):
        to_reader |= Q(country=user.agency.country.code)
    return Q(pk__in=open_requests.filter(to_reader).values("clue_id"))


def _reference_rule(user: Any, model: type[Model]) -> Q:
    series = _reference_level_q(user, Series)
    if model is Series:
        return series
    clue = (
        _reference_level_q(user, Clue) & _reference_level_q(user, Series, "series__")
    ) | _reference_routed_q(user)
    if model is Clue:
        return clue
    if model in (Assessment, RoutingRequest):
        return Q(clue__in=Clue.objects.filter(clue))
    if model is KnownHash:
        return _reference_level_q(user, Series, "series__")
    # A victim: its own level and at least one visible series; its log follows it.
    in_visible_series = VictimSeries.objects.filter(
        series__in=Series.objects.filter(series)
    ).values("victim_id")
    victim = _reference_level_q(user, Victim) & Q(pk__in=in_visible_series)
    if model is Victim:
        return victim
    assert model is IdentificationEvent
    return Q(victim__in=Victim.objects.filter(victim))


def _reference(user: Any, model: type[Model]) -> set[int]:
    rows = model._default_manager.filter(_reference_rule(user, model))
    return set(rows.values_list("pk", flat=True))


def _visible(user: Any, model: type[Model]) -> set[int]:
    return set(access.restrict(model._default_manager.all(), user).values_list("pk", flat=True))


MODELS = [Series, Clue, KnownHash, Victim, IdentificationEvent, Assessment, RoutingRequest]


def _readers() -> list[User]:
    return list(User.objects.select_related("agency").order_by("pk"))


def _assert_every_reader_sees_what_the_reference_admits() -> None:
    for user in _readers():
        for model in MODELS:
            visible = _visible(user, model)
            assert visible == _reference(user, model), (model.__name__, user.email)
            assert access.restrict(model._default_manager.all(), user).count() == len(visible)


@pytest.fixture
def seeded(db: None) -> list[User]:
    """Tiny seeded casework, plus victims, their log and the records edge cases need."""
    ensure_seeded(SCALES["tiny"])
    pick = random.Random(7)
    users = _readers()
    clues = list(Clue.objects.order_by("pk")[:40])
    series = list(Series.objects.order_by("pk"))
    groups = list(SharingGroup.objects.order_by("pk"))
    # Grants of a permission other than "view" must never reveal a record. No service grants
    # any other permission, so these rows are written directly.
    for index, user in enumerate(users):
        ClueUserGrant.objects.assign_perm("change_clue", user, clues[index % len(clues)])
        SeriesUserGrant.objects.assign_perm("change_series", user, series[index % len(series)])
        ClueAgencyGrant.objects.assign_perm(
            "change_clue", user.agency.permission_group, clues[-1 - index % len(clues)]
        )
    for record in series[:10]:
        KnownHashFactory(series=record)
    # Victims at every level, in none, one or several series, with grants and a log. Written
    # directly: the services refuse some on purpose (a victim in no series, or in series its
    # owner may not see; a grant of another permission, or to the owner's own agency).
    levels = list(Distribution.values)
    for number in range(40):
        owner = pick.choice(users)
        level = levels[number % len(levels)]
        victim = Victim.objects.create(
            code=f"VIC-2099-{number:06d}",  # the seeder numbers its children from 2026
            agency=owner.agency,
            distribution=level,
            sharing_group=pick.choice(groups) if level == Distribution.GROUP else None,
            created_by=owner,
        )
        for linked in pick.sample(series, number % 4):
            VictimSeries.objects.create(victim=victim, series=linked, added_by=owner)
        if number % 3 == 0:
            VictimUserGrant.objects.assign_perm("view_victim", pick.choice(users), victim)
        if number % 5 == 0:
            VictimAgencyGrant.objects.assign_perm(
                "view_victim", pick.choice(users).agency.permission_group, victim
            )
        if number % 7 == 0:
            VictimUserGrant.objects.assign_perm("change_victim", pick.choice(users), victim)
        if number % 2 == 0:
            IdentificationEvent.objects.create(
                victim=victim,
                kind="identified",
                occurred_on=date(2026, 1, 1 + number % 28),
                agency=owner.agency,
                country=owner.agency.country,
                recorded_by=owner,
            )
    # Some readers coordinate their country; clues are routed to countries, some requests
    # passed to a reader, some closed; some clues assessed. Written directly: the services
    # (tests/cases/test_routing.py) refuse some of these on purpose.
    coordinators = Group.objects.get(name=str(Role.COORDINATOR))
    for user in users[::3]:
        user.groups.add(coordinators)
    countries = sorted({str(user.agency.country) for user in users})
    for number, clue in enumerate(Clue.objects.order_by("pk")[:60]):
        asker = pick.choice(users)
        if number % 2:
            Assessment.objects.create(
                clue=clue,
                assessor=asker,
                agency=asker.agency,
                assessor_country=asker.agency.country,
                verdict="unsure",
            )
        if number % 3 == 0:
            continue
        closed = number % 5 == 0
        RoutingRequest.objects.create(
            clue=clue,
            country=countries[number % len(countries)],
            asked_by=asker,
            asking_agency=asker.agency,
            assignee=pick.choice(users) if number % 4 == 0 else None,
            status="withdrawn" if closed else "open",
            closed_at=timezone.now() if closed else None,
        )
    # An agency whose permission group is gone: only its users' own grants count.
    orphan = users[-1].agency
    Agency.objects.filter(pk=orphan.pk).update(permission_group=None)
    return _readers()


def _revoke_half_the_view_grants() -> None:
    for model in (SeriesUserGrant, SeriesAgencyGrant, ClueUserGrant, ClueAgencyGrant):
        ids = list(
            model.objects.filter(permission__codename__startswith="view_")
            .order_by("pk")
            .values_list("pk", flat=True)[::2]
        )
        model.objects.filter(pk__in=ids).delete()
    VictimUserGrant.objects.filter(permission__codename="view_victim").first().delete()


def _change_levels_by_queryset_update() -> None:
    groups = list(SharingGroup.objects.order_by("pk"))
    # Series kept to their agency go to the network, and the other way round.
    agency_ids = list(Series.objects.filter(distribution="agency").values_list("pk", flat=True))
    network_ids = list(Series.objects.filter(distribution="network").values_list("pk", flat=True))
    Series.objects.filter(pk__in=agency_ids[::3]).update(distribution="network")
    Series.objects.filter(pk__in=network_ids[::3]).update(distribution="agency")
    Series.objects.filter(pk__in=network_ids[1::3]).update(
        distribution="group", sharing_group=groups[0]
    )
    Clue.objects.filter(distribution="country").filter(
        pk__in=Clue.objects.values("pk")[:80]
    ).update(distribution="network")
    Victim.objects.filter(distribution="network").update(distribution="country")


def _change_records_by_save() -> None:
    groups = list(SharingGroup.objects.order_by("pk"))
    for clue in Clue.objects.filter(distribution="group").order_by("pk")[:10]:
        clue.sharing_group = groups[-1]
        clue.save()
    for series in Series.objects.filter(distribution="country").order_by("pk")[:5]:
        series.distribution = "group"
        series.sharing_group = groups[-1]
        series.save()
    # A clue moved to another series takes that series' keys.
    other = Series.objects.order_by("-pk").first()
    Clue.objects.filter(pk__in=Clue.objects.order_by("pk").values("pk")[:15]).update(series=other)


def _change_memberships_and_links() -> None:
    groups = list(SharingGroup.objects.order_by("pk"))
    agencies = list(Agency.objects.order_by("pk"))
    by = User.objects.order_by("pk").first()
    SharingGroupMembership.objects.filter(sharing_group=groups[0]).order_by("pk").last().delete()
    for agency in agencies:
        SharingGroupMembership.objects.get_or_create(
            sharing_group=groups[-1], agency=agency, defaults={"added_by": by}
        )
    series = list(Series.objects.order_by("pk"))
    for victim in Victim.objects.order_by("pk")[:20]:
        first = VictimSeries.objects.filter(victim=victim).order_by("pk").first()
        if first is not None:
            first.delete()
        VictimSeries.objects.get_or_create(
            victim=victim, series=series[victim.pk % len(series)], defaults={"added_by": by}
        )
    # Grants made again, to other readers, by bulk insert.
    users = _readers()
    ClueUserGrant.objects.bulk_create(
        ClueUserGrant(
            permission=ClueUserGrant.objects.filter(permission__codename="view_clue")
            .first()
            .permission,
            user=users[index % len(users)],
            content_object=clue,
        )
        for index, clue in enumerate(Clue.objects.filter(distribution="agency").order_by("pk")[:12])
    )


def _route_close_and_pass() -> None:
    """Requests closed by a queryset update, passed on by save, opened anew by insert."""
    open_ids = list(
        RoutingRequest.objects.filter(status="open").order_by("pk").values_list("pk", flat=True)
    )
    RoutingRequest.objects.filter(pk__in=open_ids[::2]).update(
        status="withdrawn", closed_at=timezone.now()
    )
    users = _readers()
    for index, request in enumerate(RoutingRequest.objects.filter(pk__in=open_ids[1::2])):
        request.assignee = users[index % len(users)]
        request.save()
    asker = users[0]
    RoutingRequest.objects.bulk_create(
        RoutingRequest(
            clue=clue, country="ES", asked_by=asker, asking_agency=asker.agency, status="open"
        )
        for clue in Clue.objects.filter(distribution="agency").order_by("-pk")[:10]
        if not RoutingRequest.objects.filter(clue=clue, country="ES", status="open").exists()
    )


CHANGES: list[Callable[[], None]] = [
    _revoke_half_the_view_grants,
    _change_levels_by_queryset_update,
    _change_records_by_save,
    _change_memberships_and_links,
    _route_close_and_pass,
]


def test_every_investigator_sees_exactly_what_the_reference_rule_admits(seeded):
    _assert_every_reader_sees_what_the_reference_admits()
    assert not any(stale_keys().values())


@pytest.mark.parametrize("upto", range(1, len(CHANGES) + 1), ids=lambda n: CHANGES[n - 1].__name__)
def test_it_still_does_after_records_grants_memberships_and_links_change(seeded, upto):
    for change in CHANGES[:upto]:
        change()
    _assert_every_reader_sees_what_the_reference_admits()
    assert not any(stale_keys().values())


def test_the_comparison_is_not_vacuous(seeded):
    for model in MODELS:
        sizes = {len(_visible(user, model)) for user in seeded}
        assert len(sizes) > 1, model.__name__
        assert 0 < max(sizes) < model._default_manager.count(), model.__name__
    granted = ClueUserGrant.objects.filter(permission__codename="view_clue").values("user")
    assert any(_visible(user, Clue) for user in seeded if user.pk in {g["user"] for g in granted})


def test_an_agency_sees_what_the_reference_admits_to_anyone_there(seeded):
    """``agency_can_view`` asks for an agency's rights, without any one person's grants."""
    for agency in Agency.objects.order_by("pk"):
        anyone = User(agency=agency)  # unsaved: no personal grants reach it
        for model in (Series, Clue, Victim):
            expected = _reference(anyone, model)
            for record in model._default_manager.order_by("pk")[:60]:
                assert access.agency_can_view(agency, record) == (record.pk in expected)


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
    series = SeriesFactory(actor=actors.owner, title="Blue room", distribution=Distribution.NETWORK)
    clue = ClueFactory(series=series, title="Type F socket", description="Recessed socket")
    return {"series": series, "clue": clue}


def test_a_grant_of_another_permission_reveals_nothing(actors, records):
    # No service grants "change": written directly, as a stray row would be.
    ClueUserGrant.objects.assign_perm("change_clue", actors.abroad, records["clue"])
    ClueAgencyGrant.objects.assign_perm(
        "change_clue", actors.agency_abroad.permission_group, records["clue"]
    )
    assert not access.can_view(actors.abroad, records["clue"])
    # Also written directly: record_grant takes the stray "change" row for a grant already
    # made and writes nothing (it looks for any row of the user, whatever its permission).
    ClueUserGrant.objects.assign_perm("view_clue", actors.abroad, records["clue"])
    assert access.can_view(actors.abroad, records["clue"])


def test_a_grant_to_another_user_or_agency_reveals_nothing(actors, records):
    GrantFactory(record=records["clue"], user=actors.coordinator_abroad)
    GrantFactory(record=records["clue"], agency=actors.agency_same_country)
    assert not access.can_view(actors.abroad, records["clue"])
    assert access.can_view(actors.coordinator_abroad, records["clue"])
    assert access.can_view(actors.same_country, records["clue"])


def test_an_agency_without_a_permission_group_keeps_its_users_own_grants(actors, records):
    GrantFactory(record=records["clue"], user=actors.abroad)
    # The application never takes an agency's group away (its save makes one): written directly.
    Agency.objects.filter(pk=actors.agency_abroad.pk).update(permission_group=None)
    abroad = User.objects.select_related("agency").get(pk=actors.abroad.pk)
    assert access.can_view(abroad, records["clue"])
    assert not access.can_view(
        User.objects.select_related("agency").get(pk=actors.coordinator_abroad.pk),
        records["clue"],
    )


def test_a_group_record_is_hidden_from_agencies_in_other_groups(actors, records):
    manager = UserFactory(agency=actors.agency, roles=[Role.COORDINATOR])
    task_force = SharingGroupFactory(actor=manager, name="Task force")
    SharingGroupFactory(actor=manager, name="Other task force", members=[actors.agency_abroad])
    clue = ClueFactory(
        series=records["series"], distribution=Distribution.GROUP, sharing_group=task_force
    )
    assert not access.can_view(actors.abroad, clue)
    sharing_group_member_add(actor=manager, sharing_group=task_force, agency=actors.agency_abroad)
    assert access.can_view(actors.abroad, clue)
    assert not access.can_view(actors.same_country, clue)
