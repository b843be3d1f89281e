"""Who hears that a child was identified or safeguarded, and when the e-mails leave."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from cases.choices import Distribution, IdentificationEventKind
from cases.services import identification_event_record, series_update
from tests.factories import SeriesFactory, SeriesFollowerFactory, VictimFactory
from victimid.models import Notification, NotificationKind

pytestmark = pytest.mark.django_db

IDENTIFIED = IdentificationEventKind.IDENTIFIED
SAFEGUARDED = IdentificationEventKind.SAFEGUARDED
PROVISIONAL = IdentificationEventKind.PROVISIONALLY_IDENTIFIED
DAY = datetime.date(2026, 11, 1)


def _received(kind):
    return {
        n.recipient.email: (n.subject_type, n.subject_ref, n.message)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def test_owners_and_followers_hear_of_an_identification_after_commit(
    actors, series, django_capture_on_commit_callbacks
):
    victim = VictimFactory(actor=actors.owner, series=[series], distribution=Distribution.NETWORK)
    VictimFactory(actor=actors.owner, series=[series])  # not identified: no "all identified"
    SeriesFollowerFactory(actor=actors.abroad, series=series)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        identification_event_record(
            actor=actors.same_country, victim=victim, kind=IDENTIFIED, occurred_on=DAY
        )
    assert mail.outbox == []  # nothing leaves before the transaction commits
    assert callbacks
    for callback in callbacks:
        callback()
    received = _received(NotificationKind.CHILD_IDENTIFIED)
    # The owning agency's casework users and the follower; not the unvetted colleague,
    # not the recorder's own agency (it is not the owner), never the oversight user.
    assert set(received) == {actors.owner.email, actors.colleague.email, actors.abroad.email}
    expected = (
        f"A child seen in series {series.code} was identified ({victim.code}). "
        f"Identified in {series.code}: 1 of 2 children."
    )
    assert received[actors.owner.email] == ("victim", victim.code, expected)
    # The follower abroad sees only the network-level child: their page says 1 of 1.
    assert received[actors.abroad.email][2].endswith(
        f"Identified in {series.code}: 1 of 1 children."
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(received)
    assert all(series.title not in message.body for message in mail.outbox)


def test_a_recipient_who_cannot_see_the_victim_learns_only_the_series_code(
    actors, series, django_capture_on_commit_callbacks
):
    victim = VictimFactory(actor=actors.owner, series=[series])  # agency level: hidden abroad
    SeriesFollowerFactory(actor=actors.abroad, series=series)
    with django_capture_on_commit_callbacks(execute=True):
        identification_event_record(
            actor=actors.owner,
            victim=victim,
            kind=SAFEGUARDED,
            occurred_on=DAY,
            also_identified=True,
        )
    identified = _received(NotificationKind.CHILD_IDENTIFIED)
    safeguarded = _received(NotificationKind.CHILD_SAFEGUARDED)
    assert set(identified) == set(safeguarded) == {actors.colleague.email, actors.abroad.email}
    assert safeguarded[actors.abroad.email] == (
        "series",
        series.code,
        f"A child seen in series {series.code} was safeguarded. "
        f"Identified in {series.code}: 0 of 0 children.",
    )
    assert victim.code not in " ".join(
        m.body + m.subject for m in mail.outbox if m.to == [actors.abroad.email]
    )
    assert safeguarded[actors.colleague.email][1] == victim.code


def test_a_follower_who_lost_access_hears_nothing(
    actors, series, django_capture_on_commit_callbacks
):
    hidden = SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK)
    victim = VictimFactory(actor=actors.owner, series=[hidden])
    SeriesFollowerFactory(actor=actors.abroad, series=hidden)
    series_update(actor=actors.owner, series=hidden, version=1, distribution=Distribution.AGENCY)
    with django_capture_on_commit_callbacks(execute=True):
        identification_event_record(
            actor=actors.owner, victim=victim, kind=IDENTIFIED, occurred_on=DAY
        )
    assert actors.abroad.email not in _received(NotificationKind.CHILD_IDENTIFIED)


def test_a_provisional_identification_notifies_nobody(actors, series):
    victim = VictimFactory(actor=actors.owner, series=[series])
    identification_event_record(
        actor=actors.colleague, victim=victim, kind=PROVISIONAL, occurred_on=DAY
    )
    assert not Notification.objects.exists()


def test_owners_are_invited_to_mark_the_series_identified_when_every_child_is(
    actors, series, django_capture_on_commit_callbacks
):
    first, second = VictimFactory.create_batch(2, actor=actors.owner, series=[series])
    by_owner = {"actor": actors.owner, "occurred_on": DAY}
    identification_event_record(victim=first, kind=IDENTIFIED, **by_owner)
    assert not Notification.objects.filter(kind=NotificationKind.SERIES_ALL_IDENTIFIED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        identification_event_record(victim=second, kind=IDENTIFIED, **by_owner)
    invited = _received(NotificationKind.SERIES_ALL_IDENTIFIED)
    assert set(invited) == {actors.owner.email, actors.colleague.email}
    assert invited[actors.owner.email][2] == (
        f"Every child known in series {series.code} is now identified (2 of 2). "
        "Consider marking the series identified."
    )
    # Safeguarding afterwards does not invite again.
    identification_event_record(victim=second, kind=SAFEGUARDED, **by_owner)
    assert Notification.objects.filter(kind=NotificationKind.SERIES_ALL_IDENTIFIED).count() == 2


def test_the_invitation_follows_the_children_its_reader_can_see(
    actors, series, django_capture_on_commit_callbacks
):
    # A child of another agency, hidden from the owners, is not identified: their series
    # page counts only the children they can see, and so does the invitation.
    mine = VictimFactory(actor=actors.owner, series=[series])
    VictimFactory(actor=actors.abroad, series=[series])  # agency level at the agency abroad
    with django_capture_on_commit_callbacks(execute=True):
        identification_event_record(
            actor=actors.owner, victim=mine, kind=IDENTIFIED, occurred_on=DAY
        )
    invited = _received(NotificationKind.SERIES_ALL_IDENTIFIED)
    assert set(invited) == {actors.owner.email, actors.colleague.email}
    from cases.selectors.victims import series_identification_summary

    summary = series_identification_summary(actor=actors.colleague, series=series)
    assert (summary["identified"], summary["children"]) == (1, 1)
    assert "(1 of 1)" in invited[actors.colleague.email][2]
