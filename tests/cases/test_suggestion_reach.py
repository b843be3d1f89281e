"""An agency's list of suggestions is kept exact: its entries and their reach never go stale.

Each suggestion has one entry per owning agency of its two clues (``SuggestionInbox``),
with a reach kept by database triggers (``cases.access.keys.reach_install_sql``). The list
walks the entries with a reach above 0, so a reach left at 0 would hide a suggestion from
someone who may see it. These tests make the writes that change who may see a clue — as
users make them, through the services — and check each entry against a reach worked out
here in Python from the clues' keys and the agency's, against the entries derived anew
(``stale_reach``), and against the number a person would expect.
"""

from __future__ import annotations

import importlib
import random
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q

from cases import access
from cases import migrations as cases_migrations
from cases.access.keys import (
    AGENCY_KINDS,
    PERSONAL_KINDS,
    KeyKind,
    agency_keys,
    reach_fingerprint,
    reach_install_sql,
    reader_keys,
    stale_reach,
)
from cases.choices import Distribution
from cases.models import Clue, CorrelationSuggestion, SuggestionInbox, SuggestionStatus
from cases.selectors import suggestion_list
from cases.services import (
    clue_route,
    clue_update,
    record_grant,
    record_grant_revoke,
    routing_withdraw,
    series_update,
    sharing_group_member_add,
    sharing_group_member_remove,
    suggestion_decide,
)
from tests.cases.installed_triggers import installed_trigger_functions
from tests.casework_fixtures import clues_across_borders
from tests.factories import ClueFactory, SeriesFactory, SharingGroupFactory, UserFactory
from victimid.choices import Role
from victimid.models import Agency, User

pytestmark = pytest.mark.django_db

_SHIFT = 48


def _fresh(user: User) -> User:
    return User.objects.select_related("agency").get(pk=user.pk)


def _suggest(one: Clue, other: Clue) -> CorrelationSuggestion:
    low, high = sorted([one, other], key=lambda clue: clue.pk)
    return CorrelationSuggestion.objects.create(clue_a=low, clue_b=high, score=5.0)


def _entries(suggestion: CorrelationSuggestion) -> dict[int, tuple[str, int]]:
    rows = SuggestionInbox.objects.filter(suggestion_id=suggestion.pk)
    return {row.agency_id: (row.status, row.reach) for row in rows}


def _expected(suggestion: CorrelationSuggestion) -> dict[int, tuple[str, int]]:
    """The entries worked out in Python, from the rule of ``rules.AgencyReach``."""
    suggestion = CorrelationSuggestion.objects.get(pk=suggestion.pk)
    clues = list(Clue.objects.filter(pk__in=[suggestion.clue_a_id, suggestion.clue_b_id]))
    expected = {}
    for agency in Agency.objects.filter(pk__in={clue.agency_id for clue in clues}):
        held = set(agency_keys(agency))
        scores = []
        for clue in clues:
            for keys in (clue.access_keys, clue.series_access_keys):
                if held & set(keys):
                    scores.append(2)
                elif any(KeyKind(one >> _SHIFT) in PERSONAL_KINDS for one in keys):
                    scores.append(1)
                else:
                    scores.append(0)
        expected[agency.pk] = (suggestion.status, min(scores))
    return expected


def _reach(suggestion: CorrelationSuggestion, agency: Agency) -> int:
    entries = _entries(suggestion)
    assert entries == _expected(suggestion)
    assert stale_reach() == {"cases.SuggestionInbox": 0}
    return entries[agency.pk][1]


@pytest.fixture
def pair(actors):
    """The owner's agency-level clue (network series) and a network clue abroad, suggested."""
    mine, theirs = clues_across_borders(actors)
    return mine, theirs, _suggest(mine, theirs)


def _reload(clue: Clue) -> Clue:
    return Clue.objects.get(pk=clue.pk)


