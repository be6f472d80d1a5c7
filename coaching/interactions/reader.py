"""Reading an interaction log as bytes, record by record: format sniffing, CSV quote state,
batches with the byte offset after each record (the checkpoint).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from coaching.interactions.importer import (
    _READ_CHUNK,
    BOM,
    REQUIRED,
    ROW_MAX_BYTES,
    BadFile,
    Batch,
    Problem,
    Row,
    row_max_bytes,
)
from coaching.interactions.validate import _validate
from foundation.clock import utcnow

# Rows per transaction. The write phase costs about 8 ms a batch plus 0.1 ms a row on SQLite
# (2 busy cores), and the rest of a row's work about 0.7 ms of CPU wherever it is committed:
# 100 rows hold the write lock for ~15-20 ms (p95 ~35 ms), 500 for ~60 ms (p95 ~100 ms), at
# the same CPU per row (bench/import.py prints both).
BATCH_ROWS = 100

if TYPE_CHECKING:  # Presidio takes seconds to import; the web process never needs it here
    pass


# ------------------------------------------------------------------------------------ reading
def sniff_format(path: Path) -> str:
    """``csv`` or ``jsonl`` from the first bytes; anything else is refused."""
    with path.open("rb") as raw:
        head = raw.read(4096)
    head = head.removeprefix(BOM)
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the 4 KB boundary
            line = head[: exc.start].count(b"\n") + 1
            raise BadFile(
                f"Line {line} is not UTF-8 text. Save the file as UTF-8 (with or without BOM) "
                "and import it again."
            ) from None
        text = head[: exc.start].decode("utf-8")
    first = text.lstrip()[:1]
    if first == "{":
        return "jsonl"
    header = next(csv.reader([text.splitlines()[0] if text else ""]), [])
    names = {h.strip().lower() for h in header}
    if not set(REQUIRED) <= names:
        missing = ", ".join(sorted(set(REQUIRED) - names))
        raise BadFile(
            f"This is neither a CSV with the required columns (missing: {missing}) nor JSON Lines."
        )
    return "csv"


# States of Python's CSV parser (default dialect) that decide where a record ends.
_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED = range(4)
_UNQUOTED_STOP = re.compile(rb"[,\r\n]")


def _csv_state(data: bytes, state: int) -> int:
    """The parser's state after ``data``: a record ends at a line break unless it is inside
    a quoted field. Mirrors the csv module (a quote only opens a field at its start; ``""``
    inside one is a quote), jumping from quote to quote and comma to comma, so a row costs a
    few steps per field. Works on bytes: UTF-8 never hides a quote, comma or line break."""
    i, size = 0, len(data)
    while i < size:
        if state == _QUOTED:
            i = data.find(b'"', i) + 1
            if i == 0:
                return _QUOTED
            state = _QUOTE_IN_QUOTED
        elif state in (_START, _QUOTE_IN_QUOTED) and data[i] == 0x22:
            # a field that opens with a quote, or "" (a quote) inside one
            state, i = _QUOTED, i + 1
        elif state != _UNQUOTED and data[i] == 0x2C:  # ,
            state, i = _START, i + 1
        else:
            stop = _UNQUOTED_STOP.search(data, i)
            if stop is None:
                return _UNQUOTED
            if data[stop.start()] != 0x2C:
                return _START  # a line break outside quotes: the record ends here
            state, i = _START, stop.end()
    return state


@dataclass
class _Record:
    first: int  # first physical line
    last: int  # last physical line
    data: bytes | None  # None: longer than the limit, skipped unread
    unclosed: bool = False  # CSV: the file ended inside a quoted field

    @property
    def lines(self) -> str:
        return (
            f"line {self.first}" if self.first == self.last else f"lines {self.first}-{self.last}"
        )


class _Reader:
    """Records of a binary file, read in bounded pieces (a 2 GB line never sits in memory),
    counting physical lines and the byte offset after each record."""

    def __init__(self, raw: BinaryIO, offset: int, line: int, limit: int) -> None:
        self.raw = raw
        self.offset = offset
        self.line = line
        self.limit = limit
        self.at_start = offset == 0
        raw.seek(offset)
        if offset == 0 and raw.read(3) == BOM:
            self.offset = 3
        else:
            raw.seek(offset)

    def records(self, quoted: bool) -> Iterator[_Record]:
        """One record per line, or (``quoted``, for CSV) per line run that a quoted field
        holds together. Records over the limit come back without their data."""
        parts: list[bytes] = []
        size, state, first, partial = 0, _START, self.line + 1, False
        while piece := self.raw.readline(_READ_CHUNK):
            self.offset += len(piece)
            size += len(piece)
            if quoted:
                state = _csv_state(piece, state)
            if size <= self.limit:
                parts.append(piece)
            elif parts:
                parts = []  # over the limit: keep reading to its end, keep nothing
            partial = not piece.endswith(b"\n")
            if partial:
                continue  # a long line, read in pieces
            self.line += 1
            if state != _QUOTED:
                yield _Record(first, self.line, b"".join(parts) if size <= self.limit else None)
                parts, size, state, first = [], 0, _START, self.line + 1
        if size:  # the file ended inside a quoted field, or without a last line break
            self.line += 1 if partial else 0
            data = b"".join(parts) if size <= self.limit else None
            yield _Record(first, self.line, data, unclosed=state == _QUOTED)


def read_batches(
    path: Path,
    fmt: str,
    *,
    offset: int = 0,
    line: int = 0,
    header: list[str] | None = None,
    batch_rows: int | None = None,
    max_chars: int = 50_000,
) -> Iterator[Batch]:
    """Batches of validated rows and problems, starting at ``offset`` (0 = the beginning).

    Duplicate ids are caught here within a batch, and by ``Store.write`` against the rows
    earlier batches of the job stored, so memory stays bounded by the batch, not the file."""
    batch_rows = batch_rows or BATCH_ROWS
    limit = row_max_bytes(max_chars)
    csv.field_size_limit(max(csv.field_size_limit(), limit))
    now = utcnow()
    seen: set[str] = set()
    with path.open("rb") as raw:
        reader = _Reader(raw, offset, line, limit)
        rows: list[Row] = []
        problems: list[Problem] = []
        for start_line, values in _values(reader, fmt, header, limit):
            parsed = _validate(start_line, values, max_chars, now)
            if isinstance(parsed, Problem):
                problems.append(parsed)
            elif parsed.external_id in seen:
                problems.append(
                    Problem(
                        start_line, "interaction_id", "duplicate interaction_id within this file"
                    )
                )
            else:
                seen.add(parsed.external_id)
                rows.append(parsed)
            if len(rows) + len(problems) >= batch_rows:
                yield Batch(rows, problems, reader.offset, reader.line)
                rows, problems, seen = [], [], set()
        if rows or problems:
            yield Batch(rows, problems, reader.offset, reader.line)


def read_header(path: Path) -> list[str]:
    """The CSV header's column names, as written (stripped)."""
    with path.open("rb") as raw:
        record = next(_Reader(raw, 0, 0, ROW_MAX_BYTES).records(quoted=True), None)
    if record is None or record.data is None:
        raise BadFile("The header row is missing or longer than 1 MiB.")
    try:
        names = next(csv.reader(io.StringIO(record.data.decode("utf-8"), newline="")), [])
    except (UnicodeDecodeError, csv.Error):
        raise BadFile("The header row is not valid UTF-8 CSV.") from None
    return [name.strip() for name in names]


