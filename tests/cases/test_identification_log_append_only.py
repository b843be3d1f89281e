"""PostgreSQL itself refuses to change or remove an identification event."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from cases.choices import IdentificationEventKind
from cases.models import IdentificationEvent
from tests.factories import IdentificationEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(actors):
    return IdentificationEventFactory(victim__actor=actors.owner, note="First")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cases_identificationevent SET note = 'rewritten' WHERE id = %s",
        "UPDATE cases_identificationevent SET kind = 'safeguarded' WHERE id = %s",
        "DELETE FROM cases_identificationevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_update_or_delete_an_event(event, statement):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    stored = IdentificationEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.note) == (IdentificationEventKind.IDENTIFIED, "First")


def test_the_orm_cannot_either(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        IdentificationEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.note = "changed"
        event.save()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_identificationevent")
    assert IdentificationEvent.objects.get(pk=event.pk).note == "First"


def test_appending_still_works(actors, event):
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_identificationevent")
        assert cursor.fetchone()[0] == 1
