"""Victim services: the order rules of the log, corrections, status and summaries in SQL."""

from __future__ import annotations

import datetime
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases.choices import AgeBand, Distribution, IdentificationEventKind, VictimStatus
from cases.exceptions import VersionConflict
from cases.models import IdentificationEvent, Victim
from cases.selectors.victims import (
    series_identification_counts_of,
    series_identification_summary,
    victim_events,
    victims_visible,
)
from cases.services.victims import (
    identification_event_record,
    victim_create,
    victim_update,
)
from tests.factories import IdentificationEventFactory, SeriesFactory, VictimFactory
from victimid import audit_actions
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

IDENTIFIED = IdentificationEventKind.IDENTIFIED
SAFEGUARDED = IdentificationEventKind.SAFEGUARDED
PROVISIONAL = IdentificationEventKind.PROVISIONALLY_IDENTIFIED
REFERRED = IdentificationEventKind.REFERRED
FOLLOW_UP = IdentificationEventKind.FOLLOW_UP
CORRECTION = IdentificationEventKind.CORRECTION
# The day events happen on, where the test does not care which.
DAY = datetime.date(2026, 11, 1)


@pytest.fixture
def victim(actors, series):
    return VictimFactory(
        actor=actors.owner,
        series=[series],
        age_band=AgeBand.AGE_7_10,
        distribution=Distribution.NETWORK,
    )


def _status(actor, victim):
    return victims_visible(actor=actor).get(pk=victim.pk).current_status


def test_a_new_victim_gets_a_code_and_is_not_yet_identified(actors, victim):
    assert victim.code.startswith("VIC-") and len(victim.code) == len("VIC-2026-000001")
    assert _status(actors.owner, victim) == VictimStatus.UNIDENTIFIED
    assert AuditEvent.objects.filter(
        action=audit_actions.VICTIM_CREATED, target_id=str(victim.pk)
    ).exists()


def test_safeguarding_needs_an_identification_first(actors, victim):
    with pytest.raises(ValidationError) as refused:
        identification_event_record(
            actor=actors.owner, victim=victim, kind=SAFEGUARDED, occurred_on=DAY
        )
    assert "identification first" in str(refused.value)
    assert not IdentificationEvent.objects.exists()


def test_identified_and_safeguarded_may_be_recorded_together(actors, victim):
    events = identification_event_record(
        actor=actors.owner,
        victim=victim,
        kind=SAFEGUARDED,
        occurred_on=datetime.date(2026, 3, 1),
        also_identified=True,
    )
    assert [event.kind for event in events] == [IDENTIFIED, SAFEGUARDED]
    assert _status(actors.owner, victim) == VictimStatus.SAFEGUARDED


def test_the_event_stores_the_acting_agency_and_country(actors, victim):
    [event] = identification_event_record(
        actor=actors.abroad, victim=victim, kind=IDENTIFIED, occurred_on=DAY
    )
    assert event.agency == actors.agency_abroad
    assert event.country.code == "ES"
    assert event.recorded_by == actors.abroad


@pytest.mark.parametrize(
    ("kind", "fields", "field", "reason"),
    [
        (REFERRED, {}, "support_service", "kind of support service"),
        (IDENTIFIED, {"support_service": "medical"}, "support_service", "only with a referral"),
        (FOLLOW_UP, {}, "kind", "identification first"),
        ("dancing", {}, "kind", "Unknown kind"),
        (CORRECTION, {}, "corrects", "Choose the event of this child"),
        (IDENTIFIED, {"also_identified": True}, "also_identified", "only with a safeguarding"),
        (IDENTIFIED, {"note": "call me at +31 6 1234 5678"}, "note", "telephone"),
    ],
)
def test_invalid_events_are_refused_with_the_reason(actors, victim, kind, fields, field, reason):
    with pytest.raises(ValidationError) as refused:
        identification_event_record(
            actor=actors.owner, victim=victim, kind=kind, occurred_on=DAY, **fields
        )
    assert field in refused.value.message_dict
    assert reason in " ".join(refused.value.message_dict[field])
    assert not IdentificationEvent.objects.exists()


def test_a_date_in_the_future_is_refused(actors, victim):
    in_two_days = datetime.date.today() + datetime.timedelta(2)
    with pytest.raises(ValidationError) as refused:
        identification_event_record(
            actor=actors.owner, victim=victim, kind=IDENTIFIED, occurred_on=in_two_days
        )
    assert "future" in str(refused.value)


def test_a_child_is_identified_once_and_safeguarded_once(actors, victim):
    # The service under test, for this child, by its owner, on one day (unless said otherwise).
    record = partial(
        identification_event_record, actor=actors.owner, victim=victim, occurred_on=DAY
    )
    record(kind=PROVISIONAL)
    assert _status(actors.owner, victim) == VictimStatus.PROVISIONALLY_IDENTIFIED
    record(kind=IDENTIFIED)
    with pytest.raises(ValidationError, match="already identified"):
        record(kind=IDENTIFIED)
    with pytest.raises(ValidationError, match="before the identification"):
        record(kind=SAFEGUARDED, occurred_on=datetime.date(2020, 1, 1))
    record(kind=SAFEGUARDED)
    with pytest.raises(ValidationError, match="already recorded as safeguarded"):
        record(kind=SAFEGUARDED)
    record(kind=REFERRED, support_service="psychological")
    record(kind=FOLLOW_UP)
    assert _status(actors.owner, victim) == VictimStatus.SAFEGUARDED


