"""The casework factories build records through the services, as the application does."""

from __future__ import annotations

import pytest

from cases import access
from tests.factories import (
    AgencyFactory,
    ClueFactory,
    DeconflictionNoticeFactory,
    GrantFactory,
    IdentificationEventFactory,
    KnownHashFactory,
    SeriesFactory,
    SeriesFollowerFactory,
    SharingGroupFactory,
    UserFactory,
    VictimFactory,
)
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_series_gets_its_code_owner_country_and_audit_row():
    series = SeriesFactory()
    assert series.code.startswith("SER-")
    assert series.owner_country == series.agency.country
    assert AuditEvent.objects.filter(action=audit_actions.SERIES_CREATED).count() == 1


def test_a_clue_belongs_to_its_authors_agency_on_a_network_series_by_default():
    clue = ClueFactory()
    assert clue.series.distribution == "network"
    assert clue.agency_id == clue.series.agency_id == clue.created_by.agency_id


def test_a_victim_can_appear_in_several_series_of_its_agency():
    investigator = UserFactory()
    series = [SeriesFactory(actor=investigator), SeriesFactory(actor=investigator)]
    victim = VictimFactory(actor=investigator, series=series)
    assert victim.code.startswith("VIC-")
    assert set(victim.series.all()) == set(series)
    event = IdentificationEventFactory(victim=victim)
    assert event.kind == "identified" and event.agency_id == investigator.agency_id


def test_a_sharing_group_has_its_managing_agency_among_its_members():
    member = AgencyFactory(country="BR")
    group = SharingGroupFactory(members=[member])
    assert set(group.members.all()) == {member, group.managing_agency}


def test_a_clue_names_its_kind_by_slug():
    assert ClueFactory(taxonomy="flora").taxonomy_node.slug == "flora"


def test_known_hashes_get_values_of_their_own_and_an_audit_row():
    series = SeriesFactory()
    first, second = KnownHashFactory(series=series), KnownHashFactory(series=series)
    assert first.value != second.value and len(first.value) == 32
    assert first.submitting_agency == series.agency
    assert AuditEvent.objects.filter(action=audit_actions.HASHES_ADDED).count() == 2


def test_a_deconfliction_notice_comes_from_a_refused_submission():
    notice = DeconflictionNoticeFactory()
    assert notice.existing_agency != notice.requesting_agency
    assert not notice.requesting_series.hashes.exists()  # the submission was refused
    assert notice.existing_series.hashes.get().value == notice.value


def test_a_grant_lets_its_grantee_see_the_record():
    grant = GrantFactory()
    assert access.can_view(grant.user, grant.content_object)
    agency = AgencyFactory(country="FR")
    agency_grant = GrantFactory(record=grant.content_object, agency=agency)
    assert agency_grant.group == agency.permission_group
    assert AuditEvent.objects.filter(action=audit_actions.GRANT_ADDED).count() == 2


def test_a_follower_follows_through_the_service():
    follower = SeriesFollowerFactory()
    assert follower.series.agency != follower.user.agency
    assert AuditEvent.objects.filter(action=audit_actions.SERIES_FOLLOWED).count() == 1


def test_a_record_cannot_be_built_beside_its_service():
    with pytest.raises(TypeError):
        SeriesFactory.build()
