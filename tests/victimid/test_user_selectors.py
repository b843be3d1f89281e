"""Who may manage whom: one rule, read by the vetting pages and obeyed by every service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import UserFactory
from victimid.choices import Role
from victimid.models import User, VettingDecision
from victimid.selectors.users import users_manageable_by
from victimid.services.accounts import user_set_roles
from victimid.services.lockout import user_release
from victimid.services.vetting import can_manage_user, vetting_renew

pytestmark = pytest.mark.django_db

DUTCH = {"owner", "colleague", "same_country", "coordinator", "unvetted"}
SPANISH = {"abroad", "coordinator_abroad", "oversight", "auditor"}
EVERYONE = DUTCH | SPANISH | {"admin", "dutch_admin", "dutch_superuser"}


@pytest.fixture
def people(actors):
    """The shared actors plus platform admins who belong to a Dutch agency."""
    named = {name: getattr(actors, name) for name in EVERYONE - {"dutch_admin", "dutch_superuser"}}
    named["dutch_admin"] = UserFactory(
        email="admin@nl.example.org", agency=actors.agency, roles=[Role.ADMIN]
    )
    named["dutch_superuser"] = UserFactory(
        email="root@nl.example.org", agency=actors.agency, roles=[], is_superuser=True
    )
    return named


@pytest.mark.parametrize(
    ("actor", "manages"),
    [
        ("coordinator", DUTCH - {"coordinator"}),
        ("coordinator_abroad", SPANISH - {"coordinator_abroad"}),
        ("admin", EVERYONE - {"admin"}),
        ("dutch_superuser", EVERYONE - {"dutch_superuser"}),
        ("owner", set()),
        ("unvetted", set()),
        ("oversight", set()),
        ("auditor", set()),
    ],
)
def test_each_actor_manages_exactly_these_users(people, actor, manages):
    # A coordinator never manages a platform admin, even one of their own country.
    listed = {user.pk for user in users_manageable_by(people[actor])}
    assert listed == {people[name].pk for name in manages}
    for name, subject in people.items():
        assert can_manage_user(people[actor], subject) is (name in manages), name


def test_an_operator_command_manages_everyone_including_admins(people):
    assert set(users_manageable_by(None)) == set(User.objects.all())
    assert all(can_manage_user(None, subject) for subject in people.values())


@pytest.mark.parametrize("lapse", ["expired", "locked", "disabled"])
def test_an_admin_who_is_not_vetted_right_now_manages_nobody(actors, lapse):
    if lapse == "expired":
        actors.admin.vetted_until = timezone.now() - timedelta(days=1)
    elif lapse == "locked":
        actors.admin.locked_at = timezone.now()
    else:
        actors.admin.is_active = False
    actors.admin.save()

    assert not users_manageable_by(actors.admin).exists()
    assert not can_manage_user(actors.admin, actors.owner)
    with pytest.raises(PermissionDenied):
        vetting_renew(actor=actors.admin, subject=actors.owner, reason="annual check")
    with pytest.raises(PermissionDenied):
        user_set_roles(actor=actors.admin, subject=actors.owner, roles=[Role.AUDITOR])
    assert not VettingDecision.objects.exists()


def test_nobody_releases_their_own_lock_but_an_operator_can(actors):
    actors.coordinator.locked_at = timezone.now()
    actors.coordinator.save(update_fields=["locked_at"])
    with pytest.raises(PermissionDenied):
        user_release(actor=actors.coordinator, subject=actors.coordinator)

    user_release(actor=None, subject=actors.coordinator)

    actors.coordinator.refresh_from_db()
    assert actors.coordinator.locked_at is None


def test_not_even_a_superuser_changes_their_own_roles(people):
    superuser = people["dutch_superuser"]
    with pytest.raises(PermissionDenied, match="your own roles"):
        user_set_roles(actor=superuser, subject=superuser, roles=[Role.AUDITOR])
