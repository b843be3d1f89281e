"""Reading hash files as a stream: plain lists, CSV with a hash column, VICS JSON 1.x/2.0.

Nothing here holds a whole file: lines are read one at a time and VICS JSON is parsed
with ijson, so memory stays bounded whatever the size. Every record says where it was
found (line, or record number for JSON), and a file that cannot be read fails with a
``HashFileError`` naming the line and byte where reading stopped.

What real VICS producers write, and is accepted here (``/work/shared/fixtures/vics``):
``odata.metadata`` (1.x) or ``@odata.context`` (2.0) ending in ``#Media`` (``value`` is
a list of media) or ``#Cases`` (``value`` is a list of cases with a ``Media`` list);
``Category`` an integer, ``null`` or missing (``0`` is a value); flags as JSON booleans
or "true"/"false"; upper-case hex; a UTF-8 byte-order mark.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import ijson
from django.utils.translation import gettext as _

from cases.choices import HashAlgorithm

__all__ = [
    "CSV",
    "FORMATS",
    "PLAIN",
    "VICS",
    "HashFileError",
    "HashFileRecord",
    "CountingReader",
    "hash_file_format",
    "hash_file_records",
]

PLAIN = "plain"
CSV = "csv"
VICS = "vics"
FORMATS = (PLAIN, CSV, VICS)
BOM = b"\xef\xbb\xbf"

# VICS field → algorithm. ``SHA256`` and ``PDQ`` are what 2.0 producers add beside MD5/SHA1.
VICS_HASH_FIELDS = {
    "MD5": HashAlgorithm.MD5,
    "SHA1": HashAlgorithm.SHA1,
    "SHA256": HashAlgorithm.SHA256,
    "PhotoDNA": HashAlgorithm.PHOTODNA,
    "PDQ": HashAlgorithm.PDQ,
}
VICS_FLAGS = {
    "VictimIdentified": "victim_identified",
    "OffenderIdentified": "offender_identified",
    "IsDistributed": "distributed",
    "IsPrecategorized": "precategorized",
}
# CSV header names (any case) of columns holding one algorithm; ``hash``/``value``: inferred.
CSV_COLUMNS = {
    "md5": HashAlgorithm.MD5,
    "sha1": HashAlgorithm.SHA1,
    "sha-1": HashAlgorithm.SHA1,
    "sha256": HashAlgorithm.SHA256,
    "sha-256": HashAlgorithm.SHA256,
    "pdq": HashAlgorithm.PDQ,
    "photodna": HashAlgorithm.PHOTODNA,
    "hash": "",
    "value": "",
}
_CONTEXT = re.compile(rb'"@?odata\.(?:context|metadata)"\s*:\s*"[^"]*#(Media|Cases)"')


class HashFileError(Exception):
    """The file could not be read to its end; says where reading stopped."""

    def __init__(self, message: str, *, line: int | None = None, byte: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.byte = byte

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(_("line %(line)d") % {"line": self.line})
        if self.byte is not None:
            where.append(_("byte %(byte)d") % {"byte": self.byte})
        return f"{self.message} ({', '.join(where)})" if where else self.message


@dataclass(slots=True)
class HashFileRecord:
    """One hash value found in a file, with what the file said about it."""

    line: int  # the line (plain, CSV) or the media record's number (VICS JSON)
    algorithm: str  # "" when the file does not say (inferred from the form)
    value: str
    category: int | None = None
    flags: dict[str, bool] = field(default_factory=dict)
    series: str = ""


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes and line breaks read through it (for progress)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.bytes_read = 0
        self.lines_read = 0

    def readable(self) -> bool:
        return True

    def offset_of_line(self, line: int) -> int | None:
        """The byte at which ``line`` starts (reading the file again; None if it cannot)."""
        if not self._raw.seekable():
            return None
        self._raw.seek(0)
        offset = 0
        for _number in range(line - 1):
            text = self._raw.readline()
            if not text:
                break
            offset += len(text)
        return offset

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.bytes_read += size
        self.lines_read += data.count(b"\n")
        return size

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.bytes_read += len(data)
        self.lines_read += data.count(b"\n")
        return data


def hash_file_format(head: bytes) -> str:
    """The format a file's first bytes show: JSON starts with ``{``, CSV has a header."""
    text = head.removeprefix(BOM).lstrip()
    if text.startswith(b"{"):
        return VICS
    first_line = text.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    names = [name.strip().strip('"') for name in first_line.split(",")]
    if "," in first_line and any(name in CSV_COLUMNS for name in names):
        return CSV
    return PLAIN


def hash_file_records(reader: CountingReader, file_format: str) -> Iterator[HashFileRecord]:
    """Every hash value of the file, in file order; HashFileError where it cannot go on."""
    if file_format == VICS:
        yield from _vics_records(reader)
    elif file_format == CSV:
        yield from _csv_records(reader)
    else:
        yield from _plain_records(reader)