def test_a_new_suggestion_gets_one_entry_per_owning_agency(actors, pair):
    mine, theirs, suggestion = pair
    assert _entries(suggestion) == {
        actors.agency.pk: ("open", 2),  # the owner's people may see both
        actors.agency_abroad.pk: ("open", 0),  # nobody abroad may see the owner's clue
    }
    assert _reach(suggestion, actors.agency) == 2
    assert list(suggestion_list(actor=actors.owner)) == [suggestion]
    # The entry's reach is the agency's; the user-level gate still comes first.
    assert list(suggestion_list(actor=actors.unvetted)) == []
    assert list(suggestion_list(actor=actors.admin)) == []
    both_mine = _suggest(theirs, ClueFactory(actor=actors.abroad, series=theirs.series))
    assert _entries(both_mine) == {actors.agency_abroad.pk: ("open", 2)}


@pytest.mark.parametrize("to_whom", ["user", "agency"])
def test_a_grant_on_the_other_clue_and_its_revocation_change_the_reach(actors, pair, to_whom):
    mine, _theirs, suggestion = pair
    holder = {"user": actors.abroad} if to_whom == "user" else {"agency": actors.agency_abroad}
    record_grant(actor=actors.owner, record=mine, **holder)
    # A grant to one person: someone there may see it; to the agency: all of them.
    assert _reach(suggestion, actors.agency_abroad) == (1 if to_whom == "user" else 2)
    assert list(suggestion_list(actor=_fresh(actors.abroad))) == [suggestion]
    # A reach above 0 only lets the suggestion's own rule decide: their colleague there
    # holds no grant of their own.
    colleague = UserFactory(email="colleague@es.example.org", agency=actors.agency_abroad)
    shown = list(suggestion_list(actor=_fresh(colleague)))
    assert shown == ([] if to_whom == "user" else [suggestion])
    record_grant_revoke(actor=actors.owner, record=mine, **holder)
    assert _reach(suggestion, actors.agency_abroad) == 0
    assert list(suggestion_list(actor=_fresh(actors.abroad))) == []


def test_a_clue_s_level_changes_the_reach(actors, pair):
    mine, _theirs, suggestion = pair
    mine = clue_update(
        actor=actors.owner, clue=mine, version=mine.version, distribution=Distribution.NETWORK
    )
    assert _reach(suggestion, actors.agency_abroad) == 2
    clue_update(
        actor=actors.owner, clue=mine, version=mine.version, distribution=Distribution.AGENCY
    )
    assert _reach(suggestion, actors.agency_abroad) == 0


def test_a_series_level_changes_the_reach_through_its_clues(actors, pair):
    mine, _theirs, suggestion = pair
    mine = clue_update(
        actor=actors.owner, clue=mine, version=mine.version, distribution=Distribution.NETWORK
    )
    series = mine.series
    series = series_update(
        actor=actors.owner, series=series, version=series.version, distribution="agency"
    )
    assert _reach(suggestion, actors.agency_abroad) == 0
    assert _reach(suggestion, actors.agency) == 2
    series_update(actor=actors.owner, series=series, version=series.version, distribution="network")
    assert _reach(suggestion, actors.agency_abroad) == 2


def test_a_routing_request_opens_and_closes_the_reach(actors, pair):
    mine, _theirs, suggestion = pair
    (request,) = clue_route(actor=actors.owner, clue=mine, countries=["ES"])
    # The coordinators of Spain may see the clue: one person's key, at any Spanish agency.
    assert _reach(suggestion, actors.agency_abroad) == 1
    assert list(suggestion_list(actor=_fresh(actors.coordinator_abroad))) == [suggestion]
    assert list(suggestion_list(actor=_fresh(actors.abroad))) == []
    routing_withdraw(actor=actors.owner, request=request)
    assert _reach(suggestion, actors.agency_abroad) == 0
    assert list(suggestion_list(actor=_fresh(actors.coordinator_abroad))) == []


def test_joining_and_leaving_a_sharing_group_change_the_reach(actors, pair, task_force):
    mine, _theirs, suggestion = pair
    clue_update(
        actor=actors.owner,
        clue=mine,
        version=mine.version,
        distribution=Distribution.GROUP,
        sharing_group=task_force,
    )
    assert _reach(suggestion, actors.agency_abroad) == 2
    sharing_group_member_remove(
        actor=actors.coordinator, sharing_group=task_force, agency=actors.agency_abroad
    )
    assert _reach(suggestion, actors.agency_abroad) == 0
    assert list(suggestion_list(actor=_fresh(actors.abroad))) == []
    sharing_group_member_add(
        actor=actors.coordinator, sharing_group=task_force, agency=actors.agency_abroad
    )
    assert _reach(suggestion, actors.agency_abroad) == 2
    assert list(suggestion_list(actor=_fresh(actors.abroad))) == [suggestion]


