"""The demo seed creates casework through the services, visible by its levels."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import Clue, KnownHash, Series
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
