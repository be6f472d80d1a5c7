"""Writing a full run's members in short transactions.

A run used to delete every member and insert them all again in the transaction that applies
it: at 200,000 documents that held the database's write lock for most of a minute. Now the run
is written as the difference from what is stored (``replace_members``: only rows that are new,
gone, or changed), and before that transaction the job commits, in batches, the parts that do
not change what anybody sees:

- ``similarity_updates``: members that stay in their theme get their similarity to the theme's
  new centroid (the order the theme page lists them in);
- the members of the run's new themes, inserted while those themes are ``pending`` (invisible
  to every reader, see ``runs.stage_new_themes``).

So the final transaction changes only the documents that move, arrive or leave, and the theme
rows. A worker killed before it leaves the previous themes as they were, and the retry removes
what the dead attempt staged. Functions flush, never commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from foundation.clock import as_utc
from ideas.themes.models import DocumentKind, Theme, ThemeMember, ThemeState

CHUNK = 1_000  # ids per IN (...) list
BATCH = 5_000  # member rows per transaction of the staged writes

MemberRow = dict[str, Any]  # the columns of one ``ThemeMember``, without its id
CHANGEABLE = ("theme_id", "similarity", "via", "occurred_at", "team_id")


@dataclass(frozen=True)
class Stored:
    """A member row as it is stored now."""

    id: int
    theme_id: int
    similarity: float
    via: str
    occurred_at: datetime
    team_id: int | None


def stored_members(session: Session) -> dict[str, Stored]:
    """Document key ("idea:12") -> its member row."""
    columns = ("id", "kind", "source_id", "theme_id", "similarity", "via", "occurred_at", "team_id")
    table = ThemeMember.__table__  # type: ignore[attr-defined]
    query = sql_select(*(table.c[c] for c in columns))
    return {
        f"{DocumentKind(kind).value}:{source_id}": Stored(int(i), theme, sim, via, at, team)
        for i, kind, source_id, theme, sim, via, at, team in session.execute(query)
    }


def previous_themes(session: Session) -> dict[str, int]:
    """Document key -> its theme now: what a re-run keeps its granularity by."""
    table = ThemeMember.__table__  # type: ignore[attr-defined]
    query = sql_select(table.c.kind, table.c.source_id, table.c.theme_id)
    return {
        f"{DocumentKind(kind).value}:{source_id}": int(theme)
        for kind, source_id, theme in session.execute(query)
    }


def row_key(row: MemberRow) -> str:
    return f"{DocumentKind(row['kind']).value}:{row['source_id']}"


def _differs(stored: Stored, row: MemberRow) -> bool:
    return (
        stored.theme_id != row["theme_id"]
        or stored.similarity != row["similarity"]
        or stored.via != row["via"]
        or stored.team_id != row["team_id"]
        or as_utc(stored.occurred_at) != as_utc(row["occurred_at"])
    )


def replace_members(session: Session, rows: Sequence[MemberRow], stored: dict[str, Stored]) -> int:
    """Make the members exactly ``rows``, touching only the rows that differ from ``stored``
    (read in this transaction). Returns how many rows were inserted, updated or deleted."""
    left = dict(stored)
    inserts: list[MemberRow] = []
    updates: list[MemberRow] = []
    for row in rows:
        old = left.pop(row_key(row), None)
        if old is None:
            inserts.append(row)
        elif _differs(old, row):
            updates.append({"id": old.id, **{c: row[c] for c in CHANGEABLE}})
    gone = [old.id for old in left.values()]
    for first in range(0, len(gone), CHUNK):
        chunk = gone[first : first + CHUNK]
        session.exec(delete(ThemeMember).where(col(ThemeMember.id).in_(chunk)))
    if updates:
        session.execute(update(ThemeMember), updates)  # by primary key, one statement
    if inserts:
        session.execute(insert(ThemeMember), inserts)
    session.flush()
    return len(gone) + len(updates) + len(inserts)


def set_similarities(session: Session, updates: Sequence[MemberRow]) -> None:
    """``{"id", "similarity"}`` rows: refresh members that stay where they are."""
    if updates:
        session.execute(update(ThemeMember), list(updates))


def insert_members(session: Session, rows: Sequence[MemberRow]) -> None:
    if rows:
        session.execute(insert(ThemeMember), list(rows))


def drop_pending(session: Session) -> None:
    """Remove pending themes (a run's, not applied) and the members staged in them."""
    ids = list(session.exec(select(Theme.id).where(Theme.state == ThemeState.pending)))
    if ids:
        session.exec(delete(ThemeMember).where(col(ThemeMember.theme_id).in_(ids)))
        session.exec(delete(Theme).where(col(Theme.id).in_(ids)))
        session.flush()