def _values(
    reader: _Reader, fmt: str, header: list[str] | None, limit: int
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(first physical line, values) per record; a string value is a problem description."""
    quoted = fmt == "csv"
    records = reader.records(quoted)
    if quoted and reader.at_start:  # the header row: read_header gave it, or read it now
        first = next(records, None)
        names = _csv_fields(first.data) if first is not None and first.data else ""
        if isinstance(names, str):
            raise BadFile("The header row is not valid CSV.")
        header = header or [name.strip() for name in names]
    if quoted and header is None:
        raise ValueError("resuming a CSV import needs its header (read_header)")
    for record in records:
        if record.unclosed:
            yield (
                record.first,
                (
                    f"a quoted field opened here is never closed ({record.lines} were read as one "
                    "row; check the quotes)"
                ),
            )
        elif record.data is None:
            yield record.first, f"longer than the {limit:,}-byte limit for one row"
        elif not record.data.strip():
            continue
        elif quoted:
            yield record.first, _csv_row(record, header or [])
        else:
            yield record.first, _json_row(record.data)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _csv_fields(data: bytes) -> list[str] | str:
    text = _decode(data)
    if text is None:
        return "not UTF-8 text (save the file as UTF-8)"
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:
        return "not valid CSV (check the quotes)"
    if len(records) != 1:
        return "not valid CSV (a line break outside quotes)"
    return records[0]


def _csv_row(record: _Record, header: list[str]) -> dict[str, Any] | str:
    fields = _csv_fields(record.data or b"")
    if isinstance(fields, str):
        return fields
    if len(fields) != len(header):
        where = "" if record.first == record.last else f"; {record.lines} were read as one row"
        return f"has {len(fields)} fields, the header has {len(header)}{where}"
    return dict(zip(header, fields, strict=True))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _json_row(data: bytes) -> dict[str, Any] | str:
    text = _decode(data)
    if text is None:
        return "not UTF-8 text (save the file as UTF-8)"
    try:
        values = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        return "nested too deeply"
    except ValueError:  # JSONDecodeError, NaN / Infinity, a number of thousands of digits
        return "not valid JSON"
    return values if isinstance(values, dict) else "not a JSON object"
