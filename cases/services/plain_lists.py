"""Plain hash lists read by PostgreSQL itself: COPY the lines, check and sort them in SQL.

A plain list is the commonest triage file and the largest (a seizure's whole file
list). Parsing a million lines in Python costs more than the whole lookup, so the file's
bytes go to the server as they are (COPY, chunk by chunk, with progress between chunks)
and one statement classifies every line with the same rules as
``cases.hash_values.hash_probe_normalise``: ``value`` or ``algorithm:value``; blank lines
and ``#`` comments skipped; 32 hex digits MD5, 40 SHA-1, 64 SHA-256 or PDQ (both looked
up), 192 base64 characters PhotoDNA (kept as given); hex in any case, stored lower case.
``tests/cases/test_triage_plain_sql.py`` holds the two readers to the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import psycopg
from django.db import DataError, connection, transaction
from django.utils.translation import gettext as _

from cases.choices import HashAlgorithm
from cases.hash_files import BOM, CountingReader, HashFileError

__all__ = ["plain_list_load"]

_CHUNK = 4 * 1024 * 1024
_COPY_LINE = re.compile(r"line (\d+)")
# Tabs separate COPY's columns: the one column is delimited by a control character that no
# text file of hash values holds (refused, like a backslash, if it does).
_DELIMITER = b"\x1f"

# Per line: its first algorithm (NULL: not a hash value) and whether its form also fits a
# second one (64 hex digits: SHA-256, then PDQ by ``_SECOND``). Straight into the probe
# table, no intermediate arrays. A length test before an unbounded class: PostgreSQL's
# regular expressions expand a bounded repetition ({32}) into a far slower automaton.
# Each level is computed once (OFFSET 0 keeps the planner from pulling a subquery up and
# so repeating its expressions in every one that refers to it: three times the work).
_CLASSIFY = r"""
INSERT INTO {probes} (line, algorithm, value, either)
SELECT line, algorithm, CASE WHEN algorithm = 'photodna' THEN v ELSE lower(v) END,
  given = '' AND hex AND n = 64