def test_a_correction_undoes_the_event_which_stays_visible_marked(actors, victim):
    identified = IdentificationEventFactory(victim=victim, kind=IDENTIFIED)
    safeguarded = IdentificationEventFactory(victim=victim, kind=SAFEGUARDED)
    # The service under test, for this child, by its owner, on one day.
    record = partial(
        identification_event_record, actor=actors.owner, victim=victim, occurred_on=DAY
    )
    with pytest.raises(ValidationError, match="Correct the safeguarding first"):
        record(kind=CORRECTION, corrects=identified, note="Wrong child")
    with pytest.raises(ValidationError, match="needs a note"):
        record(kind=CORRECTION, corrects=safeguarded)
    record(kind=CORRECTION, corrects=safeguarded, note="Entered too early")
    assert _status(actors.owner, victim) == VictimStatus.IDENTIFIED
    [correction] = record(kind=CORRECTION, corrects=identified, note="Wrong child")
    assert _status(actors.owner, victim) == VictimStatus.UNIDENTIFIED
    with pytest.raises(ValidationError, match="already corrected"):
        record(kind=CORRECTION, corrects=identified, note="Again")
    with pytest.raises(ValidationError, match="cannot itself be corrected"):
        record(kind=CORRECTION, corrects=correction, note="Oops")
    log = {
        event.pk: event.is_corrected for event in victim_events(actor=actors.owner, victim=victim)
    }
    assert log[identified.pk] and log[safeguarded.pk] and not log[correction.pk]
    # Identified again after the mistake: the rules look only at events that stand.
    record(kind=IDENTIFIED)
    assert _status(actors.owner, victim) == VictimStatus.IDENTIFIED


def test_a_correction_of_another_childs_event_is_refused(actors, series, victim):
    other = VictimFactory(actor=actors.owner, series=[series])
    event = IdentificationEventFactory(victim=other, kind=IDENTIFIED)
    with pytest.raises(ValidationError, match="Choose an event of this child"):
        identification_event_record(
            actor=actors.owner,
            victim=victim,
            kind=CORRECTION,
            occurred_on=DAY,
            corrects=event,
            note="x",
        )


def test_only_the_recording_agency_or_the_owner_corrects(actors, victim):
    event = IdentificationEventFactory(actor=actors.abroad, victim=victim, kind=IDENTIFIED)
    correction = {"victim": victim, "kind": CORRECTION, "occurred_on": DAY, "corrects": event}
    with pytest.raises(PermissionDenied):
        identification_event_record(actor=actors.same_country, note="Not so", **correction)
    identification_event_record(actor=actors.owner, note="Not so", **correction)


def test_a_stale_version_is_refused_and_nothing_changes(actors, victim):
    updated = victim_update(actor=actors.owner, victim=victim, version=1, age_band="3-6")
    assert updated.version == 2
    with pytest.raises(VersionConflict) as conflict:
        victim_update(actor=actors.owner, victim=victim, version=1, age_band="11-13")
    assert conflict.value.current_version == 2
    assert Victim.objects.get(pk=victim.pk).age_band == "3-6"


def test_only_the_owning_agency_changes_a_victim(actors, victim):
    with pytest.raises(PermissionDenied):
        victim_update(actor=actors.abroad, victim=victim, version=1, age_band="3-6")


def test_relinking_keeps_links_to_series_the_editor_cannot_see(actors, series):
    hidden = SeriesFactory(actor=actors.abroad)
    victim = VictimFactory(
        actor=actors.abroad, series=[series, hidden], distribution=Distribution.NETWORK
    )
    victim.agency = actors.agency  # hand it over: the NL owner edits, yet cannot see `hidden`
    # No service hands a victim to another agency: the new owner is written directly.
    Victim.objects.filter(pk=victim.pk).update(agency=actors.agency, owner_country="NL")
    other = SeriesFactory(actor=actors.owner)
    victim_update(actor=actors.owner, victim=victim, version=1, series=[other])
    assert set(victim.series.values_list("pk", flat=True)) == {other.pk, hidden.pk}


def test_the_series_summary_and_durations_come_from_the_log(actors, series):
    first, second, _third = VictimFactory.create_batch(3, actor=actors.owner, series=[series])
    IdentificationEventFactory(victim=first, occurred_on=datetime.date(2025, 2, 9))
    IdentificationEventFactory(
        victim=first, kind=SAFEGUARDED, occurred_on=datetime.date(2025, 2, 12)
    )
    IdentificationEventFactory(victim=second, occurred_on=datetime.date(2025, 6, 1))
    summary = series_identification_summary(actor=actors.owner, series=series)
    assert summary == {
        "series_code": series.code,
        "children": 3,
        "identified": 2,
        "safeguarded": 1,
        "provisionally_identified": 0,
        "not_identified": 1,
        "first_identified_on": datetime.date(2025, 2, 9),
        "all_identified": False,
    }


