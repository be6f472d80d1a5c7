"""Streaming import of interaction logs (CSV or JSON Lines, DESIGN.md's format).

The file is read as bytes, record by record, with the byte offset after every record, so memory
stays flat whatever the size and a killed job resumes at its last checkpoint. Each batch is
parsed, validated, redacted, checked for gap signals and made into column values outside any
transaction (``Store.prepare``); then it is stored in one short transaction together with the
checkpoint (``Store.write`` inside ``jobs.runner.JobContext.commit_batch``), a handful of bulk
statements that hold SQLite's write lock for milliseconds. Re-importing an ``interaction_id``
updates it.

Every bad row is a reported row, never a failed job: it becomes an ``ImportProblem`` (line,
field, reason: never the values) and the rows around it still import. Only a file that is not
CSV or JSON Lines at all, or not UTF-8 from its first line, fails as a whole (``BadFile``).
What a row may hold (anything else is reported, see ``LIMITS``):

- one row (a JSON line, or a CSV record with its quoted line breaks) is at most ``ROW_MAX_BYTES``
  (1 MiB, or 4 bytes per allowed transcript character if that is more); a longer one is skipped
  without being held in memory, and reading goes on after it;
- text fields are text (a JSON number is accepted as an id), within their column's length, and
  hold no NUL and no unpaired surrogate; ``csat`` is a whole number from 1 to 5 and
  ``handle_seconds`` one from 0 to 604,800 (7 days); ``occurred_at`` is an ISO 8601 time from
  2000-01-01 to a day from now;
- ``actions`` are text, ``;``-separated or a JSON list: at most 50 codes of at most 64 characters;
- other columns are kept as attributes: at most 50 of them; keys up to 200 characters; values are
  text up to 2,000 characters, numbers within 64 bits, true/false/null, or lists and objects
  nested at most 5 levels deep.

Customer PII never reaches the database: every text field, action, attribute key and value
(nested ones too) is redacted (``foundation.redaction``, with the row's ``customer_name``), and
``customer_id`` and ``interaction_id`` are kept only as keyed hashes (``foundation.pseudonyms``).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
import shutil
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from sqlalchemy import (
    JSON,
    Connection,
    Dialect,
    Table,
    TypeDecorator,
    bindparam,
    column,
    delete,
    func,
    insert,
    table,
    update,
)
from sqlmodel import Session, SQLModel, col, select

from coaching.models import Agent, Channel, ImportProblem, Interaction, Outcome, Signal, SignalKind
from coaching.signals import Found, detect, repeat_contact
from coaching.transcript import parse_turns
from foundation.accounts import Team, User
from foundation.clock import utcnow
from foundation.pseudonyms import Pseudonyms
from foundation.settings import Settings

if TYPE_CHECKING:  # Presidio takes seconds to import; the web process never needs it here
    from foundation.redaction import Redactor

# The import format's columns (DESIGN.md), in the order the demo generator writes them; any
# other column is kept as an attribute.
COLUMNS = (
    "interaction_id",
    "occurred_at",
    "agent_id",
    "team",
    "channel",
    "customer_id",
    "customer_name",
    "disposition",
    "outcome",
    "csat",
    "handle_seconds",
    "actions",
    "transcript",
)
REQUIRED = ("interaction_id", "occurred_at", "agent_id", "transcript")
KNOWN = frozenset(COLUMNS)
BOM = b"\xef\xbb\xbf"
# Rows per transaction. The write phase costs about 8 ms a batch plus 0.1 ms a row on SQLite
# (2 busy cores), and the rest of a row's work about 0.7 ms of CPU wherever it is committed:
# 100 rows hold the write lock for ~15-20 ms (p95 ~35 ms), 500 for ~60 ms (p95 ~100 ms), at
# the same CPU per row (bench/import.py prints both).
BATCH_ROWS = 100

# --- what one row may hold (the module docstring and the README say the same) ---------------
ROW_MAX_BYTES = 1024 * 1024
#: Characters per text column (the transcript's limit is the setting ``transcript_max_chars``).
LIMITS = {
    "interaction_id": 128,
    "occurred_at": 64,
    "agent_id": 64,
    "team": 100,
    "channel": 20,
    "customer_id": 128,
    "customer_name": 200,
    "disposition": 200,
    "outcome": 20,
    "csat": 20,
    "handle_seconds": 20,
}
CSAT_RANGE = (1, 5)
HANDLE_SECONDS_RANGE = (0, 7 * 24 * 3600)
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST_AHEAD = timedelta(days=1)  # clocks differ, but nothing happened tomorrow
MAX_ACTIONS = 50
ACTION_MAX_CHARS = 64
MAX_ATTRIBUTES = 50
ATTRIBUTE_KEY_MAX_CHARS = 200
ATTRIBUTE_TEXT_MAX_CHARS = 2000
ATTRIBUTE_MAX_DEPTH = 5
_INT64 = 2**63 - 1
_READ_CHUNK = 64 * 1024
# NUL cannot be stored in PostgreSQL text; an unpaired surrogate cannot be encoded at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_WHOLE_NUMBER = re.compile(r"[+-]?\d{1,18}")
_Choice = TypeVar("_Choice", Channel, Outcome)


def row_max_bytes(transcript_max_chars: int) -> int:
    """The longest row read: 1 MiB, or room for the longest transcript allowed (4 bytes per
    character in UTF-8) and the other fields, if that is more."""
    return max(ROW_MAX_BYTES, 4 * transcript_max_chars + 64 * 1024)


class BadFile(ValueError):
    """The file as a whole cannot be imported; the message says why (and holds no data)."""


@dataclass
class Problem:
    line: int
    field: str | None
    reason: str


@dataclass
class Row:
    """A validated row, still raw: redacted and hashed by ``Store.prepare``, never stored."""

    line: int
    external_id: str
    occurred_at: datetime
    agent_code: str
    transcript: str
    channel: Channel | None = None
    team: str | None = None
    customer_ref: str | None = None
    customer_name: str | None = None
    disposition: str | None = None
    outcome: Outcome | None = None
    csat: int | None = None
    handle_seconds: int | None = None
    actions: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class Batch:
    rows: list[Row]
    problems: list[Problem]
    offset: int  # byte offset just after the batch's last record
    line: int  # last physical line read


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


# --------------------------------------------------------------------------------- validating
class _Bad(Exception):
    """A row's problem: the field (None for the row or an extra column) and the reason."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _validate(
    line: int, values: dict[str, Any] | str, max_chars: int, now: datetime
) -> Row | Problem:
    if isinstance(values, str):
        return Problem(line, None, values)
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in values.items():
        name = key.strip()
        if name.lower() in KNOWN:
            known[name.lower()] = value
        else:
            extra[name] = value
    try:
        return _row(line, known, extra, max_chars, now)
    except _Bad as bad:
        return Problem(line, bad.field, bad.reason)


