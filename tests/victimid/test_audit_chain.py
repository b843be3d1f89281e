"""The audit trail is one hash chain with signed checkpoints: a rewrite, a removal in the
middle or at the tail, and a forged checkpoint are all found, even by a superuser's hand."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test import override_settings

from tests.conftest import api_client_for
from victimid import audit_actions
from victimid.audit_chain import GENESIS_HASH, canonical_json, event_hash, hash_of
from victimid.models import AuditEvent
from victimid.selectors.audit_chain import audit_chain_verify
from victimid.services.audit import audit_checkpoint_write, audit_record
from victimid.tasks import verify_audit_chain, write_audit_checkpoint

pytestmark = pytest.mark.django_db


def _write(count: int, actor=None) -> list[AuditEvent]:
    return [audit_record(actor=actor, action="test.row", details={"n": n}) for n in range(count)]


def _as_superuser(sql: str, params: list) -> None:
    """What a database superuser can do: set the append-only trigger aside and change rows."""
    with connection.cursor() as cursor:
        # Fire this test's deferred foreign-key checks first: PostgreSQL refuses to alter
        # a table with pending trigger events.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE victimid_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE victimid_auditevent ENABLE TRIGGER USER")


def test_events_are_numbered_without_gaps_and_each_follows_the_one_before(actors):
    events = _write(5, actors.owner)
    assert [e.sequence for e in events] == list(range(1, 6))
    previous = GENESIS_HASH
    for event in AuditEvent.objects.order_by("sequence"):
        assert event.chain_hash == hash_of(event, previous)
        previous = event.chain_hash
    report = audit_chain_verify()
    assert report.intact and report.checked == 5 and report.head_sequence == 5


def test_the_canonical_content_is_exactly_the_documented_json():
    moment = datetime(2026, 1, 2, 3, 4, 5, 60, tzinfo=UTC)
    text = (
        '{"action":"clue.viewed","actor":7,"actor_agency":3,"actor_email":"a@b.example",'
        '"details":{"a":[1,"\\u00e9"],"z":true},"occurred_at":"2026-01-02T03:04:05.000060Z",'
        '"outcome":"success","previous_hash":"' + GENESIS_HASH + '","request_id":"r1",'
        '"sequence":1,"source_ip":"10.0.0.1","target_id":"42","target_type":"cases.clue"}'
    )
    assert (
        event_hash(
            previous_hash=GENESIS_HASH,
            sequence=1,
            occurred_at=moment,
            actor_id=7,
            actor_email="a@b.example",
            actor_agency_id=3,
            action="clue.viewed",
            target_type="cases.clue",
            target_id="42",
            outcome="success",
            source_ip="::ffff:10.0.0.1",
            request_id="r1",
            details={"z": True, "a": [1, "é"]},
        )
        == hashlib.sha256(text.encode("ascii")).hexdigest()
    )
    assert canonical_json({"b": 1, "a": "\U0001f600"}) == b'{"a":"\\ud83d\\ude00","b":1}'


def test_text_postgresql_cannot_store_is_replaced_and_the_chain_still_verifies(actors):
    audit_record(actor=actors.owner, action="test.row", details={"q": "nul\x00 and \ud800"})
    event = AuditEvent.objects.get()
    assert "\x00" not in event.details["q"]
    assert audit_chain_verify().intact


def test_verification_fails_at_exactly_the_row_a_superuser_altered(actors):
    events = _write(6, actors.owner)
    altered = events[3]
    _as_superuser(
        "UPDATE victimid_auditevent SET target_id = 'someone-else' WHERE id = %s", [altered.pk]
    )
    report = audit_chain_verify()
    assert not report.intact
    assert report.broken_sequence == altered.sequence
    assert report.checked == 3
    with pytest.raises(CommandError, match=f"BROKEN at event #{altered.sequence}"):
        call_command("verify_audit")


def test_rehashing_the_altered_row_moves_the_break_to_the_next_and_a_checkpoint_holds(actors):
    events = _write(4, actors.owner)
    audit_checkpoint_write()
    _write(2, actors.owner)
    # The rewriter recomputes every hash from the altered row on: the chain is consistent
    # again, but no longer the one the signed checkpoint saw.
    _as_superuser("UPDATE victimid_auditevent SET action = 'x' WHERE id = %s", [events[1].pk])
    previous = events[0].chain_hash
    for event in AuditEvent.objects.filter(sequence__gte=2).order_by("sequence"):
        rehashed = hash_of(event, previous)
        _as_superuser(
            "UPDATE victimid_auditevent SET chain_hash = %s WHERE id = %s", [rehashed, event.pk]
        )
        previous = rehashed
    report = audit_chain_verify()
    assert report.broken_sequence == 4
    assert "checkpoint" in report.problem


def test_a_row_removed_from_the_middle_is_named(actors):
    events = _write(5, actors.owner)
    _as_superuser("DELETE FROM victimid_auditevent WHERE id = %s", [events[2].pk])
    report = audit_chain_verify()
    assert report.broken_sequence == 3
    assert "missing" in report.problem


def test_removing_the_newest_rows_is_caught_by_the_signed_checkpoint(actors):
    _write(6, actors.owner)
    write_audit_checkpoint()  # the beat task
    _as_superuser("DELETE FROM victimid_auditevent WHERE sequence > %s", [4])
    # What is left is a consistent chain; only the checkpoint knows it was longer.
    report = audit_chain_verify()
    assert not report.intact
    assert report.broken_sequence == 5
    assert "#5 to #6 were removed" in report.problem
    with pytest.raises(CommandError, match="BROKEN at event #5"):
        call_command("verify_audit")


def test_a_checkpoint_altered_or_signed_with_another_key_is_refused(actors):
    _write(3, actors.owner)
    checkpoint = audit_checkpoint_write()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE victimid_auditcheckpoint DISABLE TRIGGER USER")
        cursor.execute(
            "UPDATE victimid_auditcheckpoint SET sequence = 2 WHERE id = %s", [checkpoint.pk]
        )
        cursor.execute("ALTER TABLE victimid_auditcheckpoint ENABLE TRIGGER USER")
    assert "no valid signature" in audit_chain_verify().problem


@override_settings(AUDIT_SIGNING_KEY="another-key-" + "Zq9Xw2Lm7Rt4" * 3)
def test_a_checkpoint_from_an_unknown_key_is_refused_until_that_key_is_configured(actors):
    _write(2, actors.owner)
    audit_checkpoint_write()
    with override_settings(AUDIT_SIGNING_KEY="rotated-key-" + "Pk3Vn8Qs1Wd6" * 3):
        assert "no valid signature" in audit_chain_verify().problem
        with override_settings(AUDIT_SIGNING_OLD_KEYS=["another-key-" + "Zq9Xw2Lm7Rt4" * 3]):
            assert audit_chain_verify().intact


def test_the_command_prints_how_many_events_it_checked(actors, capsys):
    _write(7, actors.owner)
    audit_checkpoint_write()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "7 events checked (#1 to #7)" in out
    assert "1 signed checkpoints hold" in out


def test_the_periodic_verification_alerts_the_admins_when_the_chain_is_broken(actors):
    events = _write(3, actors.owner)
    assert verify_audit_chain() is True
    assert mail.outbox == []
    _as_superuser("UPDATE victimid_auditevent SET details = '{}' WHERE id = %s", [events[0].pk])
    assert verify_audit_chain() is False
    alert = next(m for m in mail.outbox if actors.admin.email in m.to)
    assert "event #1" in alert.subject
    assert AuditEvent.objects.filter(action=audit_actions.AUDIT_CHAIN_BROKEN).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_separate_connections_make_one_unbroken_chain(actors):
    """Threads each with their own database connection write at once, by service and by
    HTTP request (an audited series view): the chain has no gap and no fork."""
    from tests.factories import SeriesFactory

    series = SeriesFactory(actor=actors.owner, title="Race")
    client_tokens = [api_client_for(actors.owner) for _ in range(3)]
    start = AuditEvent.objects.count()
    barrier = threading.Barrier(9)
    errors: list[BaseException] = []

    def by_service() -> None:
        try:
            barrier.wait(timeout=10)
            for n in range(15):
                audit_record(actor=actors.owner, action="test.concurrent", details={"n": n})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    def by_request(client) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                assert client.get(f"/api/v1/series/{series.code}").status_code == 200
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=by_service) for _ in range(6)] + [
        threading.Thread(target=by_request, args=(client,)) for client in client_tokens
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert len(sequences) >= start + 6 * 15 + 3 * 5
    assert sequences == list(range(1, len(sequences) + 1))
    report = audit_chain_verify()
    assert report.intact, report.problem
    assert report.checked == len(sequences)
