"""Streaming import of interaction logs (CSV or JSON Lines, DESIGN.md's format).

The file is read as bytes, line by line, with the byte offset after every record, so memory
stays flat whatever the size and a killed job resumes at its last checkpoint. Each batch is
parsed, validated, redacted, checked for gap signals and stored in one transaction together
with the checkpoint (``jobs.runner.JobContext.commit_batch``). Re-importing an
``interaction_id`` updates it. Bad rows become ``ImportProblem`` rows (line, field, reason:
never the values), and every good row still imports.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from coaching.models import Agent, Channel, ImportProblem, Interaction, Outcome, Signal, SignalKind
from coaching.signals import Found, detect, repeat_contact
from coaching.transcript import parse_turns
from foundation.accounts import Team, User
from foundation.clock import utcnow
from foundation.settings import Settings

if TYPE_CHECKING:  # Presidio takes seconds to import; the web process never needs it
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
BATCH_ROWS = 500


class BadFile(ValueError):
    """The file as a whole cannot be imported; the message says why (and holds no data)."""


@dataclass
class Problem:
    line: int
    field: str | None
    reason: str


@dataclass
class Row:
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


class _Lines:
    """UTF-8 lines of a binary file, counting physical lines and the byte offset."""

    def __init__(self, raw: BinaryIO, offset: int, line: int) -> None:
        self.raw = raw
        self.offset = offset
        self.line = line
        raw.seek(offset)
        if offset == 0 and raw.read(3) != BOM:
            raw.seek(0)
        elif offset == 0:
            self.offset = 3

    def __iter__(self) -> Iterator[str]:
        for data in self.raw:
            self.line += 1
            self.offset += len(data)
            try:
                yield data.decode("utf-8")
            except UnicodeDecodeError:
                raise BadFile(
                    f"Line {self.line} is not UTF-8 text. Save the file as UTF-8 "
                    "(with or without BOM) and import it again."
                ) from None


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
    seen: set[str] = set()
    with path.open("rb") as raw:
        lines = _Lines(raw, offset, line)
        records = _records(lines, fmt, header)
        rows: list[Row] = []
        problems: list[Problem] = []
        for start_line, values in records:
            parsed = _validate(start_line, values, max_chars)
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
                yield Batch(rows, problems, lines.offset, lines.line)
                rows, problems, seen = [], [], set()
        if rows or problems:
            yield Batch(rows, problems, lines.offset, lines.line)


def read_header(path: Path) -> list[str]:
    with path.open("rb") as raw:
        lines = _Lines(raw, 0, 0)
        first = next(iter(lines), "")
    return [h.strip().lower() for h in next(csv.reader([first]), [])]


def _records(
    lines: _Lines, fmt: str, header: list[str] | None
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(first physical line, values) per record; a string value is a problem description."""
    if fmt == "jsonl":
        for text in lines:
            if not text.strip():
                continue
            try:
                values = json.loads(text)
            except json.JSONDecodeError:
                yield lines.line, "not valid JSON"
                continue
            yield lines.line, values if isinstance(values, dict) else "not a JSON object"
        return
    iterator = iter(lines)
    if header is None or lines.offset <= 3:
        header = [h.strip().lower() for h in next(csv.reader([next(iterator, "")]), [])]
    reader = csv.reader(iterator)
    start = lines.line + 1
    try:
        for record in reader:
            if record and len(record) == len(header):
                yield start, dict(zip(header, record, strict=True))
            elif record:
                yield start, f"has {len(record)} fields, the header has {len(header)}"
            start = lines.line + 1
    except csv.Error:
        yield start, "is not valid CSV (check the quotes)"


