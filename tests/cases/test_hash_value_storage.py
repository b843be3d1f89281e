"""Known values are stored as digest bytes and shown as text; the migration keeps the data."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.hash_values import hash_value_digest, hash_value_text, sql_hash_digest, sql_hash_text
from cases.models import KnownHash
from cases.services import known_hashes_add

PHOTODNA = base64.b64encode(bytes(range(100, 244))).decode()
VALUES = {
    "md5": hashlib.md5(b"a").hexdigest(),  # noqa: S324 (test data)
    "sha1": hashlib.sha1(b"a").hexdigest(),  # noqa: S324
    "sha256": hashlib.sha256(b"a").hexdigest(),
    "pdq": hashlib.sha256(b"pdq").hexdigest(),
    "photodna": PHOTODNA,
}
DIGEST_BYTES = {"md5": 16, "sha1": 20, "sha256": 32, "pdq": 32, "photodna": 144}


@pytest.mark.django_db
def test_text_and_digest_convert_both_ways_in_python_and_sql():
    with connection.cursor() as cursor:
        for algorithm, value in VALUES.items():
            digest = hash_value_digest(value)
            assert len(digest) == DIGEST_BYTES[algorithm]
            assert hash_value_text(digest) == value
            cursor.execute(
                f"SELECT {sql_hash_text('d')} FROM (SELECT {sql_hash_digest('a', 'v')} AS d"
                " FROM (SELECT %s::text AS a, %s::text AS v) AS given) AS stored",
                [algorithm, value],
            )
            assert cursor.fetchone()[0] == value


@pytest.mark.django_db
def test_values_are_stored_as_digest_bytes_and_read_back_as_given(actors, series):
    known_hashes_add(
        actor=actors.owner,
        series=series,
        entries=[
            {"algorithm": algorithm, "value": value.upper() if algorithm != "photodna" else value}
            for algorithm, value in VALUES.items()
        ],
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT algorithm, length(value) FROM cases_knownhash")
        assert dict(cursor.fetchall()) == DIGEST_BYTES
    assert dict(KnownHash.objects.values_list("algorithm", "value")) == VALUES
    # The ORM's lookups compare bytes: the text form finds its row, and only its row.
    for algorithm, value in VALUES.items():
        assert KnownHash.objects.get(value=value).algorithm == algorithm
    assert KnownHash.objects.filter(value__in=[VALUES["md5"], VALUES["sha1"]]).count() == 2


@pytest.mark.django_db
def test_a_value_that_is_no_stored_form_is_refused_not_a_server_error():
    with pytest.raises(ValidationError):
        list(KnownHash.objects.filter(value="not hex"))


@pytest.mark.django_db(transaction=True)
def test_the_migration_converts_existing_rows_and_back(actors, series):
    """Rows stored as text before 0012 come out as the same text after it, and back again."""
    before = [("cases", "0011_merge_correlation_figures_triage")]
    after = [("cases", "0013_triage_result_without_row_checks")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        with connection.cursor() as cursor:
            for algorithm, value in VALUES.items():
                cursor.execute(
                    "INSERT INTO cases_knownhash (series_id, algorithm, value, vics_category,"
                    " distributed, submitting_agency_id, source, created_at)"
                    " VALUES (%s, %s, %s, 0, false, %s, 'manual', now())",
                    [series.pk, algorithm, value, series.agency_id],
                )
        executor = MigrationExecutor(connection)
        executor.migrate(after)
        with connection.cursor() as cursor:
            cursor.execute("SELECT algorithm, length(value) FROM cases_knownhash")
            assert dict(cursor.fetchall()) == DIGEST_BYTES
        assert dict(KnownHash.objects.values_list("algorithm", "value")) == VALUES
        executor = MigrationExecutor(connection)
        executor.migrate(before)
        with connection.cursor() as cursor:
            cursor.execute("SELECT algorithm, value FROM cases_knownhash")
            assert dict(cursor.fetchall()) == VALUES
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
