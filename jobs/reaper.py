"""Re-queue jobs that no worker is looking after.

Huey deletes a message when a worker takes it, so a worker that dies takes its job's message
with it. Two cases are repaired here, each with a guarded UPDATE so that several reapers (every
worker runs one) never enqueue the same job twice in one round:

- ``running`` with a heartbeat older than ``stale_seconds``: its worker is dead. The job goes back
  to ``queued`` with no owner (the dead worker's token can write nothing any more).
- ``queued`` for longer than ``stale_seconds`` since it was created or last re-queued: its message
  may have been lost (for example the broker was down when the web request committed).
  ``heartbeat_at`` records when it was last re-queued, so that happens at most once per
  ``stale_seconds``. A duplicate message is harmless: the claim lets only one run happen.

A job whose worker died ``MAX_ATTEMPTS`` times (a task that kills its process, say by running
out of memory) is failed instead of being re-queued for ever.

Runs once when a worker starts and then every minute as a Huey periodic task.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine, and_, or_, select, update
from sqlmodel import col

from foundation.clock import utcnow
from jobs.models import Job, JobStatus
from jobs.runner import after_final

if TYPE_CHECKING:
    from jobs.queue import Enqueuer

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def reap(engine: Engine, queue: Enqueuer, stale_seconds: float) -> list[int]:
    """Re-queue dead and forgotten jobs; returns their ids (enqueued after the UPDATEs commit)."""
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_seconds)
    status, heartbeat_at = col(Job.status), col(Job.heartbeat_at)
    stale_running = and_(
        status == JobStatus.running,
        or_(heartbeat_at.is_(None), heartbeat_at < cutoff),
    )
    forgotten_queued = and_(
        status == JobStatus.queued,
        or_(and_(heartbeat_at.is_(None), col(Job.created_at) < cutoff), heartbeat_at < cutoff),
    )
    reaped: list[int] = []
    gave_up_on: list[int] = []
    with engine.connect() as connection:
        candidates = connection.execute(
            select(col(Job.id)).where(or_(stale_running, forgotten_queued)).order_by(col(Job.id))
        ).scalars()
        candidate_ids = [job_id for job_id in candidates if job_id is not None]
    for job_id in candidate_ids:
        with engine.begin() as connection:
            gave_up = connection.execute(
                update(Job)
                .where(col(Job.id) == job_id, stale_running, col(Job.attempts) >= MAX_ATTEMPTS)
                .values(
                    status=JobStatus.failed,
                    owner=None,
                    finished_at=now,
                    error=f"The worker stopped {MAX_ATTEMPTS} times while running this job; "
                    "giving up. Check the worker's memory and logs, then start it again.",
                )
            ).rowcount
            if gave_up:
                logger.warning("job %d: failed after %d attempts", job_id, MAX_ATTEMPTS)
                gave_up_on.append(job_id)
                continue
            requeued = connection.execute(
                update(Job)
                .where(col(Job.id) == job_id, or_(stale_running, forgotten_queued))
                .values(status=JobStatus.queued, owner=None, heartbeat_at=now)
            ).rowcount
        if requeued == 1:
            reaped.append(job_id)
    for job_id in gave_up_on:
        after_final(engine, job_id)  # committed as failed: its clean-up runs now
    for job_id in reaped:
        queue.enqueue(job_id)
    if reaped:
        logger.info("re-queued %d job(s): %s", len(reaped), reaped)
    return reaped