def test_an_agency_s_country_and_permission_group_change_its_reach(actors, pair):
    mine, _theirs, suggestion = pair
    mine = clue_update(
        actor=actors.owner, clue=mine, version=mine.version, distribution=Distribution.COUNTRY
    )
    assert _reach(suggestion, actors.agency_abroad) == 0
    abroad = Agency.objects.get(pk=actors.agency_abroad.pk)
    abroad.country = "NL"
    abroad.save()
    assert _reach(suggestion, abroad) == 2
    assert list(suggestion_list(actor=_fresh(actors.abroad))) == [suggestion]
    abroad.country = "ES"
    abroad.save()
    assert _reach(suggestion, abroad) == 0

    clue_update(
        actor=actors.owner, clue=mine, version=mine.version, distribution=Distribution.AGENCY
    )
    record_grant(actor=actors.owner, record=mine, agency=abroad)
    assert _reach(suggestion, abroad) == 2
    Agency.objects.filter(pk=abroad.pk).update(permission_group=Group.objects.create(name="other"))
    assert _reach(suggestion, abroad) == 0


def test_a_decision_is_copied_to_every_entry(actors, pair):
    mine, _theirs, suggestion = pair
    clue_update(
        actor=actors.owner, clue=mine, version=mine.version, distribution=Distribution.NETWORK
    )
    suggestion_decide(actor=actors.owner, suggestion=suggestion, decision="confirmed")
    assert {status for status, _reach_there in _entries(suggestion).values()} == {"confirmed"}
    assert _reach(suggestion, actors.agency) == 2
    for user in (actors.owner, actors.abroad):
        assert list(suggestion_list(actor=_fresh(user), status="confirmed")) == [suggestion]
        assert list(suggestion_list(actor=_fresh(user), status="open")) == []


def test_a_clue_moved_to_another_agency_moves_the_entry(actors, pair):
    mine, theirs, suggestion = pair
    Clue.objects.filter(pk=mine.pk).update(agency=actors.agency_same_country)
    assert set(_entries(suggestion)) == {actors.agency_same_country.pk, actors.agency_abroad.pk}
    assert _reach(suggestion, actors.agency_same_country) == 2
    Clue.objects.filter(pk=mine.pk).update(agency=theirs.agency)
    assert _entries(suggestion) == {actors.agency_abroad.pk: ("open", 2)}  # its own now
    assert stale_reach() == {"cases.SuggestionInbox": 0}


def test_a_deleted_suggestion_leaves_no_entry(actors, pair):
    _mine, theirs, suggestion = pair
    suggestion.delete()
    assert not SuggestionInbox.objects.exists()
    other = _suggest(theirs, ClueFactory(actor=actors.owner, series=theirs.series))
    assert SuggestionInbox.objects.filter(suggestion=other).count() == 2
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_correlationsuggestion WHERE id = %s", [other.pk])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys checked now
    assert not SuggestionInbox.objects.exists()


def test_the_check_finds_an_entry_left_stale(actors, pair):
    """``stale_reach`` would notice a write the triggers missed (here: written by hand)."""
    _mine, _theirs, suggestion = pair
    assert stale_reach() == {"cases.SuggestionInbox": 0}
    SuggestionInbox.objects.filter(suggestion=suggestion, agency=actors.agency_abroad).update(
        reach=2
    )
    assert stale_reach() == {"cases.SuggestionInbox": 1}
    SuggestionInbox.objects.filter(suggestion=suggestion, agency=actors.agency_abroad).delete()
    assert stale_reach() == {"cases.SuggestionInbox": 1}


