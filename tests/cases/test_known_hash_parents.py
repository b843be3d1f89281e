"""The known set's parents are checked per statement, and hold as foreign keys would.

Migration ``cases/0015_known_hash_parents_per_statement`` replaced the two foreign-key
constraints of ``cases_knownhash`` (checked row by row at commit: 2M look-ups and row
locks for an import of a million values) with statement-level triggers. These tests hold
the triggers to what the constraints guaranteed, through raw SQL (the ORM refuses most of
these first, which proves nothing about the database).
"""

from __future__ import annotations

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from cases.models import KnownHash, Series
from tests.factories import AgencyFactory, KnownHashFactory, SeriesFactory

pytestmark = pytest.mark.django_db

MD5 = bytes.fromhex("0cc175b9c0f1b6a831c399e269772661")
INSERT = (
    "INSERT INTO cases_knownhash (series_id, algorithm, value, vics_category, distributed,"
    " submitting_agency_id, source, created_at)"
    " VALUES (%s, 'md5', %s, 0, false, %s, 'manual', now())"
)


def _constraint(error: IntegrityError) -> str:
    return error.__cause__.diag.constraint_name  # type: ignore[union-attr]


def _refused(sql: str, params: list[object]) -> IntegrityError:
    with pytest.raises(IntegrityError) as refused, transaction.atomic(), connection.cursor() as c:
        c.execute(sql, params)
    return refused.value


def test_a_value_of_a_series_that_does_not_exist_is_refused(series):
    missing = Series.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    error = _refused(INSERT, [missing, MD5, series.agency_id])
    assert _constraint(error) == "known_hash_series_exists"
    assert not KnownHash.objects.filter(series_id=missing).exists()


def test_a_value_of_an_agency_that_does_not_exist_is_refused(series):
    error = _refused(INSERT, [series.pk, MD5, 10**9])
    assert _constraint(error) == "known_hash_submitting_agency_exists"
    assert not KnownHash.objects.filter(series=series).exists()


def test_one_missing_parent_refuses_the_whole_statement(series):
    missing = Series.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    two_rows = INSERT + ", (%s, 'md5', %s, 0, false, %s, 'manual', now())"
    params = [series.pk, MD5, series.agency_id, missing, bytes(16), series.agency_id]
    assert _constraint(_refused(two_rows, params)) == "known_hash_series_exists"
    assert not KnownHash.objects.filter(series=series).exists()


def test_a_value_with_both_parents_is_written(series):
    """The control: the triggers refuse only what a foreign key would."""
    with connection.cursor() as cursor:
        cursor.execute(INSERT, [series.pk, MD5, series.agency_id])
    assert KnownHash.objects.filter(series=series).count() == 1


def test_moving_a_value_to_a_series_that_does_not_exist_is_refused(series):
    known = KnownHashFactory(series=series)
    missing = Series.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    error = _refused("UPDATE cases_knownhash SET series_id = %s WHERE id = %s", [missing, known.pk])
    assert _constraint(error) == "known_hash_series_exists"
    known.refresh_from_db()
    assert known.series_id == series.pk


def test_a_series_or_agency_holding_values_cannot_be_deleted(series):
    KnownHashFactory(series=series)
    with pytest.raises(ProtectedError):
        series.delete()
    error = _refused("DELETE FROM cases_series WHERE id = %s", [series.pk])
    assert _constraint(error) == "known_hash_parent_kept"
    error = _refused("DELETE FROM victimid_agency WHERE id = %s", [series.agency_id])
    assert _constraint(error) == "known_hash_parent_kept"
    assert Series.objects.filter(pk=series.pk).exists()


def test_a_series_or_agency_without_values_can_be_deleted(actors):
    """The control: only a parent that still holds values is kept."""
    empty = SeriesFactory(actor=actors.owner, title="Nothing imported")
    bare = AgencyFactory()
    empty.delete()  # its followers and audit links first, then the DELETE of the series
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM victimid_agency WHERE id = %s", [bare.pk])
    assert not Series.objects.filter(pk=empty.pk).exists()


def test_the_id_of_a_parent_never_changes(series):
    KnownHashFactory(series=series)
    error = _refused("UPDATE cases_series SET id = id + 100000 WHERE id = %s", [series.pk])
    assert _constraint(error) == "known_hash_parent_kept"
    error = _refused(
        "UPDATE victimid_agency SET id = id + 100000 WHERE id = %s", [series.agency_id]
    )
    assert _constraint(error) == "known_hash_parent_kept"


@pytest.mark.django_db(transaction=True)
def test_a_delete_waits_for_an_import_into_the_series_then_is_refused(actors):
    """As a foreign key's check does, the insert locks its series: a concurrent delete
    waits, and once the values are committed it is refused."""
    series = SeriesFactory(actor=actors.owner, title="Being imported")
    url = connection.get_connection_params()
    with psycopg.connect(**url) as importing, psycopg.connect(**url, autocommit=True) as deleting:
        importing.execute(INSERT, [series.pk, MD5, series.agency_id])  # open transaction
        deleting.execute("SET lock_timeout = '300ms'")
        with pytest.raises(psycopg.errors.LockNotAvailable):
            deleting.execute("DELETE FROM cases_series WHERE id = %s", [series.pk])
        importing.commit()
        with pytest.raises(psycopg.errors.ForeignKeyViolation) as refused:
            deleting.execute("DELETE FROM cases_series WHERE id = %s", [series.pk])
        assert refused.value.diag.constraint_name == "known_hash_parent_kept"
    assert KnownHash.objects.filter(series=series).count() == 1
