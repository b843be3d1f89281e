"""The casework factories build records through the services, as the application does."""

from __future__ import annotations

import pytest

from tests.factories import (
    AgencyFactory,
    ClueFactory,
    IdentificationEventFactory,
    SeriesFactory,
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


def test_a_record_cannot_be_built_beside_its_service():
    with pytest.raises(TypeError):
        SeriesFactory.build()
