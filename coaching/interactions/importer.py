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

import re
import shutil
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

from sqlalchemy import (
    func,
)
from sqlmodel import Session, col, select

from coaching.interactions.models import Agent, Channel, ImportProblem, Interaction, Outcome

if TYPE_CHECKING:  # Presidio takes seconds to import; the web process never needs it here
    pass


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


def problems(session: Session, job_id: int) -> list[ImportProblem]:
    """The rows of the downloadable error report, in line order."""
    query = select(ImportProblem).where(ImportProblem.job_id == job_id)
    return list(session.exec(query.order_by(col(ImportProblem.line))))


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
