"""Retention: events past the period go to a signed file and leave the database only
together with a signed checkpoint, after which the shorter chain still verifies."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from victimid.models import AuditCheckpoint, AuditEvent
from victimid.selectors.audit_chain import audit_chain_verify
from victimid.services.audit import audit_record

pytestmark = pytest.mark.django_db


def _age(days: int, sequences: list[int]) -> None:
    """Make events old, as a superuser could (the trigger set aside): hashes are recomputed
    so the chain stays true, as if they had been written then."""
    from victimid.audit_chain import GENESIS_HASH, hash_of

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE victimid_auditevent DISABLE TRIGGER USER")
        AuditEvent.objects.filter(sequence__in=sequences).update(
            occurred_at=timezone.now() - timedelta(days=days)
        )
        first = AuditEvent.objects.order_by("sequence").first()
        anchor = AuditCheckpoint.objects.filter(archived_through=first.sequence - 1).first()
        previous = anchor.chain_hash if anchor else GENESIS_HASH
        for event in AuditEvent.objects.order_by("sequence"):
            previous = hash_of(event, previous)
            AuditEvent.objects.filter(pk=event.pk).update(chain_hash=previous)
        cursor.execute("ALTER TABLE victimid_auditevent ENABLE TRIGGER USER")


def test_old_events_are_archived_signed_and_removed_with_a_checkpoint(actors, tmp_path, capsys):
    for n in range(6):
        audit_record(actor=actors.owner, action="test.row", details={"n": n})
    _age(8 * 365, [1, 2, 3, 4])
    archive = tmp_path / "audit-2019.jsonl"
    call_command("archive_audit", output=str(archive))
    assert "archived 4 events (through #4)" in capsys.readouterr().out
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))[:2] == [
        5,
        6,
    ]
    anchor = AuditCheckpoint.objects.get(archived_through=4)
    assert anchor.sequence == 4
    report = audit_chain_verify()
    assert report.intact, report.problem
    assert report.first_sequence == 5
    call_command("archive_audit", check=str(archive))
    assert "archive intact: 4 events" in capsys.readouterr().out
    # A second archive continues from the first one's anchor.
    _age(8 * 365, [5, 6])
    call_command("archive_audit", output=str(tmp_path / "next.jsonl"))
    call_command("archive_audit", check=str(tmp_path / "next.jsonl"))
    assert audit_chain_verify().intact


def test_an_altered_archive_file_is_refused(actors, tmp_path):
    for n in range(3):
        audit_record(actor=actors.owner, action="test.row", details={"n": n})
    _age(8 * 365, [1, 2])
    archive = tmp_path / "a.jsonl"
    call_command("archive_audit", output=str(archive))
    archive.write_bytes(archive.read_bytes().replace(b"test.row", b"test.wor", 1))
    with pytest.raises(CommandError, match="archive BROKEN"):
        call_command("archive_audit", check=str(archive))


def test_nothing_recent_is_archived_and_a_broken_chain_is_never_archived(actors, tmp_path):
    audit_record(actor=actors.owner, action="test.row")
    call_command("archive_audit", output=str(tmp_path / "none.jsonl"))
    assert AuditEvent.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("ALTER TABLE victimid_auditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE victimid_auditevent SET action = 'x', occurred_at = '2001-01-01'")
        cursor.execute("ALTER TABLE victimid_auditevent ENABLE TRIGGER USER")
    with pytest.raises(CommandError, match="does not verify"):
        call_command("archive_audit", output=str(tmp_path / "broken.jsonl"))
    assert AuditEvent.objects.count() == 1


def test_the_database_refuses_to_remove_events_no_checkpoint_archived(actors):
    audit_record(actor=actors.owner, action="test.row")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
