"""What the web layer does with jobs: start one, list them, show one.

Request sessions only ``flush``; the request commits. ``start_job`` therefore enqueues from an
after-commit hook: a worker never sees a job id whose row is not committed, and a rolled-back
request enqueues nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from foundation.db import on_commit
from foundation.errors import Invalid, NotFound
from foundation.i18n import N_
from foundation.settings import Settings
from jobs.models import Job, JobStatus
from jobs.queue import Enqueuer
from jobs.registry import known_kinds

logger = logging.getLogger(__name__)


def start_job(
    session: Session,
    queue: Enqueuer,
    kind: str,
    params: Mapping[str, Any],
    started_by_id: int | None,
) -> Job:
    """Add a queued job and enqueue it once the caller's transaction commits.

    ``params`` must hold ids and counts only: never personal data.
    """
    if kind not in known_kinds():
        raise Invalid(N_("Unknown job kind: %(kind)s"), field="kind", params={"kind": kind})
    job = Job(kind=kind, params=dict(params), started_by_id=started_by_id)
    session.add(job)
    session.flush()
    job_id = job.id
    assert job_id is not None

    def enqueue() -> None:
        try:
            queue.enqueue(job_id)
        except Exception:
            # The job row is committed; the reaper re-enqueues it after job_stale_seconds.
            logger.exception("job %d: enqueue failed; the reaper will retry", job_id)

    on_commit(session, enqueue)
    return job


def pending(session: Session, kind: str) -> Job | None:
    """The newest queued or running job of this kind, if any."""
    statement = select(Job).where(
        Job.kind == kind, col(Job.status).in_([JobStatus.queued, JobStatus.running])
    )
    return session.exec(statement.order_by(col(Job.id).desc()).limit(1)).first()


def start_unless_pending(engine: Engine, queue: Enqueuer, kind: str) -> int | None:
    """A scheduled start: the new job's id, or None when one is already queued or running."""
    with Session(engine) as session:
        if pending(session, kind) is not None:
            return None
        job = start_job(session, queue, kind, {}, None)
        session.commit()
        return job.id


def list_jobs(session: Session, *, started_by_id: int | None = None, limit: int = 50) -> list[Job]:
    """Newest first; ``started_by_id`` None lists everybody's jobs."""
    statement = select(Job).order_by(col(Job.created_at).desc(), col(Job.id).desc()).limit(limit)
    if started_by_id is not None:
        statement = statement.where(Job.started_by_id == started_by_id)
    return list(session.exec(statement))


def get_job(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(N_("No such job"))
    return job


def run_now(
    engine: Engine,
    settings: Settings,
    kind: str,
    params: Mapping[str, Any],
    started_by_id: int | None = None,
) -> Job:
    """Run a job in this process (command line, demo data), durably: if this process dies, a
    worker's reaper picks the job up from its checkpoint."""
    from jobs.runner import run_job

    with Session(engine) as session:
        job = Job(kind=kind, params=dict(params), started_by_id=started_by_id)
        session.add(job)
        session.commit()
        job_id = job.id
    assert job_id is not None
    run_job(engine, job_id, settings.job_stale_seconds, settings=settings)
    with Session(engine) as session:
        finished = session.get(Job, job_id)
        assert finished is not None
        return finished


def run_queued_now(engine: Engine, settings: Settings) -> list[int]:
    """Run, in this process, every job still queued (the follow-ups of jobs run with
    ``run_now``, such as an import's ``themes.join``, which no worker has seen: without this a
    worker's reaper would only find them ``job_stale_seconds`` later). Returns their ids."""
    from jobs.runner import run_job

    with Session(engine) as session:
        queued = select(Job.id).where(Job.status == JobStatus.queued).order_by(col(Job.id))
        ids = [job_id for job_id in session.exec(queued) if job_id is not None]
    for job_id in ids:
        run_job(engine, job_id, settings.job_stale_seconds, settings=settings)
    return ids


def run_import_now(
    engine: Engine, settings: Settings, source: Path, started_by_id: int | None = None
) -> Job:
    """Import a file in this process (CLI, demo data) as a durable job."""
    from coaching.interactions.importer import stage_upload

    with source.open("rb") as handle:
        staged = stage_upload(handle, Path(settings.upload_dir))
    return run_now(engine, settings, "interactions.import", {"path": str(staged)}, started_by_id)