def _row(
    line: int, known: dict[str, Any], extra: dict[str, Any], max_chars: int, now: datetime
) -> Row:
    def text(name: str) -> str | None:
        return _text(known, name, LIMITS[name])

    for name in REQUIRED:  # missing before malformed, in the file's column order
        if _blank(known.get(name)):
            raise _Bad(name, "required field is missing")
    external_id, occurred = text("interaction_id"), _time(known, now)
    agent_code = text("agent_id")
    transcript = _text(known, "transcript", max_chars)
    if not (external_id and agent_code and transcript):
        raise _Bad(None, "required field is missing")  # blank after stripping
    return Row(
        line=line,
        external_id=external_id,
        occurred_at=occurred,
        agent_code=agent_code,
        transcript=transcript,
        channel=_choice(known, "channel", Channel),
        team=text("team"),
        customer_ref=text("customer_id"),
        customer_name=text("customer_name"),
        disposition=text("disposition"),
        outcome=_choice(known, "outcome", Outcome),
        csat=_whole(known, "csat", CSAT_RANGE, "not a whole number from 1 to 5"),
        handle_seconds=_whole(
            known,
            "handle_seconds",
            HANDLE_SECONDS_RANGE,
            "not a whole number of seconds from 0 to 604,800 (7 days)",
        ),
        actions=_actions(known.get("actions")),
        attributes=_attributes(extra),
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _storable(field_name: str | None, value: str) -> str:
    if _UNSTORABLE.search(value):
        raise _Bad(field_name, "holds a character that cannot be stored (NUL or a lone surrogate)")
    return value


def _text(values: dict[str, Any], name: str, limit: int) -> str | None:
    """A text field, stripped; a JSON number is read as its digits (ids often are numbers)."""
    value = values.get(name)
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Bad(name, "not text (a list, an object, true/false or a decimal number)")
    value = str(value).strip()
    if len(value) > limit:
        raise _Bad(name, f"longer than the {limit:,}-character limit")
    return _storable(name, value)


def _time(values: dict[str, Any], now: datetime) -> datetime:
    value = _text(values, "occurred_at", LIMITS["occurred_at"]) or ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Bad("occurred_at", "not an ISO 8601 time") from None
    if not EARLIEST <= parsed <= now + LATEST_AHEAD:
        raise _Bad("occurred_at", "not between 2000-01-01 and a day from now")
    return parsed


def _choice(values: dict[str, Any], name: str, kind: type[_Choice]) -> _Choice | None:
    value = _text(values, name, LIMITS[name])
    if value is None:
        return None
    try:
        return kind(value.lower())
    except ValueError:
        raise _Bad(name, f"not one of {', '.join(kind)}") from None


def _whole(values: dict[str, Any], name: str, bounds: tuple[int, int], reason: str) -> int | None:
    """A whole number within ``bounds``, given as a JSON number or as its digits."""
    value = values.get(name)
    if _blank(value):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip())
    ):
        number = int(value)
    if number is None or not bounds[0] <= number <= bounds[1]:
        raise _Bad(name, reason)
    return number