def _text_lines(reader: CountingReader) -> Iterator[tuple[int, str]]:
    text = io.TextIOWrapper(reader, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
    number = 0
    try:
        for number, line in enumerate(text, start=1):  # noqa: B007 (used after the loop)
            yield number, line
    except UnicodeDecodeError:
        raise HashFileError(
            _("The file is not UTF-8 text."), line=number + 1, byte=reader.bytes_read
        ) from None


def _plain_records(reader: CountingReader) -> Iterator[HashFileRecord]:
    """``value`` or ``algorithm:value`` per line; blank lines and ``#`` comments skipped."""
    for number, line in _text_lines(reader):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        algorithm, separator, value = text.partition(":")
        if separator and algorithm.strip().lower() in HashAlgorithm.values:
            yield HashFileRecord(number, algorithm.strip().lower(), value.strip())
        else:
            yield HashFileRecord(number, "", text)


def _csv_records(reader: CountingReader) -> Iterator[HashFileRecord]:
    lines = _text_lines(reader)
    rows = csv.reader(line for _number, line in lines)
    try:
        header = next(rows)
    except StopIteration:
        return
    columns = [
        (index, CSV_COLUMNS[name.strip().lower()])
        for index, name in enumerate(header)
        if name.strip().lower() in CSV_COLUMNS
    ]
    if not columns:
        raise HashFileError(
            _("No hash column in the CSV header (md5, sha1, sha256, pdq, photodna or hash)."),
            line=1,
        )
    lookup = {name.strip().lower(): index for index, name in enumerate(header)}
    category_at = lookup.get("category")
    width = len(header)
    try:
        for row in rows:
            number = rows.line_num
            if not row:
                continue
            if len(row) != width:
                raise HashFileError(
                    _("This row has %(count)d columns; the header has %(width)d.")
                    % {"count": len(row), "width": width},
                    line=number,
                    byte=reader.bytes_read,
                )
            raw_category = row[category_at] if category_at is not None else None
            category = _category(raw_category, number)
            for index, algorithm in columns:
                value = row[index].strip() if index < len(row) else ""
                if value:
                    yield HashFileRecord(number, algorithm, value, category=category)
    except csv.Error as error:
        raise HashFileError(
            _("The CSV cannot be read: %(error)s") % {"error": error},
            line=rows.line_num,
            byte=reader.bytes_read,
        ) from None


def _category(raw: Any, where: int) -> int | None:
    """A VICS category: an integer (0 is a value), or None when null, missing or blank."""
    if type(raw) is int and raw >= 0:  # the common case, first (a bool is not an int here)
        return raw
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise HashFileError(_("Category must be a number, not true/false."), line=where)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        raise HashFileError(
            _("Category must be a number, not %(value)r.") % {"value": str(raw)[:20]}, line=where
        ) from None
    if number < 0 or number != float(raw):
        raise HashFileError(_("Category must be a whole number from 0."), line=where)
    return number


def _flag(raw: Any, name: str, where: int) -> bool:
    """A VICS flag: a JSON boolean or the strings "true"/"false" (any case)."""
    if raw is True or raw is False:
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false"):
        return raw.strip().lower() == "true"
    raise HashFileError(_("%(flag)s must be true or false.") % {"flag": name}, line=where)


def _vics_records(reader: CountingReader) -> Iterator[HashFileRecord]:
    buffered = io.BufferedReader(reader, buffer_size=64 * 1024)  # type: ignore[arg-type]
    head = buffered.peek(64 * 1024)[: 64 * 1024]
    if head.startswith(BOM):
        buffered.read(len(BOM))
        head = head[len(BOM) :]
    match = _CONTEXT.search(head)
    prefix = "value.item.Media.item" if match and match.group(1) == b"Cases" else "value.item"
    number = 0
    try:
        for number, media in enumerate(ijson.items(buffered, prefix, use_float=True), start=1):
            try:
                records = _vics_media(media, number)
            except HashFileError as error:
                raise HashFileError(
                    _("Record %(record)d: %(problem)s")
                    % {"record": number, "problem": error.message},
                    line=reader.lines_read + 1,
                    byte=reader.bytes_read,
                ) from None
            yield from records
    except ijson.JSONError as error:
        raise HashFileError(
            _("The JSON is malformed or truncated after record %(record)d: %(error)s")
            % {"record": number, "error": str(error)[:200]},
            line=reader.lines_read + 1,
            byte=reader.bytes_read,
        ) from None
    except UnicodeDecodeError:
        raise HashFileError(
            _("The file is not UTF-8 text."), line=reader.lines_read + 1, byte=reader.bytes_read
        ) from None
    if number == 0 and match is None and not head.strip():
        raise HashFileError(_("The file is empty."), line=1, byte=0)


# (field, name) pairs, iterated per media record: a tuple is cheaper to walk than a dict.
_FLAG_FIELDS = tuple(VICS_FLAGS.items())
_HASH_FIELDS = tuple(VICS_HASH_FIELDS.items())


def _vics_media(media: Any, number: int) -> list[HashFileRecord]:
    """The hash values of one media record (a million of them per file: kept lean)."""
    if not isinstance(media, dict):
        raise HashFileError(_("A media record must be a JSON object."), line=number)
    category = _category(media.get("Category"), number)
    flags: dict[str, bool] = {}
    for key, name in _FLAG_FIELDS:
        raw = media.get(key)
        if raw is not None:
            flags[name] = _flag(raw, key, number)
    series = media.get("Series")
    series_text = series.strip() if isinstance(series, str) else ""
    records = []
    for key, algorithm in _HASH_FIELDS:
        value = media.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise HashFileError(_("%(field)s must be text.") % {"field": key}, line=number)
        records.append(
            HashFileRecord(number, algorithm, value.strip(), category, flags, series_text)
        )
    if not records:
        raise HashFileError(
            _("Media record %(record)d carries no hash value (MD5, SHA1, SHA256, PhotoDNA, PDQ).")
            % {"record": number},
            line=number,
        )
    return records
