"""Run one job under a claim.

A claim is a single conditional UPDATE that moves a job to ``running`` with a fresh random owner
token. Every later write of the worker (progress, heartbeat, final status) is guarded by
``WHERE id = ? AND owner = ?``, so a worker whose claim was taken over (because its heartbeat
went stale) can no longer write anything: its next batch raises :class:`ClaimLost` and rolls
back.

A handler receives a :class:`JobContext`, processes its work in batches and hands each batch to
:meth:`JobContext.commit_batch`, which commits the batch's rows together with the checkpoint that
says where to resume. Handlers must therefore be idempotent and resume from ``ctx.checkpoint``.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, Update, and_, func, literal, or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col
from sqlmodel.sql.sqltypes import UTCDateTime

from foundation.clock import utcnow
from foundation.db import on_commit
from foundation.settings import Settings
from jobs.models import Job, JobStatus
from jobs.registry import finalise, get_handler

logger = logging.getLogger(__name__)

ERROR_MAX = 2000
MESSAGE_MAX = 500
UNKNOWN_KIND = "unknown job kind"


class ClaimLost(Exception):
    """This worker no longer owns the job; stop without writing anything else."""


def claim(engine: Engine, job_id: int, stale_seconds: float) -> str | None:
    """Take ``job_id`` if it is queued, or running with a heartbeat older than ``stale_seconds``.

    Returns the new owner token, or None when the job is finished or owned by a live worker.
    """
    owner = secrets.token_hex(16)
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_seconds)
    statement = (
        update(Job)
        .where(
            col(Job.id) == job_id,
            or_(
                col(Job.status) == JobStatus.queued,
                and_(
                    col(Job.status) == JobStatus.running,
                    or_(col(Job.heartbeat_at).is_(None), col(Job.heartbeat_at) < cutoff),
                ),
            ),
        )
        .values(
            status=JobStatus.running,
            owner=owner,
            attempts=col(Job.attempts) + 1,
            heartbeat_at=now,
            started_at=func.coalesce(col(Job.started_at), literal(now, UTCDateTime())),
        )
    )
    with engine.begin() as connection:
        claimed = connection.execute(statement).rowcount == 1
    return owner if claimed else None


def _guarded(job_id: int, owner: str) -> Update:
    return update(Job).where(col(Job.id) == job_id, col(Job.owner) == owner)


class JobContext:
    """What a handler sees of its job: parameters, checkpoint and guarded progress writes."""

    def __init__(
        self,
        engine: Engine,
        job_id: int,
        owner: str,
        *,
        kind: str,
        params: Mapping[str, Any],
        checkpoint: dict[str, Any] | None,
        enqueue: Callable[[int], None] | None = None,
        settings: Settings | None = None,
    ) -> None:
        self.job_id = job_id
        self.kind = kind
        self.params: dict[str, Any] = dict(params)
        self.checkpoint = checkpoint
        self._engine = engine
        self._owner = owner
        self._enqueue = enqueue
        self._settings = settings
        # One writer at a time per job in this process: the heartbeat thread and a batch commit
        # would otherwise fight over SQLite's write lock.
        self._write_lock = threading.Lock()

    @classmethod
    def load(
        cls,
        engine: Engine,
        job_id: int,
        owner: str,
        enqueue: Callable[[int], None] | None = None,
        settings: Settings | None = None,
    ) -> JobContext:
        with Session(engine) as session:
            job = session.get(Job, job_id)
            if job is None:
                raise ClaimLost(f"job {job_id} no longer exists")
            return cls(
                engine,
                job_id,
                owner,
                kind=job.kind,
                params=job.params,
                checkpoint=job.checkpoint,
                enqueue=enqueue,
                settings=settings,
            )

    @property
    def settings(self) -> Settings:
        """The settings of the process running the job, passed in by whoever runs it (the
        queue's worker, ``run_now``); a handler that needs them fails loudly without."""
        if self._settings is None:
            raise RuntimeError(f"job {self.job_id} ({self.kind}) was run without settings")
        return self._settings

    def set_total(self, total: int) -> None:
        self._write(_guarded(self.job_id, self._owner).values(total=total, heartbeat_at=utcnow()))

    def progress(self, done: int, message: str | None = None) -> None:
        """Report progress between batches (a phase with nothing to commit, like clustering)."""
        values: dict[str, Any] = {"done": done, "heartbeat_at": utcnow()}
        if message is not None:
            values["message"] = message[:MESSAGE_MAX]
        self._write(_guarded(self.job_id, self._owner).values(**values))

    def read(self) -> Session:
        """A session for reading what the job works on (writes go through ``commit_batch``)."""
        return Session(self._engine)

    def start_followup(self, session: Session, kind: str, params: Mapping[str, Any]) -> None:
        """Add a job inside a ``commit_batch`` write; it is enqueued once that commits (without
        a queue, as when run from the command line, a worker's reaper picks it up)."""
        job = Job(kind=kind, params=dict(params), started_by_id=None)
        session.add(job)
        session.flush()
        job_id, enqueue = job.id, self._enqueue
        if enqueue is not None and job_id is not None:
            on_commit(session, lambda: enqueue(job_id))

    def heartbeat(self) -> None:
        """Prove this worker is alive; raises ClaimLost when another worker took the job."""
        self._write(_guarded(self.job_id, self._owner).values(heartbeat_at=utcnow()))

    def commit_batch(
        self,
        session_work: Callable[[Session], None],
        checkpoint: dict[str, Any],
        done: int,
        message: str | None = None,
    ) -> None:
        """Commit one batch's writes together with the checkpoint that follows it.

        Both happen in one transaction or not at all: when the claim was lost the transaction
        is rolled back and ClaimLost is raised, so no row is ever written twice.
        """
        values: dict[str, Any] = {"checkpoint": checkpoint, "done": done, "heartbeat_at": utcnow()}
        if message is not None:
            values["message"] = message[:MESSAGE_MAX]
        with self._write_lock, Session(self._engine) as session:
            # The guarded UPDATE goes first: it takes the job's row lock (PostgreSQL) or the
            # write lock (SQLite) before the batch runs, and tells us at once if the claim is gone.
            result = session.exec(_guarded(self.job_id, self._owner).values(**values))
            if result.rowcount != 1:
                session.rollback()
                raise ClaimLost(f"job {self.job_id} was claimed by another worker")
            session_work(session)
            session.commit()
        self.checkpoint = checkpoint

    def _write(self, statement: Update) -> None:
        with self._write_lock, self._engine.begin() as connection:
            if connection.execute(statement).rowcount != 1:
                raise ClaimLost(f"job {self.job_id} was claimed by another worker")


class _Heartbeat:
    """Refreshes the job's heartbeat from a daemon thread while the handler runs."""

    def __init__(self, context: JobContext, interval: float) -> None:
        self._context = context
        self._interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"job-{context.job_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stopped.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stopped.wait(self._interval):
            try:
                self._context.heartbeat()
            except ClaimLost:
                return  # the handler finds out at its next commit_batch
            except Exception:  # a database hiccup: try again at the next beat
                logger.warning("job %d: heartbeat failed; retrying", self._context.job_id)


def error_text(exc: BaseException) -> str:
    """A short, data-free description of a failure for ``Job.error``."""
    if isinstance(exc, SQLAlchemyError):
        # Database errors quote the statement's parameters, which may be personal data.
        return f"{type(exc).__name__}: database error (details withheld)"
    text = str(exc)
    return (f"{type(exc).__name__}: {text}" if text else type(exc).__name__)[:ERROR_MAX]


def finish(
    engine: Engine, job_id: int, owner: str, status: JobStatus, error: str | None = None
) -> bool:
    """Record the outcome, if ``owner`` still holds the claim; returns whether it did."""
    now = utcnow()
    statement = _guarded(job_id, owner).values(
        status=status, error=error, owner=None, finished_at=now, heartbeat_at=now
    )
    with engine.begin() as connection:
        return connection.execute(statement).rowcount == 1


def run_job(
    engine: Engine,
    job_id: int,
    stale_seconds: float,
    enqueue: Callable[[int], None] | None = None,
    settings: Settings | None = None,
) -> None:
    """Claim ``job_id`` and run its handler (with ``settings``, which the handlers of most kinds
    need); a no-op when another worker has it or it is done."""
    owner = claim(engine, job_id, stale_seconds)
    if owner is None:
        logger.info("job %d: not claimed (finished or owned by a live worker)", job_id)
        return
    kind = "?"
    try:
        context = JobContext.load(engine, job_id, owner, enqueue, settings)
        kind = context.kind
        handler = get_handler(kind)
        if handler is None:
            logger.error("job %d (%s): unknown job kind", job_id, kind)
            finish(engine, job_id, owner, JobStatus.failed, f"{UNKNOWN_KIND}: {kind}"[:ERROR_MAX])
            return  # no handler, no clean-up
        with _Heartbeat(context, interval=stale_seconds / 3):
            handler(context)
    except ClaimLost:
        logger.info("job %d (%s): claim lost to another worker; stopping", job_id, kind)
        return
    except Exception as exc:
        # Only the id and kind are logged: the exception may quote the data being processed.
        logger.error("job %d (%s) failed with %s", job_id, kind, type(exc).__name__)
        if finish(engine, job_id, owner, JobStatus.failed, error_text(exc)):
            after_final(engine, job_id)
        return
    if finish(engine, job_id, owner, JobStatus.succeeded):
        logger.info("job %d (%s) succeeded", job_id, kind)
        after_final(engine, job_id)


def after_final(engine: Engine, job_id: int) -> None:
    """Run the clean-up registered for the job's kind (``jobs.registry.on_final``), now that its
    final state is committed. A failing clean-up is logged (kind and error type only)."""
    with Session(engine) as session:
        job = session.get(Job, job_id)
        if job is None:
            return
        kind, params = job.kind, dict(job.params)
    try:
        finalise(kind, params)
    except Exception as exc:
        logger.error("job %d (%s): clean-up failed with %s", job_id, kind, type(exc).__name__)
