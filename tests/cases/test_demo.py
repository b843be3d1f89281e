"""The demo seed creates casework through the services, visible by its levels."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.choices import VictimStatus
from cases.demo import seed_victims
from cases.models import Clue, IdentificationEvent, KnownHash, Series, Victim
from cases.selectors.victims import victims_visible
from tests.factories import SeriesFactory
from victimid import demo
from victimid.demo import demo_email
from victimid.models import AuditEvent, SharingGroup, User

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_casework_once(capsys):
    call_command("seed_demo")
    assert Series.objects.count() == 5
    assert Clue.objects.count() == 7
    assert KnownHash.objects.count() == 30
    assert SharingGroup.objects.filter(name="Demo North Sea task force").exists()
    assert AuditEvent.objects.filter(action="series.created").count() == 5
    # The victims come from the same seed, on the first two demo series.
    assert Victim.objects.count() == 4
    assert IdentificationEvent.objects.count() == 5
    assert AuditEvent.objects.filter(action="victim.created").count() == 4

    def visible_titles(local: str) -> set[str]:
        user = User.objects.get(email=demo_email(local))
        return set(Series.objects.visible_to(user).values_list("title", flat=True))

    assert visible_titles("investigator.es") == {
        "Blue curtains room",
        "Garden shed series",
        "Mountain cabin",
    }
    assert "Yellow tiled kitchen" in visible_titles("investigator.br")  # the explicit grant
    assert visible_titles("oversight") == set()

    call_command("seed_demo")
    assert "already present" in capsys.readouterr().out
    assert Series.objects.count() == 5
    assert Victim.objects.count() == 4


def test_without_demo_series_no_victims_are_seeded():
    seed_victims()
    assert not Victim.objects.exists()


def test_the_demo_series_get_victims_and_a_log_once():
    demo.seed_people()
    owner = User.objects.get(email=demo.demo_email("investigator.nl"))  # of the demo NL agency
    first = SeriesFactory(actor=owner, distribution="network")
    SeriesFactory(actor=owner)
    seed_victims()
    seed_victims()
    assert Victim.objects.count() == 4
    assert IdentificationEvent.objects.count() == 5
    statuses = {v.code: v.current_status for v in victims_visible(actor=owner)}
    assert VictimStatus.SAFEGUARDED in statuses.values()
    assert first.victims.count() == 2
