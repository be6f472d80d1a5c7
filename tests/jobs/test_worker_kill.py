"""A worker killed with SIGKILL mid-job: a new worker finishes it, every item exactly once.

Two legs: SQLite database + SqliteHuey (files in tmp_path), and PostgreSQL + Redis. The
PostgreSQL leg works in a fresh schema (``search_path`` set through the URL) that is dropped
afterwards; the Redis leg uses a unique Huey queue name, passed to the worker as
``python -m jobs --queue-name``, and deletes only that queue's keys.
"""

from __future__ import annotations

import os
import signal
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session, col, select

from api.migrate import upgrade
from foundation.clock import as_utc, utcnow
from foundation.db import make_engine, session_scope
from foundation.settings import Settings
from jobs.models import DemoItem, JobStatus
from jobs.queue import Queue
from jobs.service import start_job
from tests.support.workers import (
    STALE_SECONDS,
    Backend,
    Workers,
    read_job,
    wait_for,
)

N_ITEMS = 60


@pytest.fixture
def sqlite_backend(tmp_path: Path) -> Iterator[Backend]:
    yield Backend(
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        queue_url=f"sqlite:///{tmp_path / 'queue.db'}",
        queue_name="voiceloop",
    )


@pytest.fixture
def postgres_redis_backend() -> Iterator[Backend]:
    from tests.support.services import postgres_url, redis_url

    suffix = uuid.uuid4().hex[:12]
    schema = f"vl_{suffix}"
    base_url = postgres_url()
    admin = make_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    database_url = (
        make_url(base_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    queue_name = f"voiceloop_test_{suffix}"
    try:
        yield Backend(database_url=database_url, queue_url=redis_url(), queue_name=queue_name)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
        client = redis.Redis.from_url(redis_url())
        try:
            keys = list(client.scan_iter(match=f"huey.*{queue_name}*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


BACKENDS = [
    pytest.param("sqlite_backend", id="sqlite", marks=pytest.mark.slow),
    pytest.param(
        "postgres_redis_backend",
        id="postgres-redis",
        marks=[pytest.mark.slow, pytest.mark.postgres],
    ),
]


@pytest.mark.parametrize("backend_fixture", BACKENDS)
def test_killed_worker_job_is_finished_by_another_exactly_once(
    backend_fixture: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    make_settings: Callable[..., Settings],
) -> None:
    backend: Backend = request.getfixturevalue(backend_fixture)
    upgrade(backend.database_url)
    settings = make_settings(
        database_url=backend.database_url,
        queue_url=backend.queue_url,
        job_stale_seconds=STALE_SECONDS,
    )
    engine = make_engine(backend.database_url)
    queue = Queue(settings, name=backend.queue_name)
    workers = Workers(backend, settings, tmp_path)
    try:
        with session_scope(engine) as session:
            job = start_job(
                session,
                queue,
                "demo.count",
                {"n": N_ITEMS, "batch_size": 5, "delay": 0.05},
                started_by_id=None,
            )
        assert job.id is not None
        job_id = job.id
        assert queue.pending_count() == 1  # enqueued once the session committed

        first = workers.start()
        wait_for(lambda: read_job(engine, job_id).done >= 10, 30, "the first worker's progress")
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)

        killed = read_job(engine, job_id)
        assert killed.status == JobStatus.running, "the job must be cut off part-way"
        assert 10 <= killed.done <= 50
        assert killed.attempts == 1
        with Session(engine) as session:
            items = list(session.exec(select(DemoItem.item).where(DemoItem.job_id == job_id)))
        assert sorted(items) == list(range(killed.done))  # batch and checkpoint commit together

        def heartbeat_is_stale() -> bool:
            heartbeat = read_job(engine, job_id).heartbeat_at
            assert heartbeat is not None
            return utcnow() - as_utc(heartbeat) > timedelta(seconds=STALE_SECONDS + 0.2)

        wait_for(heartbeat_is_stale, STALE_SECONDS + 10, "the heartbeat to go stale")
        assert read_job(engine, job_id).done == killed.done  # nobody else worked on it

        workers.start()
        wait_for(
            lambda: read_job(engine, job_id).status.finished,
            60,
            "the second worker to finish",
            interval=0.1,
        )

        finished = read_job(engine, job_id)
        assert finished.status == JobStatus.succeeded, finished.error
        assert finished.done == N_ITEMS
        assert finished.attempts >= 2
        assert finished.owner is None
        with Session(engine) as session:
            rows = list(
                session.exec(
                    select(DemoItem.item)
                    .where(DemoItem.job_id == job_id)
                    .order_by(col(DemoItem.item))
                )
            )
        assert rows == list(range(N_ITEMS))
    except BaseException:
        print(workers.output())
        raise
    finally:
        workers.kill_all()
        queue.close()
        engine.dispose()
