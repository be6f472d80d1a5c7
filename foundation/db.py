"""Database engines and sessions.

Engines are built by whoever owns the process (the app's lifespan, the worker, the CLI), never at
import. Services only ``flush``; the owner of the unit of work commits. Work that must happen only
once the data is durable (enqueueing a job) is registered with :func:`on_commit`.

Write transactions take the write lock up front. On SQLite a deferred ``BEGIN`` lets two
transactions both read and then both try to write: one of them gets "database is locked" at
once, and the busy timeout cannot help (SQLite refuses to wait for a lock that the waiter's own
snapshot makes useless). So a unit of work that may write starts with ``BEGIN IMMEDIATE`` and
waits its turn (``busy_timeout``), and one that only reads starts a deferred ``BEGIN`` and is
*read-only*: an attempt to write in it raises :class:`ReadOnly` instead of failing at random
under load. PostgreSQL needs neither (row locks); the read-only guard applies there too, so a
stray write in a page view is caught by the tests on both.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, SessionTransaction, UOWTransaction
from sqlmodel import Session, create_engine

_AFTER_COMMIT = "voiceloop_after_commit"
# Connection execution option: begin with the write lock held (SQLite's BEGIN IMMEDIATE).
_WRITE_LOCK = "voiceloop_write_lock"
_READ_ONLY = "voiceloop_read_only"
BUSY_TIMEOUT_MS = 30_000


# Random ids, for rows whose insertion order must not show (an anonymous idea must not sit
# between named ideas with exact times): nine digits, short enough to read out and type, and
# within a 32-bit column. Drawn blind; ``ideas.submissions.models`` draws again on a collision
# before a flush inserts new ideas.
RANDOM_IDS = range(100_000_000, 1_000_000_000)


def random_id() -> int:
    return RANDOM_IDS.start + secrets.randbelow(len(RANDOM_IDS))


class ReadOnly(RuntimeError):
    """A read-only unit of work (a page view) tried to write: a bug, never a user error."""


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Database errors quote their statement's parameters (emails, addresses, transcript text):
    # keep them out of exception messages, and so out of every log and error report.
    kwargs.setdefault("hide_parameters", True)
    # Enough connections for a web process's thread pool (40 threads) and its small writes, so
    # requests wait for the database, never for a connection.
    database = make_url(url).database
    if not url.startswith("sqlite") or (database and database != ":memory:"):
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 40)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        **kwargs,
    )
    _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINTs; let SQLAlchemy emit BEGIN itself
    # (the documented recipe), and switch on foreign keys and WAL for the web + worker pair.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL never corrupts the database; a commit is durable at the next
        # checkpoint rather than at once (a power cut may lose the last moments, a crash does
        # not), and a commit no longer waits for the disk while holding the write lock.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(_WRITE_LOCK, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def on_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's current transaction has committed (never on rollback)."""
    callbacks: list[Callable[[], None]] = session.info.setdefault(_AFTER_COMMIT, [])
    if not callbacks and not event.contains(session, "after_commit", _run_after_commit):
        event.listen(session, "after_commit", _run_after_commit)
        event.listen(session, "after_rollback", _drop_after_commit)
    callbacks.append(callback)


def _run_after_commit(session: Session) -> None:
    for callback in session.info.pop(_AFTER_COMMIT, []):
        callback()


def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)


def begin(session: Session, *, write: bool) -> None:
    """Make the session's transactions take the write lock, or be read-only (see the module
    docstring). Call before the session's first statement.

    The write lock is taken when the session first touches the database, not here, so work a
    request does before that (checking a form, embedding a text) does not hold it."""
    session.info[_WRITE_LOCK if write else _READ_ONLY] = True


# Listening on the class, once: the handlers do nothing for a session without those flags.
@event.listens_for(Session, "after_transaction_create")
def _lock_on_begin(session: Session, transaction: SessionTransaction) -> None:
    # The session begins (a statement, a flush or a savepoint needs it): connect holding the lock.
    if transaction.parent is None and session.info.get(_WRITE_LOCK):
        session.connection(execution_options={_WRITE_LOCK: True})


@event.listens_for(Session, "before_flush")
def _refuse_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    if session.info.get(_READ_ONLY) and (session.new or session.deleted or session.dirty):
        raise ReadOnly("a read-only unit of work tried to write; use a write transaction")


@event.listens_for(Session, "do_orm_execute")
def _refuse_statement(state: ORMExecuteState) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and state.session.info.get(_READ_ONLY):
        raise ReadOnly("a read-only unit of work tried to write; use a write transaction")


@contextmanager
def transaction(session: Session, *, write: bool | None = None) -> Iterator[Session]:
    """Commit when the block succeeds, roll back when it raises. ``write=True`` takes the write
    lock up front, ``write=False`` makes the block read-only; None leaves the session as it is."""
    if write is not None:
        begin(session, write=write)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """One unit of work outside a request (CLI, worker)."""
    with Session(engine, expire_on_commit=False) as session, transaction(session, write=write):
        yield session


@contextmanager
def unit_of_work(factory: Callable[[], Session], *, write: bool) -> Iterator[Session]:
    """One short transaction from a session factory, for work a request splits up (sign-in's
    throttle record before the password check, say)."""
    with factory() as session, transaction(session, write=write):
        yield session