FROM (
  SELECT line, given, v, n, hex,
    CASE
      WHEN given = 'photodna' THEN CASE WHEN n = 192 AND b64 THEN 'photodna' END
      WHEN given <> '' THEN
        CASE WHEN hex AND n = CASE given WHEN 'md5' THEN 32 WHEN 'sha1' THEN 40 ELSE 64 END
        THEN given END
      WHEN hex AND n = 32 THEN 'md5'
      WHEN hex AND n = 40 THEN 'sha1'
      WHEN hex AND n = 64 THEN 'sha256'
      WHEN b64 AND n = 192 THEN 'photodna'
    END AS algorithm
  FROM (
    SELECT line, given, v, n,
      CASE WHEN n IN (32, 40, 64) THEN v ~ '^[0-9a-fA-F]+$' ELSE false END AS hex,
      CASE WHEN n = 192 THEN v ~ '^[A-Za-z0-9+/]+$' ELSE false END AS b64
    FROM (
      SELECT line, given, v, length(v) AS n
      FROM (
        SELECT line,
          CASE WHEN known THEN prefix ELSE '' END AS given,
          CASE WHEN known THEN btrim(substr(t, sep + 1)) ELSE t END AS v
        FROM (
          SELECT line, t, sep, prefix, prefix = ANY(%(algorithms)s) AS known
          FROM (
            SELECT line, t, sep,
              CASE WHEN sep > 0 THEN lower(btrim(left(t, sep - 1))) ELSE '' END AS prefix
            FROM (
              SELECT line, t, strpos(t, ':') AS sep
              FROM (SELECT line, btrim(raw, E' \t\r\ufeff') AS t FROM {raw} OFFSET 0) AS s
              WHERE t <> '' AND left(t, 1) <> '#' OFFSET 0
            ) AS p OFFSET 0
          ) AS g OFFSET 0
        ) AS q OFFSET 0
      ) AS l OFFSET 0
    ) AS c OFFSET 0
  ) AS a OFFSET 0
) AS r
"""

# The second algorithm of the lines whose form fits two.
_SECOND = """
INSERT INTO {probes} (line, algorithm, value, either)
SELECT line, 'pdq', value, true FROM {probes} WHERE either
"""


def plain_list_load(
    reader: CountingReader,
    probes: str,
    *,
    max_lines: int,
    progress: Callable[[int], None],
) -> tuple[int, int]:
    """Fill ``probes`` (line, algorithm, value, either) from a plain list; (values, ambiguous).

    ``probes.algorithm`` must allow NULL: a line that is not a hash value lands there
    without one, and fails the file.

    ``progress(lines)`` runs between chunks (it may raise to stop). A line that is not a
    hash value fails the whole file with its line and byte (HashFileError).
    """
    raw = f"{probes}_raw"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE {raw} (line bigint GENERATED ALWAYS AS IDENTITY, raw text)"
        )
    lines = _copy_lines(reader, raw, progress)
    if lines > max_lines:
        raise HashFileError(
            _("The file has more than %(max)d lines.") % {"max": max_lines},
            line=max_lines + 1,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            _CLASSIFY.format(probes=probes, raw=raw), {"algorithms": list(HashAlgorithm.values)}
        )
        values = cursor.rowcount
        cursor.execute(f"SELECT min(line) FROM {probes} WHERE algorithm IS NULL")  # noqa: S608
        bad = cursor.fetchone()[0]
        if bad is not None:
            byte = reader.offset_of_line(bad)
            raise HashFileError(
                _(
                    "Not a hash value: give 32 (MD5), 40 (SHA-1) or 64 (SHA-256, PDQ) hex "
                    "digits, a PhotoDNA value (base64 of 144 bytes), or algorithm:value."
                ),
                line=bad,
                byte=byte,
            )
        cursor.execute(_SECOND.format(probes=probes))
        ambiguous = cursor.rowcount
        cursor.execute(f"DROP TABLE {raw}")
    return values, ambiguous


def _copy_lines(reader: CountingReader, raw: str, progress: Callable[[int], None]) -> int:
    """COPY whole lines, a few megabytes per statement; the number of lines sent."""
    lines = 0
    pending = b""
    first = True
    while True:
        block = reader.read(_CHUNK)
        if first:
            first = False
            if block.startswith(BOM):
                block = block[len(BOM) :]
        data = pending + block
        if block:
            cut = data.rfind(b"\n") + 1
            data, pending = data[:cut], data[cut:]
        else:
            pending = b""
        if data:
            # Line breaks may be LF or CRLF, even mixed (COPY wants one kind): a carriage
            # return is never part of a value, so they all go.
            lines = _copy_block(raw, data.replace(b"\r", b""), lines)
            progress(lines)
        if not block:
            return lines


def _copy_block(raw: str, data: bytes, lines_before: int) -> int:
    # COPY's text format reads backslashes as escapes (and a lone "\." as the end of
    # the data): a hash list has no backslash, so one is refused rather than interpreted.
    for refused in (b"\\", _DELIMITER):
        found_at = data.find(refused)
        if found_at >= 0:
            raise HashFileError(
                _("This line holds a character that is not part of any hash value."),
                line=lines_before + data.count(b"\n", 0, found_at) + 1,
            )
    try:
        # Its own transaction (a savepoint inside a caller's): a refused COPY ends cleanly.
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.copy(f"COPY {raw} (raw) FROM STDIN WITH (DELIMITER E'\\x1f')") as copy,
        ):
            copy.write(data)
    except (psycopg.DataError, DataError) as error:  # not UTF-8, a NUL byte
        found = _COPY_LINE.search(str(error))
        line = lines_before + int(found.group(1)) if found else None
        raise HashFileError(
            _("This line cannot be read: it is not UTF-8 text or holds a NUL byte."), line=line
        ) from None
    return lines_before + data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
