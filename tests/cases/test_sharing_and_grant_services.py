"""Sharing groups and explicit grants through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from cases import access
from cases.selectors import sharing_groups_for
from cases.services import (
    record_grant,
    record_grant_revoke,
    sharing_group_create,
    sharing_group_member_add,
    sharing_group_member_remove,
)
from tests.factories import SeriesFactory
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_coordinator_creates_a_group_managed_and_joined_by_their_agency(actors):
    group = sharing_group_create(
        actor=actors.coordinator_abroad, name="Coastal", members=[actors.agency]
    )
    assert group.managing_agency == actors.agency_abroad
    assert set(group.members.all()) == {actors.agency_abroad, actors.agency}
    assert AuditEvent.objects.filter(action="sharing_group.created").exists()


def test_an_investigator_does_not_create_groups(actors):
    with pytest.raises(PermissionDenied):
        sharing_group_create(actor=actors.owner, name="Mine")


def test_only_the_managing_agencys_coordinators_change_members(actors, task_force):
    with pytest.raises(PermissionDenied):
        sharing_group_member_add(
            actor=actors.coordinator_abroad,
            sharing_group=task_force,
            agency=actors.agency_same_country,
        )
    sharing_group_member_add(
        actor=actors.coordinator, sharing_group=task_force, agency=actors.agency_same_country
    )
    assert actors.agency_same_country in task_force.members.all()
    with pytest.raises(ValidationError):
        sharing_group_member_add(
            actor=actors.coordinator, sharing_group=task_force, agency=actors.agency_same_country
        )
    sharing_group_member_remove(
        actor=actors.admin, sharing_group=task_force, agency=actors.agency_same_country
    )
    assert actors.agency_same_country not in task_force.members.all()
    with pytest.raises(ValidationError):
        sharing_group_member_remove(
            actor=actors.coordinator, sharing_group=task_force, agency=actors.agency
        )


def test_groups_are_listed_for_members_and_managers_only(actors, task_force):
    assert list(sharing_groups_for(actor=actors.abroad)) == [task_force]
    assert list(sharing_groups_for(actor=actors.owner)) == [task_force]
    assert list(sharing_groups_for(actor=actors.same_country)) == []


def test_the_owning_agency_grants_to_a_user_and_to_an_agency(actors):
    series = SeriesFactory(actor=actors.owner, title="Private")
    assert not access.can_view(actors.abroad, series)
    record_grant(actor=actors.colleague, record=series, user=actors.abroad)
    assert access.can_view(actors.abroad, series)
    assert not access.can_view(actors.coordinator_abroad, series)
    record_grant(actor=actors.owner, record=series, agency=actors.agency_abroad)
    assert access.can_view(actors.coordinator_abroad, series)
    record_grant_revoke(actor=actors.owner, record=series, agency=actors.agency_abroad)
    record_grant_revoke(actor=actors.owner, record=series, user=actors.abroad)
    assert not access.can_view(actors.abroad, series)
    assert AuditEvent.objects.filter(action="grant.added").count() == 2
    assert AuditEvent.objects.filter(action="grant.revoked").count() == 2


def test_a_stray_grant_of_another_permission_does_not_pass_for_a_view_grant(actors):
    # No service writes such rows, but the tables can hold them: a "change" permission
    # row must not make the view grant look done while the user still sees nothing.
    from django.contrib.auth.models import Permission

    from cases.models import SeriesUserGrant

    series = SeriesFactory(actor=actors.owner, title="Private")
    SeriesUserGrant.objects.create(
        content_object=series,
        user=actors.abroad,
        permission=Permission.objects.get(codename="change_series"),
    )
    assert record_grant(actor=actors.owner, record=series, user=actors.abroad) is True
    assert access.can_view(actors.abroad, series)


def test_a_grantee_cannot_grant_onwards_and_an_outsider_gets_404(actors):
    series = SeriesFactory(actor=actors.owner, title="Private")
    with pytest.raises(Http404):
        record_grant(actor=actors.abroad, record=series, user=actors.same_country)
    record_grant(actor=actors.owner, record=series, user=actors.abroad)
    with pytest.raises(PermissionDenied):
        record_grant(actor=actors.abroad, record=series, user=actors.same_country)
    with pytest.raises(ValidationError):
        record_grant(actor=actors.owner, record=series)