def _actions(value: Any) -> list[str]:
    """Remediation codes: ``;``-separated text or a JSON list of text."""
    if _blank(value):
        return []
    if isinstance(value, str):
        items: list[Any] = value.split(";")
    elif isinstance(value, list):
        items = value
    else:
        raise _Bad("actions", "not a list of codes (text separated by ;)")
    if not all(isinstance(item, str) for item in items):
        raise _Bad("actions", "not a list of codes (text separated by ;)")
    codes = [item.strip() for item in items if item.strip()]
    if len(codes) > MAX_ACTIONS:
        raise _Bad("actions", f"more than {MAX_ACTIONS} codes")
    if any(len(code) > ACTION_MAX_CHARS for code in codes):
        raise _Bad("actions", f"a code longer than {ACTION_MAX_CHARS} characters")
    return [_storable("actions", code) for code in codes]


def _attributes(extra: dict[str, Any]) -> dict[str, Any]:
    """The other columns, checked (never named in a problem: a key may itself be PII)."""
    kept = {key: value for key, value in extra.items() if not _blank(value)}
    if len(kept) > MAX_ATTRIBUTES:
        raise _Bad(None, f"more than {MAX_ATTRIBUTES} extra columns")
    for key, value in kept.items():
        _check_key(key)
        _check_value(value, 0)
    return kept


def _check_key(key: str) -> None:
    if len(key) > ATTRIBUTE_KEY_MAX_CHARS:
        raise _Bad(None, f"an extra column's name is longer than {ATTRIBUTE_KEY_MAX_CHARS}")
    _storable(None, key)


def _check_value(value: Any, depth: int) -> None:
    if isinstance(value, str):
        if len(value) > ATTRIBUTE_TEXT_MAX_CHARS:
            raise _Bad(None, f"an extra column is longer than {ATTRIBUTE_TEXT_MAX_CHARS:,}")
        _storable(None, value)
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -_INT64 <= value <= _INT64:
            raise _Bad(None, "an extra column holds a number out of range")
    elif isinstance(value, list | dict):
        if depth >= ATTRIBUTE_MAX_DEPTH:
            raise _Bad(None, f"an extra column is nested more than {ATTRIBUTE_MAX_DEPTH} deep")
        if isinstance(value, dict):
            for key in value:
                _check_key(key)
        for item in value.values() if isinstance(value, dict) else value:
            _check_value(item, depth + 1)
    # floats (finite: NaN and Infinity are refused as JSON), true, false and null are fine


