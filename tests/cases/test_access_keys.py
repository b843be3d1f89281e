"""Access keys never go stale: every write that changes who may see a record changes its keys.

The keys are kept by database triggers derived from the table of rules
(``cases.access.keys``). These tests make the writes through the services, as users do,
and check at once, in the same transaction, what a reader sees — and that deriving the
keys of every row again would change nothing. ``tests/victimid/test_access_visibility_sql``
holds the keys to the rule as first written on seeded data.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection

from cases import access
from cases import migrations as cases_migrations
from cases.access.keys import (
    KEYS_COLUMN,
    KeyKind,
    fingerprint,
    install_sql,
    key,
    keyed_rules,
    reader_keys,
    stale_keys,
)
from cases.choices import Distribution
from cases.models import Clue, Series, Victim
from cases.services import (
    record_grant,
    record_grant_revoke,
    series_update,
    sharing_group_member_add,
    sharing_group_member_remove,
)
from cases.services.victims import victim_update
from tests.cases.installed_triggers import installed_trigger_functions
from tests.factories import ClueFactory, SeriesFactory, VictimFactory
from victimid.models import User

pytestmark = pytest.mark.django_db


def _fresh(user: User) -> User:
    return User.objects.select_related("agency").get(pk=user.pk)


def _granted_record(kind: str, actors, agency_level) -> tuple[object, object, dict]:
    """(the record granted, the record that shows it, to whom) for each kind of grant."""
    if kind == "clue to a user":
        Series.objects.filter(pk=agency_level.series.pk).update(distribution="network")
        return agency_level.clue, agency_level.clue, {"user": actors.abroad}
    if kind == "series to an agency, seen through its clue":
        Clue.objects.filter(pk=agency_level.clue.pk).update(distribution="network")
        return agency_level.series, agency_level.clue, {"agency": actors.agency_abroad}
    victim = VictimFactory(actor=actors.owner, series=[agency_level.series])
    Series.objects.filter(pk=agency_level.series.pk).update(distribution="network")
    return victim, victim, {"agency": actors.agency_abroad}


@pytest.mark.parametrize(
    "kind", ["clue to a user", "series to an agency, seen through its clue", "victim to an agency"]
)
def test_a_grant_and_its_revocation_take_effect_at_once(actors, agency_level, kind):
    granted, shown, holder = _granted_record(kind, actors, agency_level)
    assert not access.can_view(actors.abroad, shown)
    record_grant(actor=actors.owner, record=granted, **holder)
    assert access.can_view(actors.abroad, shown)
    record_grant_revoke(actor=actors.owner, record=granted, **holder)
    assert not access.can_view(actors.abroad, shown)
    assert not any(stale_keys().values())


def test_a_series_narrowed_to_its_agency_takes_its_clues_along(actors, series, clue):
    assert access.can_view(actors.abroad, clue)
    series_update(actor=actors.owner, series=series, version=series.version, distribution="agency")
    assert not access.can_view(actors.abroad, clue)
    assert access.can_view(actors.colleague, clue)
    stored = Clue.objects.values_list("series_access_keys", flat=True).get(pk=clue.pk)
    assert stored == Series.objects.values_list("access_keys", flat=True).get(pk=series.pk)
    assert not any(stale_keys().values())


def test_a_series_widened_to_its_country_reaches_its_clues(actors, country_level):
    series = country_level.series
    series_update(actor=actors.owner, series=series, version=series.version, distribution="agency")
    assert not access.can_view(actors.same_country, country_level.clue)
    series = Series.objects.get(pk=series.pk)
    series_update(actor=actors.owner, series=series, version=series.version, distribution="country")
    assert access.can_view(actors.same_country, country_level.clue)
    assert not access.can_view(actors.abroad, country_level.clue)
    assert not any(stale_keys().values())


def test_leaving_a_sharing_group_hides_its_records_at_once(actors, task_force):
    in_group = {"distribution": "group", "sharing_group": task_force}
    series = SeriesFactory(actor=actors.owner, title="Harbour", **in_group)
    clue = ClueFactory(series=series, title="Harbour crane", **in_group)
    victim = VictimFactory(actor=actors.owner, series=[series], **in_group)
    assert access.can_view(actors.abroad, clue)
    assert access.can_view(actors.abroad, victim)
    sharing_group_member_remove(
        actor=actors.coordinator, sharing_group=task_force, agency=actors.agency_abroad
    )
    assert not access.can_view(actors.abroad, series)
    assert not access.can_view(actors.abroad, clue)
    assert not access.can_view(actors.abroad, victim)
    sharing_group_member_add(
        actor=actors.coordinator, sharing_group=task_force, agency=actors.agency_same_country
    )
    assert access.can_view(actors.same_country, clue)
    assert access.can_view(actors.same_country, victim)
    assert not any(stale_keys().values())


def test_a_victim_follows_the_series_it_is_linked_to(actors, series, agency_level):
    hidden_series = agency_level.series
    victim = VictimFactory(
        actor=actors.owner, series=[series, hidden_series], distribution="network"
    )
    assert access.can_view(actors.abroad, victim)
    victim = victim_update(
        actor=actors.owner, victim=victim, version=victim.version, series=[hidden_series]
    )
    assert not access.can_view(actors.abroad, victim)
    victim = victim_update(
        actor=actors.owner, victim=victim, version=victim.version, series=[series]
    )
    assert access.can_view(actors.abroad, victim)
    series_update(actor=actors.owner, series=series, version=series.version, distribution="agency")
    assert not access.can_view(actors.abroad, victim)
    assert not any(stale_keys().values())


def test_keys_written_by_hand_are_replaced_by_the_derived_ones(actors, agency_level):
    """No statement can widen a record by writing its keys: the database derives them."""
    everyone = [key(KeyKind.EVERYONE)]
    Clue.objects.filter(pk=agency_level.clue.pk).update(
        access_keys=everyone, series_access_keys=everyone
    )
    Series.objects.filter(pk=agency_level.series.pk).update(access_keys=everyone)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_victim SET access_keys = %s, series_access_keys = %s", [everyone] * 2
        )
    assert not access.can_view(actors.abroad, agency_level.clue)
    assert not access.can_view(actors.abroad, agency_level.series)
    assert access.can_view(actors.owner, agency_level.clue)
    assert not any(stale_keys().values())


def test_the_check_finds_keys_that_were_left_stale(actors, agency_level):
    """``stale_keys`` would notice a write the triggers missed (here: switched off)."""
    assert stale_keys() == {"cases.Series": 0, "cases.Clue": 0, "cases.Victim": 0}
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: may ALTER
        cursor.execute("ALTER TABLE cases_clue DISABLE TRIGGER access_keys")
        cursor.execute(
            "UPDATE cases_clue SET series_access_keys = %s WHERE id = %s",
            [[key(KeyKind.EVERYONE)], agency_level.clue.pk],
        )
        cursor.execute("ALTER TABLE cases_clue ENABLE ALWAYS TRIGGER access_keys")
    assert stale_keys() == {"cases.Series": 0, "cases.Clue": 1, "cases.Victim": 0}


def test_a_new_record_carries_its_keys_from_the_first_write(actors, series, sockets):
    # Straight through the ORM, past clue_create: the database keys the row as it is
    # inserted, whoever inserts it.
    clue = Clue.objects.create(
        series=series,
        taxonomy_node=sockets,
        title="Kettle",
        description="A kettle on the counter.",
        agency=actors.agency,
        distribution=Distribution.COUNTRY,
        created_by=actors.owner,
    )
    stored = Clue.objects.values_list("access_keys", "series_access_keys").get(pk=clue.pk)
    assert key(KeyKind.AGENCY, actors.agency.pk) in stored[0]
    assert stored[1] == Series.objects.values_list("access_keys", flat=True).get(pk=series.pk)
    assert access.can_view(actors.same_country, clue)
    assert not access.can_view(actors.abroad, clue)


def test_what_a_reader_holds(actors):
    owner = _fresh(actors.owner)
    agency = owner.agency
    held = reader_keys(owner)
    assert key(KeyKind.AGENCY, agency.pk) in held
    assert key(KeyKind.USER, owner.pk) in held
    assert key(KeyKind.EVERYONE) in held
    assert key(KeyKind.AGENCY_GRANT, agency.permission_group_id) in held
    assert key(KeyKind.COUNTRY, (ord("N") << 8) | ord("L")) in held
    assert len(held) == 5
    anyone_there = User(agency=agency)
    assert key(KeyKind.USER, owner.pk) not in reader_keys(anyone_there)


def test_the_latest_key_migration_installed_the_table_as_it_is():
    """A change to ``cases.access.rules`` needs a migration that installs the triggers
    again and derives every row's keys anew, recording the new fingerprint."""
    recorded = None
    for path in sorted(Path(cases_migrations.__file__).parent.glob("[0-9]*.py")):
        module = importlib.import_module(f"cases.migrations.{path.stem}")
        recorded = getattr(module, "ACCESS_KEYS_FINGERPRINT", recorded)
    assert recorded == fingerprint()


def test_the_migration_installed_every_function_and_trigger():
    """Every function the table derives is in the database, and fires on every write."""
    functions, triggers, always = installed_trigger_functions(install_sql())
    assert len(functions) >= len(keyed_rules())
    # One trigger per function, each firing whatever the session's replication role.
    assert triggers == always == len(functions)


def test_a_record_following_a_parent_that_follows_another_is_refused():
    from cases.access import keys
    from cases.access.rules import Follows

    with pytest.raises(LookupError):
        keys._keyed_parent(Follows("clue", "cases.Clue"))


def test_nothing_outside_the_rules_carries_keys():
    keyed = {apps.get_model(rule.model) for rule in keyed_rules()}
    assert keyed == {Series, Clue, Victim}
    for model in apps.get_app_config("cases").get_models():
        has_keys = any(field.name == KEYS_COLUMN for field in model._meta.fields)
        assert has_keys == (model in keyed), model.__name__