def test_the_summary_counts_only_children_the_reader_may_see(actors, series):
    VictimFactory(actor=actors.owner, series=[series], distribution=Distribution.NETWORK)
    VictimFactory(actor=actors.owner, series=[series])  # agency level: hidden from abroad
    assert series_identification_summary(actor=actors.abroad, series=series)["children"] == 1
    assert series_identification_summary(actor=actors.owner, series=series)["children"] == 2


def test_the_counts_grouped_by_series_are_the_summary_of_each_series(actors):
    harbour, attic, empty = (
        SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK) for _ in range(3)
    )
    hidden = SeriesFactory(actor=actors.owner)  # agency level: hidden from abroad
    in_both = VictimFactory(
        actor=actors.owner, series=[harbour, attic], distribution=Distribution.NETWORK
    )
    IdentificationEventFactory(victim=in_both, kind=IDENTIFIED, occurred_on=DAY)
    IdentificationEventFactory(victim=in_both, kind=SAFEGUARDED, occurred_on=DAY)
    provisional = VictimFactory(actor=actors.owner, series=[harbour])  # agency level
    IdentificationEventFactory(victim=provisional, kind=PROVISIONAL, occurred_on=DAY)
    identified = VictimFactory(
        actor=actors.owner, series=[attic, hidden], distribution=Distribution.NETWORK
    )
    IdentificationEventFactory(victim=identified, kind=IDENTIFIED, occurred_on=DAY)
    VictimFactory(actor=actors.owner, series=[harbour], distribution=Distribution.NETWORK)
    # Safeguarded by mistake and corrected: identified, not safeguarded; and an
    # identification corrected away: neither (a correction stops an event standing).
    corrected = VictimFactory(
        actor=actors.owner, series=[harbour, attic], distribution=Distribution.NETWORK
    )
    IdentificationEventFactory(victim=corrected, kind=IDENTIFIED, occurred_on=DAY)
    wrong = IdentificationEventFactory(victim=corrected, kind=SAFEGUARDED, occurred_on=DAY)
    IdentificationEventFactory(
        victim=corrected, kind=CORRECTION, corrects=wrong, note="Wrong child", occurred_on=DAY
    )
    withdrawn = VictimFactory(actor=actors.owner, series=[attic], distribution=Distribution.NETWORK)
    mistaken = IdentificationEventFactory(victim=withdrawn, kind=IDENTIFIED, occurred_on=DAY)
    IdentificationEventFactory(
        victim=withdrawn, kind=CORRECTION, corrects=mistaken, note="Not her", occurred_on=DAY
    )

    for reader in (actors.owner, actors.abroad):
        counts = series_identification_counts_of(
            actor=reader, series_ids=[harbour.pk, attic.pk, empty.pk]
        )
        for series in (harbour, attic, empty):
            summary = series_identification_summary(actor=reader, series=series)
            expected = (summary["children"], summary["identified"], summary["safeguarded"])
            assert counts.get(series.pk, (0, 0, 0)) == expected
    assert series_identification_counts_of(actor=actors.owner, series_ids=[harbour.pk]) == {
        harbour.pk: (4, 2, 1)
    }
    assert series_identification_counts_of(actor=actors.abroad, series_ids=[harbour.pk]) == {
        harbour.pk: (3, 2, 1)
    }
    assert series_identification_counts_of(actor=actors.abroad, series_ids=[attic.pk]) == {
        attic.pk: (4, 3, 1)
    }
    assert series_identification_counts_of(actor=actors.owner, series_ids=[]) == {}


def test_over_long_notes_are_refused_by_the_services_too(actors, series, victim):
    with pytest.raises(ValidationError) as refused:
        victim_create(actor=actors.owner, series=[series], notes="x" * 2001)
    assert "notes" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        identification_event_record(
            actor=actors.owner, victim=victim, kind=IDENTIFIED, occurred_on=DAY, note="y" * 2001
        )
    assert "note" in refused.value.message_dict
    assert Victim.objects.count() == 1 and not IdentificationEvent.objects.exists()


def test_a_victim_hidden_from_the_recorder_answers_not_found(actors, series):
    from django.http import Http404

    hidden = VictimFactory(actor=actors.owner, series=[series])  # agency level
    with pytest.raises(Http404):
        identification_event_record(
            actor=actors.abroad, victim=hidden, kind=IDENTIFIED, occurred_on=DAY
        )


def test_readers_without_casework_access_get_nothing(actors, series, victim):
    from django.contrib.auth.models import AnonymousUser

    for reader in (AnonymousUser(), actors.oversight, actors.unvetted, actors.admin):
        assert list(victims_visible(actor=reader)) == []
