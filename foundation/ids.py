"""Row ids as people can send them: the range every id column and parameter accepts.

Every id column is an ``INTEGER``: 32 bits on PostgreSQL (64 on SQLite), so a larger number names
nothing, and PostgreSQL refuses even to compare one with an id ("integer out of range"). Ids are
never zero or negative either. Reference fields of the models that people fill in (a team, a
category, a leader) use :data:`IdRef`, so an out-of-range id is a validation error (422) rather
than a database error; route parameters use ``api.params``. Random idea ids
(``foundation.db.RANDOM_IDS``) are nine digits, well inside.
"""

from __future__ import annotations

from typing import Annotated, Protocol

from pydantic import Field

MAX_ID = 2**31 - 1

IdRef = Annotated[int, Field(ge=1, le=MAX_ID)]


def in_range(value: int) -> bool:
    return 1 <= value <= MAX_ID


class _Stored(Protocol):
    @property
    def id(self) -> int | None: ...


def pk(row: _Stored) -> int:
    """A stored row's id. Models declare ``id: int | None`` because a new row has none until it
    is flushed; every caller of this holds a flushed or loaded row, and this says so once."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id until it is flushed")
    return row.id