def test_the_agency_keys_are_what_every_user_there_holds_and_no_more(actors):
    """The reach's agency keys (SQL) are ``agency_keys`` (Python), and a user holds only
    personal keys beyond them: so any key of another kind on a clue admits all of them."""
    assert set(KeyKind) == AGENCY_KINDS | PERSONAL_KINDS
    assert not AGENCY_KINDS & PERSONAL_KINDS
    granted = ClueFactory(actor=actors.owner, title="Granted socket")
    record_grant(actor=actors.owner, record=granted, user=actors.coordinator_abroad)
    for user in (actors.owner, actors.coordinator, actors.coordinator_abroad, actors.abroad):
        user = _fresh(user)
        own = set(agency_keys(user.agency))
        assert {KeyKind(one >> _SHIFT) for one in own} == AGENCY_KINDS
        assert own <= set(reader_keys(user))
        extra = {KeyKind(one >> _SHIFT) for one in set(reader_keys(user)) - own}
        assert extra <= PERSONAL_KINDS
    sql_keys = re.search(r"CROSS JOIN LATERAL \(SELECT (.*?) AS held\)", reach_install_sql()[0])
    assert sql_keys is not None
    with connection.cursor() as cursor:
        for agency in Agency.objects.all():
            cursor.execute(
                f"SELECT {sql_keys.group(1)} FROM victimid_agency g WHERE g.id = %s",  # noqa: S608
                [agency.pk],
            )
            assert sorted(cursor.fetchone()[0]) == agency_keys(agency), agency


def test_the_list_is_read_through_the_entries_with_a_reach_and_the_suggestion_s_rule():
    """The list's SQL walks the agency's entries that someone there may see (the partial
    index ``suggestion_inbox_reached``) and asks the suggestion's rule of the suggestion
    row it lists, not of a second join to it."""
    from cases.access import policy
    from tests.factories import AgencyFactory

    reader = UserFactory(agency=AgencyFactory(country="NL"))
    sql = str(suggestion_list(actor=_fresh(reader)).query)
    assert '"cases_suggestioninbox"."reach" > 0' in sql
    assert f'"cases_suggestioninbox"."agency_id" = {reader.agency_id}' in sql
    assert sql.count('"cases_correlationsuggestion" ') == 1  # FROM, and nowhere joined again
    assert sql.count('"access_keys" &&') == 4  # both clues, both series
    assert sql.count('"series_access_keys" &&') == 2  # the clues' copies of their series' keys
    rule = policy.visibility_q
    try:
        policy.visibility_q = lambda user, model, prefix="": Q()  # type: ignore[assignment]
        baseline = str(suggestion_list(actor=_fresh(reader)).query)
    finally:
        policy.visibility_q = rule  # type: ignore[assignment]
    # With the policy admitting everything (the benchmark's baseline), the same entries.
    assert '"reach"' not in baseline.split("WHERE")[1]
    assert f'"cases_suggestioninbox"."agency_id" = {reader.agency_id}' in baseline


@pytest.mark.parametrize(
    "follows",
    [
        ("clue", "cases.Clue"),  # a level of its own: the reach would not bound it
        ("suggestion__clue_a", "cases.Clue"),  # not one record by a foreign key
    ],
)
def test_a_reach_over_a_record_it_cannot_bound_is_refused(follows):
    from dataclasses import replace

    from cases.access import keys
    from cases.access.rules import Follows, rule_for

    entries = replace(rule_for("cases.SuggestionInbox"), parents=(Follows(*follows),))
    with pytest.raises(LookupError):
        keys._reached(entries)


def test_the_latest_reach_migration_installed_the_triggers_as_they_are():
    recorded = None
    for path in sorted(Path(cases_migrations.__file__).parent.glob("[0-9]*.py")):
        module = importlib.import_module(f"cases.migrations.{path.stem}")
        recorded = getattr(module, "ACCESS_REACH_FINGERPRINT", recorded)
    assert recorded == reach_fingerprint()
    functions, triggers, always = installed_trigger_functions(reach_install_sql())
    # added, changed, deleted; a clue's keys; an agency's keys — each firing ALWAYS
    assert (len(functions), triggers, always) == (5, 5, 5)


# --- The list against the rule it replaces, on generated data ---------------------------


def _old_list(user: User, status: str) -> set[CorrelationSuggestion]:
    """The list as first defined: suggestions on the agency's clues the reader may see."""
    touching = CorrelationSuggestion.objects.filter(
        Q(clue_a__agency_id=user.agency_id) | Q(clue_b__agency_id=user.agency_id), status=status
    )
    return {suggestion for suggestion in touching if access.can_view(user, suggestion)}