# ------------------------------------------------------------------------------------ storing
def _table(model: type[SQLModel]) -> Table:
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


# Core tables: ``Store.write`` sends a few statements per batch and builds no ORM objects.
_INTERACTIONS = _table(Interaction)
_SIGNALS = _table(Signal)
_PROBLEMS = _table(ImportProblem)
_AGENTS = _table(Agent)
_USERS = _table(User)
_TEAMS = _table(Team)
_JSON_COLUMNS = frozenset({"actions", "attributes", "turns", "redactions"})
_IN_CHUNK = 1000  # ids per IN list, well under SQLite's limit on variables in a statement


class _EncodedJSON(TypeDecorator[Any]):
    """A JSON column's value that ``prepare`` already encoded (outside the transaction) with
    ``json.dumps``, as SQLAlchemy's JSON type would have: sent as it is."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> None:
        return None


# The interaction table as written by the import: the same columns, JSON sent pre-encoded.
_INTERACTION_ROWS = table(
    _INTERACTIONS.name,
    *(
        column(c.name, _EncodedJSON() if c.name in _JSON_COLUMNS else c.type)
        for c in _INTERACTIONS.c
    ),
)


@dataclass
class Prepared:
    """A row made safe to store, with all the work that needs no database done: ids hashed,
    every text redacted, signals found, the column values built."""

    line: int
    agent_code: str
    team: str | None  # as written, to look up among the teams; never stored
    team_attribute: str | None  # the team, redacted, kept when no team has its name
    values: dict[str, Any]  # the interaction's columns (JSON encoded), but agent, team, times
    signals: list[dict[str, Any]]  # the signals' columns, but for the interaction's id
    turns: list[dict[str, str]]  # as stored in ``values``, for the repeat-contact evidence
    attributes: dict[str, Any]  # likewise, for a team name that matches no team
    # Hashes under the previous key while one is set (a rotation): looked up, then re-keyed.
    previous_id: str | None = None
    previous_ref: str | None = None

    @property
    def external_id(self) -> str:
        return str(self.values["external_id"])


@dataclass
class _Stored:
    """A row of the batch being written: its interaction id (once inserted) and values."""

    item: Prepared
    values: dict[str, Any]
    id: int | None = None


class Store:
    """Writes validated rows: redacted, with their signals, linked to agents and teams.

    ``prepare`` does everything that needs no database, outside the transaction. ``write`` runs
    inside it (``JobContext.commit_batch``, holding SQLite's write lock), so it only sends a few
    statements per batch: one look-up of the batch's interactions already stored, one INSERT of
    the new ones returning their ids, updates for re-imported ones only, one INSERT of all the
    signals, the repeat-contact pass and the problems."""

    def __init__(self, settings: Settings, redactor: Redactor, job_id: int) -> None:
        self.settings = settings
        self.redactor = redactor
        self.job_id = job_id
        self.pseudonyms = Pseudonyms.from_settings(settings)
        self._agents: dict[str, tuple[int, int | None]] = {}  # code: (agent id, user's team)
        self._teams: dict[str, int] | None = None

    def prepare(self, rows: list[Row]) -> list[Prepared]:
        """The slow, database-free part: hash, redact, detect and build the rows' values."""
        return [self._prepare(row) for row in rows]

    def _prepare(self, row: Row) -> Prepared:
        names = [row.customer_name] if row.customer_name else []
        # All turns in one call: "what's the account number?" in one turn is the context that
        # identifies the number in the next.
        turns = parse_turns(row.transcript)
        texts, counts = self.redactor.redact_turns([t["text"] for t in turns], names)
        total = Counter(counts)

        def redact(text: str) -> str:
            redacted, found = self.redactor.redact(text, names)
            total.update(found)
            return redacted

        redacted_turns = [
            {"speaker": t["speaker"], "text": text} for t, text in zip(turns, texts, strict=True)
        ]
        actions = [redact(code).upper() for code in row.actions]
        disposition = redact(row.disposition)[:200] if row.disposition else None
        attributes = _redact_mapping(row.attributes, redact, lower_keys=True)
        team = redact(row.team) if row.team else None
        found = detect(
            redacted_turns,
            outcome=row.outcome,
            csat=row.csat,
            actions=actions,
            uncertainty_phrases=self.settings.uncertainty_phrases,
        )
        customer = row.customer_ref
        values = {
            "external_id": self.pseudonyms.of("interaction", row.external_id),
            "occurred_at": row.occurred_at,
            "channel": row.channel,
            "customer_ref": self.pseudonyms.of("customer", customer) if customer else None,
            "disposition": disposition,
            "outcome": row.outcome,
            "csat": row.csat,
            "handle_seconds": row.handle_seconds,
            "actions": json.dumps(actions),
            "attributes": json.dumps(attributes),
            "turns": json.dumps(redacted_turns),
            "redactions": json.dumps(dict(sorted(total.items()))),
            "import_job_id": self.job_id,
        }
        return Prepared(
            line=row.line,
            agent_code=row.agent_code,
            team=row.team,
            team_attribute=team,
            values=values,
            signals=[_signal_values(f) for f in found],
            turns=redacted_turns,
            attributes=attributes,
            previous_id=self.pseudonyms.previous_of("interaction", row.external_id),
            previous_ref=self.pseudonyms.previous_of("customer", customer) if customer else None,
        )

    def write(self, session: Session, prepared: list[Prepared], problems: list[Problem]) -> None:
        """Store one batch, inside the transaction that commits it with its checkpoint."""
        connection = session.connection()
        now = utcnow()
        existing = self._existing(connection, prepared)
        self._load_agents(connection, prepared, now)
        stored: list[_Stored] = []
        for item in prepared:
            found = existing.get(item.external_id)
            if found is not None and found[1] == self.job_id:
                # A row an earlier batch of this same job stored (this survives a resume);
                # duplicates within one batch are caught by ``read_batches``.
                problems.append(
                    Problem(
                        item.line, "interaction_id", "duplicate interaction_id within this file"
                    )
                )
                continue
            if found is None and item.previous_id:
                found = existing.get(item.previous_id)  # stored under the previous key
            values = {**item.values, **self._links(connection, item), "updated_at": now}
            stored.append(_Stored(item, values, found[0] if found else None))
        reimported = [s for s in stored if s.id is not None]
        self._insert_new(connection, [s for s in stored if s.id is None], now)
        self._update_reimported(connection, reimported)
        self._rekey_customers(connection, prepared)
        signals = [{**values, "interaction_id": s.id} for s in stored for values in s.item.signals]
        signals += self._repeat_contacts(connection, stored)
        if signals:
            connection.execute(insert(_SIGNALS), signals)
        if problems:
            connection.execute(
                insert(_PROBLEMS),
                [
                    {"job_id": self.job_id, "line": p.line, "field": p.field, "reason": p.reason}
                    for p in problems
                ],
            )

    def _existing(
        self, connection: Connection, prepared: list[Prepared]
    ) -> dict[str, tuple[int, int | None]]:
        """The batch's interactions already stored, by either key: hash -> (id, import job)."""
        keys = [p.external_id for p in prepared] + [
            p.previous_id for p in prepared if p.previous_id
        ]
        if not keys:
            return {}
        c = _INTERACTIONS.c
        query = select(c.external_id, c.id, c.import_job_id).where(c.external_id.in_(keys))
        return {external: (id_, job) for external, id_, job in connection.execute(query)}

    def _insert_new(self, connection: Connection, new: list[_Stored], now: datetime) -> None:
        """One INSERT for the batch's new interactions, returning their ids by key. (Asking for
        the ids in the rows' order instead makes SQLAlchemy send one INSERT per row on SQLite,
        which has no way to sort a multi-row RETURNING.)"""
        if not new:
            return
        c = _INTERACTION_ROWS.c
        returned = connection.execute(
            insert(_INTERACTION_ROWS).returning(c.external_id, c.id),
            [{**s.values, "created_at": now} for s in new],
        )
        ids = {external: id_ for external, id_ in returned}
        for s in new:
            s.id = ids[s.item.external_id]

    def _update_reimported(self, connection: Connection, updated: list[_Stored]) -> None:
        """Re-imported interactions take the new values (and key); their signals are found anew."""
        if not updated:
            return
        ids = [s.id for s in updated]
        c = _INTERACTION_ROWS.c
        connection.execute(
            update(_INTERACTION_ROWS).where(c.id == bindparam("_id")),
            [{"_id": s.id, **s.values} for s in updated],
        )
        connection.execute(delete(_SIGNALS).where(_SIGNALS.c.interaction_id.in_(ids)))

    def _rekey_customers(self, connection: Connection, prepared: list[Prepared]) -> None:
        """During a key rotation: a customer's earlier contacts, stored under the previous key,
        take the current hash, so repeat contacts across the change are still found."""
        pairs = {(p.previous_ref, p.values["customer_ref"]) for p in prepared if p.previous_ref}
        if pairs:
            c = _INTERACTIONS.c
            connection.execute(
                update(_INTERACTIONS)
                .where(c.customer_ref == bindparam("_previous"))
                .values(customer_ref=bindparam("_current")),
                [{"_previous": previous, "_current": current} for previous, current in pairs],
            )

    def _load_agents(self, connection: Connection, prepared: list[Prepared], now: datetime) -> None:
        """Agent ids (and their users' teams) for the codes this job has not seen yet; an
        unknown code becomes an agent, linked to the user with that agent code if there is one."""
        codes = [c for c in dict.fromkeys(p.agent_code for p in prepared) if c not in self._agents]
        if not codes:
            return
        a, u = _AGENTS.c, _USERS.c
        agents = {
            code: id_
            for code, id_ in connection.execute(select(a.code, a.id).where(a.code.in_(codes)))
        }
        users = {
            code: (user_id, team_id)
            for code, user_id, team_id in connection.execute(
                select(u.agent_code, u.id, u.team_id).where(u.agent_code.in_(codes))
            )
        }
        new = [code for code in codes if code not in agents]  # in the order of the file
        if new:
            created = connection.execute(
                insert(_AGENTS).returning(a.code, a.id),
                [
                    {
                        "code": code,
                        "user_id": users[code][0] if code in users else None,
                        "first_seen_at": now,
                    }
                    for code in new
                ],
            )
            agents.update((code, id_) for code, id_ in created)
        for code in codes:
            user = users.get(code)
            self._agents[code] = (agents[code], user[1] if user else None)

    def _links(self, connection: Connection, item: Prepared) -> dict[str, Any]:
        """The row's agent and team: the team named in the row, else the agent's user's team.
        A team name that matches no team is kept, redacted, as an attribute."""
        agent_id, user_team = self._agents[item.agent_code]
        if self._teams is None:
            c = _TEAMS.c
            self._teams = {
                name.lower(): id_ for name, id_ in connection.execute(select(c.name, c.id))
            }
        team_id = self._teams.get(item.team.lower()) if item.team else None
        links: dict[str, Any] = {"agent_id": agent_id, "team_id": team_id or user_team}
        if item.team and team_id is None:
            links["attributes"] = json.dumps({**item.attributes, "team": item.team_attribute})
        return links

    def _repeat_contacts(
        self, connection: Connection, stored: list[_Stored]
    ) -> list[dict[str, Any]]:
        """Mark the earlier contact of every pair from one customer within the limit: the
        repeat-contact signals to insert."""
        days = self.settings.repeat_contact_days
        limit = timedelta(days=days)
        refs = {s.values["customer_ref"] for s in stored if s.values["customer_ref"]}
        if not refs:
            return []
        lo = min(s.values["occurred_at"] for s in stored) - limit
        hi = max(s.values["occurred_at"] for s in stored) + limit
        c = _INTERACTIONS.c
        window = (c.customer_ref.in_(refs), c.occurred_at >= lo, c.occurred_at <= hi)
        rows = connection.execute(
            select(c.id, c.customer_ref, c.occurred_at)
            .where(*window)
            .order_by(c.customer_ref, c.occurred_at, c.id)
        ).all()
        s_ = _SIGNALS.c
        marked = set(
            connection.execute(
                select(s_.interaction_id).where(
                    s_.kind == SignalKind.repeat_contact,
                    s_.interaction_id.in_(select(c.id).where(*window)),
                )
            ).scalars()
        )
        pairs: list[tuple[int, timedelta]] = []
        for (a_id, a_ref, a_at), (_, b_ref, b_at) in itertools.pairwise(rows):
            gap = _aware(b_at) - _aware(a_at)
            if a_ref != b_ref or a_id in marked or gap > limit:
                continue
            pairs.append((a_id, gap))
            marked.add(a_id)
        # The earlier contact's turns are its evidence: from this batch, or read in one query.
        turns = {s.id: s.item.turns for s in stored}
        missing = [a_id for a_id, _ in pairs if a_id not in turns]
        for first in range(0, len(missing), _IN_CHUNK):
            chunk = missing[first : first + _IN_CHUNK]
            query = select(c.id, c.turns).where(c.id.in_(chunk))
            turns.update((id_, value) for id_, value in connection.execute(query))
        return [
            {
                **_signal_values(repeat_contact(turns[a_id], gap.total_seconds() / 86400, days)),
                "interaction_id": a_id,
            }
            for a_id, gap in pairs
        ]


def _signal_values(found: Found) -> dict[str, Any]:
    return {
        "kind": found.kind,
        "evidence": found.evidence,
        "reason": found.reason[:300],
        "turn_index": found.turn_index,
    }


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def problems_csv(session: Session, job_id: int) -> str:
    """The downloadable error report: line, field, reason."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "field", "reason"])
    query = select(ImportProblem).where(ImportProblem.job_id == job_id)
    for p in session.exec(query.order_by(col(ImportProblem.line))):
        writer.writerow([p.line, p.field or "", p.reason])
    return out.getvalue()


def problem_count(session: Session, job_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(ImportProblem).where(ImportProblem.job_id == job_id)
    ).one()


def summary(session: Session, job_id: int) -> str:
    imported = session.exec(
        select(func.count()).select_from(Interaction).where(Interaction.import_job_id == job_id)
    ).one()
    skipped = problem_count(session, job_id)
    unlinked = session.exec(
        select(func.count(func.distinct(Agent.id)))
        .select_from(Agent)
        .join(Interaction, col(Interaction.agent_id) == Agent.id)
        .where(Interaction.import_job_id == job_id, col(Agent.user_id).is_(None))
    ).one()
    text = f"{imported:,} interactions imported, {skipped:,} rows skipped"
    return text + (f"; {unlinked} agent ids match no user (unlinked)" if unlinked else "")


def stage_upload(source: BinaryIO, upload_dir: Path, suffix: str = ".upload") -> Path:
    """Copy an upload to the upload folder in chunks (never whole in memory)."""
    upload_dir.mkdir(parents=True, exist_ok=True)
    target = upload_dir / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as out:
        shutil.copyfileobj(source, out, length=1024 * 1024)
    return target


# --------------------------------------------------------------------------- redacting values
def _redact_mapping(
    values: dict[str, Any], redact: Callable[[str], str], *, lower_keys: bool = False
) -> dict[str, Any]:
    """Keys and values redacted, nested ones too. A key that held PII keeps its tokens as they
    are (``[EMAIL]``); two keys that redact alike are told apart by a number."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        redacted = redact(key)
        if redacted == key and lower_keys:
            redacted = key.lower()
        unique, n = redacted, 1
        while unique in out:
            n += 1
            unique = f"{redacted} ({n})"
        out[unique] = _redact_value(value, redact)
    return out


def _redact_value(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return _redact_mapping(value, redact)
    if isinstance(value, list):
        return [_redact_value(item, redact) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)  # a card number can come as a JSON number
        redacted = redact(text)
        return value if redacted == text else redacted
    return value  # true, false, null
