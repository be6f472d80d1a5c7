"""Storing batches of interactions: ``Store.prepare`` (redact, detect signals, build column
values; outside any transaction) and ``Store.write`` (a handful of bulk statements).
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Connection,
    Dialect,
    Table,
    TypeDecorator,
    bindparam,
    column,
    delete,
    insert,
    table,
    update,
)
from sqlmodel import Session, SQLModel, select

from coaching.interactions.importer import Problem, Row
from coaching.interactions.matching_cjk import turns_language
from coaching.interactions.models import Agent, ImportProblem, Interaction, Signal, SignalKind
from coaching.interactions.signals import Found, detect, repeat_contact
from coaching.interactions.transcript import parse_turns
from coaching.interactions.validate import _redact_mapping
from foundation.accounts import Team, User
from foundation.clock import utcnow
from foundation.pseudonyms import Pseudonyms
from foundation.settings import Settings

if TYPE_CHECKING:  # Presidio takes seconds to import; the web process never needs it here
    from foundation.redaction import Redactor


# ------------------------------------------------------------------------------------ storing
def _table(model: type[SQLModel]) -> Table:
    # SQLModel does not declare ``__table__`` on the class.
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
        language = turns_language(redacted_turns)
        found = detect(
            redacted_turns,
            outcome=row.outcome,
            csat=row.csat,
            actions=actions,
            uncertainty_phrases=self.settings.uncertainty_phrases,
            language=language,
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
            "language": language,
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
