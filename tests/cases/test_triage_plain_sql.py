"""The plain-list reader in SQL gives the Python reader's answers, line for line."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from cases.hash_files import PLAIN, CountingReader, HashFileError, hash_file_records
from cases.hash_values import hash_probe_normalise
from cases.services.plain_lists import plain_list_load

pytestmark = pytest.mark.django_db

PHOTODNA = base64.b64encode(bytes(range(144))).decode()
VALID = [
    "# a comment",
    "",
    "   ",
    "A" * 32,
    "b" * 40,
    "C" * 64,
    "sha256:" + "d" * 64,
    "PDQ: " + "E" * 64,
    "md5:" + "F" * 32,
    PHOTODNA,
    "photodna:" + PHOTODNA,
    "\t" + "1" * 32 + "  ",
    "2" * 32 + "\r",
]
INVALID = [
    "x" * 32,
    "a" * 31,
    "md5:" + "a" * 40,
    "sha1:" + "g" * 40,
    "photodna:" + "A" * 191,
    "nonsense",
    "sha512:" + "a" * 128,
]


def _python(content: bytes) -> set[tuple[int, str, str, bool]]:
    rows = set()
    for record in hash_file_records(CountingReader(io.BytesIO(content)), PLAIN):
        pairs = hash_probe_normalise(record.value, record.algorithm)
        rows |= {(record.line, a, v, len(pairs) > 1) for a, v in pairs}
    return rows


def _sql(content: bytes) -> set[tuple[int, str, str, bool]]:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS probe_test")
        cursor.execute(
            "CREATE TEMP TABLE probe_test (line bigint, algorithm text, value text, either bool)"
        )
    plain_list_load(
        CountingReader(io.BytesIO(content)), "probe_test", max_lines=1000, progress=lambda n: None
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT line, algorithm, value, either FROM probe_test")
        return set(cursor.fetchall())


def test_the_two_readers_agree_on_every_valid_form():
    content = ("\ufeff" + "\n".join(VALID) + "\n").encode()

    assert _sql(content) == _python(content)
    assert len(_sql(content)) == 11  # 10 values, and two rows for the bare 64 hex digits


@pytest.mark.parametrize("line", INVALID)
def test_the_two_readers_refuse_the_same_lines(line):
    content = ("a" * 32 + "\n" + line + "\n").encode()

    with pytest.raises((ValidationError, HashFileError)):
        _python(content)
    with pytest.raises(HashFileError) as refused:
        _sql(content)
    assert refused.value.line == 2
    assert refused.value.byte == 33


def test_a_backslash_is_refused_with_its_line():
    with pytest.raises(HashFileError) as refused:
        _sql(("a" * 32 + "\n" + "\\." + "\n" + "b" * 32 + "\n").encode())
    assert refused.value.line == 2


def test_a_last_line_without_a_line_break_counts():
    assert {row[0] for row in _sql(("a" * 32 + "\n" + "b" * 32).encode())} == {1, 2}
