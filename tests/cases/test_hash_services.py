"""Adding known hashes: validation, all or nothing, deconfliction."""

from __future__ import annotations

import base64

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.exceptions import HashConflict
from cases.models import DeconflictionNotice, KnownHash
from cases.services import MAX_HASHES_PER_REQUEST, known_hashes_add
from tests.factories import KnownHashFactory, SeriesFactory
from victimid.models import AuditEvent

pytestmark = pytest.mark.django_db

MD5 = "D41D8CD98F00B204E9800998ECF8427E"
PHOTODNA = base64.b64encode(bytes(range(144))).decode()


def test_it_normalises_and_adds_all_entries(actors, series):
    added = known_hashes_add(
        actor=actors.owner,
        series=series,
        entries=[
            {"algorithm": "md5", "value": MD5, "vics_category": 1},
            {"algorithm": "photodna", "value": PHOTODNA, "distributed": True},
            {"algorithm": "sha1", "value": "a" * 40},
        ],
    )
    assert len(added) == 3
    assert KnownHash.objects.get(algorithm="md5").value == MD5.lower()
    assert KnownHash.objects.get(algorithm="photodna").value == PHOTODNA
    assert KnownHash.objects.get(algorithm="photodna").distributed is True
    event = AuditEvent.objects.get(action="hashes.added")
    assert event.details["count"] == 3


@pytest.mark.parametrize(
    "entry,problem",
    [
        ({"algorithm": "md5", "value": "abc"}, "32 hex digits"),
        ({"algorithm": "sha256", "value": "z" * 64}, "hexadecimal"),
        ({"algorithm": "crc32", "value": "abcd1234"}, "Unknown algorithm"),
        ({"algorithm": "photodna", "value": "AAAA"}, "144"),
        ({"algorithm": "md5", "value": MD5, "vics_category": 9}, "VICS"),
        ({"algorithm": "md5", "value": MD5, "distributed": "yes"}, "distributed"),
        ("md5:" + MD5, "object"),
    ],
)
def test_one_bad_entry_refuses_the_whole_request(actors, series, entry, problem):
    good = {"algorithm": "sha1", "value": "b" * 40}
    with pytest.raises(ValidationError) as caught:
        known_hashes_add(actor=actors.owner, series=series, entries=[good, entry])
    messages = caught.value.message_dict["entries"]
    assert messages[0].startswith("Entry 1:")
    assert problem in messages[0]
    assert not KnownHash.objects.exists()


def test_the_same_value_twice_in_a_request_is_named(actors, series):
    entries = [{"algorithm": "md5", "value": MD5}, {"algorithm": "md5", "value": MD5.lower()}]
    with pytest.raises(ValidationError) as caught:
        known_hashes_add(actor=actors.owner, series=series, entries=entries)
    assert "twice" in caught.value.message_dict["entries"][0]


def test_a_value_already_in_the_same_series_is_named(actors, series):
    KnownHashFactory(series=series, value=MD5)
    with pytest.raises(ValidationError) as caught:
        known_hashes_add(
            actor=actors.owner,
            series=series,
            entries=[{"algorithm": "sha1", "value": "c" * 40}, {"algorithm": "md5", "value": MD5}],
        )
    assert caught.value.message_dict["entries"] == [
        "Entry 1: this value is already in this series."
    ]
    assert KnownHash.objects.count() == 1


def test_more_than_the_limit_is_refused_before_any_work(actors, series):
    entries = [{"algorithm": "md5", "value": MD5}] * (MAX_HASHES_PER_REQUEST + 1)
    with pytest.raises(ValidationError) as caught:
        known_hashes_add(actor=actors.owner, series=series, entries=entries)
    assert "10000" in caught.value.message_dict["entries"][0]


def test_ten_thousand_values_take_a_handful_of_queries(actors, series):
    entries = [{"algorithm": "sha256", "value": f"{i:064x}"} for i in range(10_000)]
    with CaptureQueriesContext(connection) as queries:
        added = known_hashes_add(actor=actors.owner, series=series, entries=entries)
    assert len(added) == 10_000
    assert len(queries) < 25


def test_a_value_in_another_series_conflicts_and_both_owners_are_told(actors, series):
    KnownHashFactory(series=series, value=MD5)
    theirs = SeriesFactory(actor=actors.abroad, title="Harbour")
    with pytest.raises(HashConflict) as caught:
        known_hashes_add(
            actor=actors.abroad,
            series=theirs,
            entries=[{"algorithm": "sha1", "value": "d" * 40}, {"algorithm": "md5", "value": MD5}],
        )
    # The owner's series is network-level, so the requester may learn its code.
    assert caught.value.conflicts == [
        {"index": 1, "algorithm": "md5", "value": MD5.lower(), "series": series.code}
    ]
    assert not KnownHash.objects.filter(series=theirs).exists()
    notice = DeconflictionNotice.objects.get()
    assert notice.existing_agency == actors.agency
    assert notice.requesting_agency == actors.agency_abroad
    assert notice.existing_series == series and notice.requesting_series == theirs
    assert AuditEvent.objects.filter(action="deconfliction.recorded").exists()


def test_a_conflict_with_a_hidden_series_does_not_name_it(actors):
    hidden = SeriesFactory(actor=actors.owner, title="Hidden")
    KnownHashFactory(series=hidden, value=MD5)
    theirs = SeriesFactory(actor=actors.abroad, title="Harbour")
    with pytest.raises(HashConflict) as caught:
        known_hashes_add(
            actor=actors.abroad, series=theirs, entries=[{"algorithm": "md5", "value": MD5}]
        )
    assert caught.value.conflicts == [{"index": 0, "algorithm": "md5", "value": MD5.lower()}]
    assert DeconflictionNotice.objects.filter(existing_agency=actors.agency).exists()


def test_only_the_owning_agency_adds_hashes(actors, series):
    with pytest.raises(PermissionDenied):
        known_hashes_add(
            actor=actors.abroad, series=series, entries=[{"algorithm": "md5", "value": MD5}]
        )
