"""The demo seed adds fictional victims to the demo series, through the services, once."""

from __future__ import annotations

import pytest

from cases.choices import VictimStatus
from cases.demo_victims import seed_victims
from cases.models import IdentificationEvent, Victim
from cases.selectors.victims import victims_visible
from tests.cases.victim_support import make_series
from victimid import demo
from victimid.models import User

pytestmark = pytest.mark.django_db


def test_without_demo_series_nothing_is_seeded():
    seed_victims()
    assert not Victim.objects.exists()


def test_the_demo_series_get_victims_and_a_log_once():
    agencies = demo.seed_people()
    owner = User.objects.get(email=demo.demo_email("investigator.nl"))
    first = make_series(agency=agencies["nl"], created_by=owner, distribution="network")
    make_series(agency=agencies["nl"], created_by=owner)
    seed_victims()
    seed_victims()
    assert Victim.objects.count() == 4
    assert IdentificationEvent.objects.count() == 5
    statuses = {v.code: v.current_status for v in victims_visible(actor=owner)}
    assert VictimStatus.SAFEGUARDED in statuses.values()
    assert first.victims.count() == 2