def _generate(actors, task_force, seed: int) -> None:
    """Clues of three agencies at every level, in series at every level, with grants and
    routing requests, and suggestions between them at every status."""
    pick = random.Random(seed)
    levels = [Distribution.AGENCY, Distribution.COUNTRY, Distribution.GROUP, Distribution.NETWORK]
    makers = [actors.owner, actors.same_country, actors.abroad]
    group = SharingGroupFactory(
        actor=actors.coordinator_abroad, name=f"Group {seed}", members=[actors.agency]
    )
    groups = {actors.owner: task_force, actors.same_country: None, actors.abroad: group}
    clues = []
    for number in range(18):
        maker = pick.choice(makers)
        allowed = [level for level in levels if groups[maker] or level != Distribution.GROUP]
        series_level, clue_level = pick.choice(allowed), pick.choice(allowed)
        in_group = {"sharing_group": groups[maker]}
        series = SeriesFactory(
            actor=maker,
            distribution=series_level,
            **(in_group if series_level == Distribution.GROUP else {}),
        )
        clue = ClueFactory(
            actor=maker,
            series=series,
            title=f"Socket {seed}-{number}",
            distribution=clue_level,
            **(in_group if clue_level == Distribution.GROUP else {}),
        )
        roll = pick.random()
        record = clue if pick.random() < 0.7 else series
        others = [user for user in makers if user.agency_id != maker.agency_id]
        if roll < 0.2:
            record_grant(actor=maker, record=record, user=pick.choice(others))
        elif roll < 0.35:
            record_grant(actor=maker, record=record, agency=pick.choice(others).agency)
        elif roll < 0.5:
            country = "ES" if maker.agency.country.code == "NL" else "NL"
            clue_route(actor=maker, clue=clue, countries=[country])
        clues.append(clue)
    for number in range(45):
        one, other = pick.sample(clues, 2)
        suggestion = _suggest(one, other) if not _exists(one, other) else None
        if suggestion is not None and number % 5 == 0:
            CorrelationSuggestion.objects.filter(pk=suggestion.pk).update(
                status=pick.choice([SuggestionStatus.CONFIRMED, SuggestionStatus.REJECTED])
            )


def _exists(one: Clue, other: Clue) -> bool:
    low, high = sorted([one.pk, other.pk])
    return CorrelationSuggestion.objects.filter(clue_a_id=low, clue_b_id=high).exists()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_list_is_the_rule_it_replaces_on_generated_data(actors, task_force, seed):
    _generate(actors, task_force, seed)
    granted = UserFactory(email=f"granted{seed}@es.example.org", agency=actors.agency_abroad)
    somebody_s = Clue.objects.filter(agency=actors.agency, distribution="agency").first()
    if somebody_s is not None:
        record_grant(actor=actors.owner, record=somebody_s, user=granted)
    outsider_agency = Agency.objects.create(name=f"Outsider {seed}", country="FR")
    outsider = UserFactory(email=f"outsider{seed}@fr.example.org", agency=outsider_agency)
    coordinator_nl = UserFactory(
        email=f"coordinator{seed}@nl.example.org", agency=actors.agency, roles=[Role.COORDINATOR]
    )
    readers = [
        actors.owner,
        actors.colleague,
        actors.same_country,
        actors.abroad,
        actors.coordinator,
        actors.coordinator_abroad,
        coordinator_nl,
        granted,
        outsider,
    ]
    assert stale_reach() == {"cases.SuggestionInbox": 0}
    shown = 0
    for reader in map(_fresh, readers):
        for status in SuggestionStatus.values:
            listed = list(suggestion_list(actor=reader, status=status))
            assert set(listed) == _old_list(reader, status), (reader.email, status)
            assert [one.pk for one in listed] == sorted((one.pk for one in listed), reverse=True)
            shown += len(listed)
        assert not [one for one in listed if reader is outsider]
    assert shown > 0  # the data is not so hidden that the comparison says nothing
    # The claim the list rests on: whoever may see a suggestion finds their agency's entry
    # with a reach above 0.
    personal = 0
    for entry in SuggestionInbox.objects.select_related("suggestion"):
        for reader in map(_fresh, readers):
            if reader.agency_id == entry.agency_id and access.can_view(reader, entry.suggestion):
                assert entry.reach > 0, (reader.email, entry)
                personal += entry.reach == 1
    assert personal > 0  # some were admitted only by a personal key
