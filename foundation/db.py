"""Database engines and sessions.

Engines are built by whoever owns the process (the app's lifespan, the worker, the CLI), never at
import. Services only ``flush``; the owner of the unit of work commits. Work that must happen only
once the data is durable (enqueueing a job) is registered with :func:`on_commit`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

_AFTER_COMMIT = "voiceloop_after_commit"


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Database errors quote their statement's parameters (emails, addresses, transcript text):
    # keep them out of exception messages, and so out of every log and error report.
    kwargs.setdefault("hide_parameters", True)
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
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
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")


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


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Commit when the block succeeds, roll back when it raises."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work outside a request (CLI, worker)."""
    with Session(engine, expire_on_commit=False) as session, transaction(session):
        yield session