def _validate(line: int, values: dict[str, Any] | str, max_chars: int) -> Row | Problem:
    if isinstance(values, str):
        return Problem(line, None, values)
    clean = {str(k).strip().lower(): v for k, v in values.items()}
    for name in REQUIRED:
        if clean.get(name) in (None, ""):
            return Problem(line, name, "required field is missing")
    text: dict[str, Any] = {
        k: (str(v).strip() if v is not None and not isinstance(v, list) else v)
        for k, v in clean.items()
    }
    try:
        occurred = _parse_time(text["occurred_at"])
    except ValueError:
        return Problem(line, "occurred_at", "not an ISO 8601 time")
    transcript = text["transcript"]
    if len(transcript) > max_chars:
        return Problem(line, "transcript", f"longer than the {max_chars:,}-character limit")
    try:
        channel = Channel(text["channel"].lower()) if text.get("channel") else None
    except ValueError:
        return Problem(line, "channel", "not one of phone, chat, email, social")
    try:
        outcome = Outcome(text["outcome"].lower()) if text.get("outcome") else None
    except ValueError:
        return Problem(line, "outcome", "not one of resolved, unresolved, escalated, transferred")
    csat = _optional_int(text.get("csat"))
    if csat is False or (csat is not None and not 1 <= csat <= 5):
        return Problem(line, "csat", "not a whole number from 1 to 5")
    handle = _optional_int(text.get("handle_seconds"))
    if handle is False or (handle is not None and handle < 0):
        return Problem(line, "handle_seconds", "not a whole number of seconds")
    raw_actions = clean.get("actions") or ""
    actions = raw_actions if isinstance(raw_actions, list) else str(raw_actions).split(";")
    return Row(
        line=line,
        external_id=text["interaction_id"][:128],
        occurred_at=occurred,
        agent_code=text["agent_id"][:64],
        transcript=transcript,
        channel=channel,
        team=text.get("team") or None,
        customer_ref=(text.get("customer_id") or None),
        customer_name=text.get("customer_name") or None,
        disposition=text.get("disposition") or None,
        outcome=outcome,
        csat=csat,  # type: ignore[arg-type]
        handle_seconds=handle,  # type: ignore[arg-type]
        actions=[a.strip().upper() for a in actions if str(a).strip()][:50],
        attributes={k: v for k, v in text.items() if k not in KNOWN and v not in (None, "")},
    )


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _optional_int(value: str | None) -> int | bool | None:
    if value in (None, ""):
        return None
    try:
        return int(str(value))
    except ValueError:
        return False


