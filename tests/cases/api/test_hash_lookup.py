"""POST /api/v1/hashes/lookup: known (with what the asker may see), known restricted, new."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import Distribution
from cases.models import Claim, KnownHash, RestrictedLookupNotice
from cases.services import claim_set, claim_withdraw
from tests.conftest import api_client_for
from tests.factories import (
    IdentificationEventFactory,
    KnownHashFactory,
    SeriesFactory,
    VictimFactory,
)
from victimid.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

URL = "/api/v1/hashes/lookup"
MD5_SHARED = "a" * 32
MD5_HIDDEN = "b" * 32
SHA1_SHARED = "c" * 40
PHOTODNA = "A" * 192


@pytest.fixture
def known(actors):
    shared = SeriesFactory(
        actor=actors.owner, title="Harbour lights", distribution=Distribution.NETWORK
    )
    hidden = SeriesFactory(actor=actors.owner, title="Quiet attic")  # agency level
    KnownHashFactory(series=shared, value=MD5_SHARED, vics_category=1)
    KnownHashFactory(series=shared, algorithm="sha1", value=SHA1_SHARED)
    KnownHashFactory(series=hidden, value=MD5_HIDDEN)
    victim = VictimFactory(actor=actors.owner, series=[shared], distribution=Distribution.NETWORK)
    IdentificationEventFactory(
        actor=actors.owner, victim=victim, kind="safeguarded", also_identified=True
    )
    return shared, hidden


def _lookup(user, values, **extra):
    return api_client_for(user).post(URL, {"values": values, **extra}, format="json")


def test_a_visible_value_names_its_series_identification_and_agencies(actors, known):
    shared, _hidden = known
    actors.agency.contact_point = "+31 70 000 0000"
    actors.agency.save()

    response = _lookup(actors.abroad, [MD5_SHARED.upper()])

    assert response.status_code == 200, response.content
    [answer] = response.json()["results"]
    assert answer["status"] == "known"
    assert answer["algorithm"] == "md5"
    assert answer["vics_category"] == 1
    assert answer["series"]["code"] == shared.code
    assert answer["series"]["title"] == "Harbour lights"
    assert answer["series"]["status"] == "active"
    assert answer["series"]["identification"] == {"children": 1, "identified": 1, "safeguarded": 1}
    assert answer["series"]["agencies"] == [
        _entry("Owning Agency", "NL", "+31 70 000 0000", "owner")
    ]


LATER = timezone.localdate() + datetime.timedelta(days=30)


def _entry(name, country, contact_point, role):
    return {"name": name, "country": country, "contact_point": contact_point, "role": role}


def _agencies(user, value):
    response = _lookup(user, [value])
    assert response.status_code == 200, response.content
    [answer] = response.json()["results"]
    return answer["series"]["agencies"]


def test_an_active_claim_of_another_agency_is_listed_with_its_contact(actors, known):
    shared, _hidden = known
    actors.agency.contact_point = "+31 70 000 0000"
    actors.agency.save()
    claim_set(actor=actors.abroad, series=shared, contact="ES VID desk", expires_on=LATER)
    claim_set(actor=actors.same_country, series=shared, contact="NL-2 desk", expires_on=LATER)

    for reader in (actors.abroad, actors.owner, actors.same_country):
        assert _agencies(reader, MD5_SHARED) == [
            _entry("Owning Agency", "NL", "+31 70 000 0000", "owner"),
            _entry("Agency Abroad", "ES", "ES VID desk", "claim"),
            _entry("Neighbour Agency", "NL", "NL-2 desk", "claim"),
        ]


def test_the_owner_is_listed_once_with_its_own_claims_contact(actors, known):
    shared, _hidden = known
    claim_set(actor=actors.owner, series=shared, contact="Lighthouse team", expires_on=LATER)

    assert _agencies(actors.abroad, MD5_SHARED) == [
        _entry("Owning Agency", "NL", "Lighthouse team", "owner")
    ]


def test_expired_and_withdrawn_claims_are_not_listed(actors, known):
    shared, _hidden = known
    claim_set(actor=actors.abroad, series=shared, contact="ES VID desk", expires_on=LATER)
    claim_withdraw(actor=actors.abroad, series=shared)
    Claim.objects.create(
        series=shared,
        agency=actors.agency_same_country,
        contact="NL-2 desk",
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
        created_by=actors.same_country,
    )

    agencies = _agencies(actors.owner, MD5_SHARED)

    assert [agency["name"] for agency in agencies] == ["Owning Agency"]
    assert [agency["role"] for agency in agencies] == ["owner"]


def test_a_restricted_answer_names_no_agency_even_when_claimed(actors, known):
    _shared, hidden = known
    claim_set(actor=actors.owner, series=hidden, contact="Attic team", expires_on=LATER)

    response = _lookup(actors.abroad, [MD5_HIDDEN])

    assert response.status_code == 200
    assert response.json()["results"] == [{"value": MD5_HIDDEN, "status": "known_restricted"}]
    body = response.content.decode()
    for secret in ("Owning Agency", "Attic team", "agencies", "claim", hidden.code):
        assert secret not in body


def test_the_restricted_answer_carries_nothing_but_value_and_status(actors, known):
    _shared, hidden = known

    response = _lookup(actors.abroad, [MD5_HIDDEN])

    assert response.status_code == 200
    [answer] = response.json()["results"]
    assert answer == {"value": MD5_HIDDEN, "status": "known_restricted"}
    body = response.content.decode()
    for secret in (hidden.code, hidden.title, "Owning Agency", "md5", "vics"):
        assert secret not in body
    assert response.json()["counts"] == {"known": 0, "known_restricted": 1, "new": 0}


def test_the_owner_is_told_once_a_day_who_asked(actors, known):
    _shared, hidden = known
    actors.agency_abroad.contact_point = "duty@es.example.org"
    actors.agency_abroad.save()

    _lookup(actors.abroad, [MD5_HIDDEN])
    _lookup(actors.abroad, [MD5_HIDDEN])  # the same day: no second notice

    notice = RestrictedLookupNotice.objects.get()
    assert (notice.asking_agency_id, notice.series_id) == (actors.agency_abroad.pk, hidden.pk)
    assert notice.day == timezone.now().date()
    told = Notification.objects.filter(subject_ref=hidden.code)
    assert {n.recipient_id for n in told} == {actors.owner.pk, actors.colleague.pk}
    message = told.first().message
    assert "Agency Abroad" in message and "duty@es.example.org" in message
    assert actors.abroad.email in message
    # The asker is told nothing about the series.
    assert not Notification.objects.filter(recipient=actors.abroad).exists()


def test_the_database_refuses_a_second_notice_the_same_day(actors, known):
    _shared, hidden = known
    fields = {
        "asking_agency": actors.agency_abroad,
        "asked_by": actors.abroad,
        "series": hidden,
        "day": timezone.now().date(),
        "value_count": 1,
    }
    RestrictedLookupNotice.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        RestrictedLookupNotice.objects.create(**fields)


def test_new_values_and_inferred_algorithms(actors, known):
    response = _lookup(
        actors.owner,
        ["d" * 32, SHA1_SHARED, {"value": "e" * 64, "algorithm": "pdq"}, "f" * 64, PHOTODNA],
    )

    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["new", "known", "new", "new", "new"]
    assert results[0]["algorithm"] == "md5"
    assert results[2]["algorithm"] == "pdq"
    assert results[3]["algorithm"] is None  # 64 hex digits: SHA-256 or PDQ, both looked up
    assert results[4]["algorithm"] == "photodna"


def test_a_lookup_adds_nothing_and_audits_counts_not_values(actors, known):
    before = KnownHash.objects.count()

    _lookup(actors.abroad, [MD5_SHARED, MD5_HIDDEN, "9" * 32])

    assert KnownHash.objects.count() == before
    event = AuditEvent.objects.get(action="hashes.looked_up")
    assert event.details == {"values": 3, "known": 1, "known_restricted": 1, "new": 1}
    every_detail = str(list(AuditEvent.objects.values_list("details", flat=True)))
    assert MD5_HIDDEN not in every_detail and "9" * 32 not in every_detail


def test_bad_values_are_refused_with_their_position(actors, known):
    response = _lookup(
        actors.owner, ["d" * 32, "not a hash", {"value": "1" * 32, "algorithm": "sha1"}]
    )

    assert response.status_code == 400
    messages = response.json()["error"]["fields"]["values"]
    assert any("Entry 1" in message for message in messages)
    assert any("Entry 2" in message for message in messages)


def test_more_than_ten_thousand_values_are_refused(actors):
    response = _lookup(actors.owner, ["d" * 32] * 10_001)

    assert response.status_code == 413


def test_the_number_of_queries_does_not_grow_with_the_values(actors, known):
    client = api_client_for(actors.abroad)

    def count(values):
        with CaptureQueriesContext(connection) as queries:
            assert client.post(URL, {"values": values}, format="json").status_code == 200
        return len(queries)

    count([MD5_SHARED])  # the first request of a token records its use
    few = count([MD5_SHARED, "1" * 32])
    many = count([MD5_SHARED, SHA1_SHARED, *(f"{n:032x}" for n in range(2000))])
    assert many == few


def test_the_number_of_queries_does_not_grow_with_the_series_or_their_claims(actors, known):
    shared, _hidden = known
    others = [
        SeriesFactory(actor=actors.owner, distribution=Distribution.NETWORK) for _ in range(3)
    ]
    values = [f"{n + 1:x}" * 32 for n in range(3)]
    for series, value in zip(others, values, strict=True):
        KnownHashFactory(series=series, value=value)
        VictimFactory(actor=actors.owner, series=[series], distribution=Distribution.NETWORK)
        claim_set(actor=actors.abroad, series=series, contact="ES VID desk", expires_on=LATER)
    client = api_client_for(actors.abroad)

    def count(lookup_values):
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL, {"values": lookup_values}, format="json")
        assert response.status_code == 200
        return len(queries), response.json()["results"]

    count([MD5_SHARED])  # the first request of a token records its use
    one, _answers = count([MD5_SHARED])
    four, answers = count([MD5_SHARED, *values])
    assert four == one
    assert [len(answer["series"]["agencies"]) for answer in answers] == [1, 2, 2, 2]