# ------------------------------------------------------------------------------------ storing
class Store:
    """Writes validated rows: redacted, with their signals, linked to agents and teams."""

    def __init__(self, settings: Settings, redactor: Redactor, job_id: int) -> None:
        self.settings = settings
        self.redactor = redactor
        self.job_id = job_id
        self._agents: dict[str, tuple[int, int | None]] = {}
        self._teams: dict[str, int] | None = None

    def prepare(self, rows: list[Row]) -> list[tuple[Row, dict[str, Any], list[Found]]]:
        """The slow, database-free part: redact and detect (runs outside the transaction)."""
        prepared = []
        for row in rows:
            names = [row.customer_name] if row.customer_name else []
            turns, counts = self._redact_turns(parse_turns(row.transcript), names)
            fields: dict[str, Any] = {"turns": turns, "redactions": counts}
            if row.disposition:
                fields["disposition"] = self.redactor.redact(row.disposition, names)[0][:200]
            fields["attributes"] = {
                k: self.redactor.redact(str(v), names)[0] for k, v in row.attributes.items()
            }
            found = detect(
                turns,
                outcome=row.outcome,
                csat=row.csat,
                actions=row.actions,
                uncertainty_phrases=self.settings.uncertainty_phrases,
            )
            prepared.append((row, fields, found))
        return prepared

    def _redact_turns(
        self, turns: list[dict[str, str]], names: list[str]
    ) -> tuple[list[dict[str, str]], dict[str, int]]:
        # All turns in one call: "what's the account number?" in one turn is the context that
        # identifies the number in the next.
        texts, counts = self.redactor.redact_turns([t["text"] for t in turns], names)
        return [
            {"speaker": t["speaker"], "text": text} for t, text in zip(turns, texts, strict=True)
        ], counts

    def write(
        self,
        session: Session,
        prepared: list[tuple[Row, dict[str, Any], list[Found]]],
        problems: list[Problem],
    ) -> None:
        # Duplicates of rows an earlier batch of this same job stored (survives a resume).
        ids = [row.external_id for row, _, _ in prepared]
        earlier = set(
            session.exec(
                select(Interaction.external_id).where(
                    col(Interaction.external_id).in_(ids), Interaction.import_job_id == self.job_id
                )
            )
        )
        stored: list[Interaction] = []
        for row, fields, found in prepared:
            if row.external_id in earlier:
                problems.append(
                    Problem(row.line, "interaction_id", "duplicate interaction_id within this file")
                )
                continue
            stored.append(self._upsert(session, row, fields, found))
        session.flush()
        self._repeat_contacts(session, stored)
        session.add_all(
            ImportProblem(job_id=self.job_id, line=p.line, field=p.field, reason=p.reason)
            for p in problems
        )

    def _upsert(
        self, session: Session, row: Row, fields: dict[str, Any], found: list[Found]
    ) -> Interaction:
        agent_id, user_team = self._agent(session, row.agent_code)
        team_id = self._team_id(session, row.team) or user_team
        if row.team and not self._team_id(session, row.team):
            fields["attributes"]["team"] = row.team
        interaction = session.exec(
            select(Interaction).where(Interaction.external_id == row.external_id)
        ).first()
        values = dict(
            occurred_at=row.occurred_at,
            agent_id=agent_id,
            team_id=team_id,
            channel=row.channel,
            customer_ref=row.customer_ref,
            disposition=fields.get("disposition"),
            outcome=row.outcome,
            csat=row.csat,
            handle_seconds=row.handle_seconds,
            actions=row.actions,
            attributes=fields["attributes"],
            turns=fields["turns"],
            redactions=fields["redactions"],
            import_job_id=self.job_id,
            updated_at=utcnow(),
        )
        if interaction is None:
            interaction = Interaction(external_id=row.external_id, **values)
            session.add(interaction)
            session.flush()
        else:
            for key, value in values.items():
                setattr(interaction, key, value)
            session.add(interaction)
            session.exec(delete(Signal).where(col(Signal.interaction_id) == interaction.id))
        session.add_all(
            Signal(
                interaction_id=interaction.id,  # type: ignore[arg-type]
                kind=f.kind,
                evidence=f.evidence,
                reason=f.reason[:300],
                turn_index=f.turn_index,
            )
            for f in found
        )
        return interaction

    def _agent(self, session: Session, code: str) -> tuple[int, int | None]:
        if code not in self._agents:
            agent = session.exec(select(Agent).where(Agent.code == code)).first()
            user = session.exec(select(User).where(User.agent_code == code)).first()
            if agent is None:
                agent = Agent(code=code, user_id=user.id if user else None)
                session.add(agent)
                session.flush()
            self._agents[code] = (agent.id, user.team_id if user else None)  # type: ignore[assignment]
        return self._agents[code]

    def _team_id(self, session: Session, name: str | None) -> int | None:
        if self._teams is None:
            self._teams = {t.name.lower(): t.id for t in session.exec(select(Team))}  # type: ignore[misc]
        return self._teams.get(name.lower()) if name else None

    def _repeat_contacts(self, session: Session, stored: list[Interaction]) -> None:
        """Mark the earlier contact of every pair from one customer within the limit."""
        limit = timedelta(days=self.settings.repeat_contact_days)
        refs = {i.customer_ref for i in stored if i.customer_ref}
        if not refs:
            return
        lo = min(i.occurred_at for i in stored) - limit
        hi = max(i.occurred_at for i in stored) + limit
        rows = session.exec(
            select(Interaction.id, Interaction.customer_ref, Interaction.occurred_at)
            .where(col(Interaction.customer_ref).in_(refs))
            .where(Interaction.occurred_at >= lo, Interaction.occurred_at <= hi)
            .order_by(col(Interaction.customer_ref), col(Interaction.occurred_at))
        ).all()
        marked = set(
            session.exec(
                select(Signal.interaction_id).where(
                    Signal.kind == SignalKind.repeat_contact,
                    col(Signal.interaction_id).in_([r[0] for r in rows]),
                )
            )
        )
        for (a_id, a_ref, a_at), (_, b_ref, b_at) in itertools.pairwise(rows):
            gap = _aware(b_at) - _aware(a_at)
            if a_ref != b_ref or a_id in marked or gap > limit:
                continue
            first = session.get(Interaction, a_id)
            if first is None:
                continue
            found = repeat_contact(
                first.turns, gap.total_seconds() / 86400, self.settings.repeat_contact_days
            )
            session.add(
                Signal(
                    interaction_id=a_id,  # type: ignore[arg-type]
                    kind=found.kind,
                    evidence=found.evidence,
                    reason=found.reason[:300],
                    turn_index=found.turn_index,
                )
            )
            marked.add(a_id)  # type: ignore[arg-type]


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
