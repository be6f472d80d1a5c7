"""Fast tests of the claim, the runner, the reaper and the service (no worker processes)."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, update
from sqlmodel import Session, col, select

from foundation.clock import as_utc, utcnow
from foundation.errors import Invalid, NotFound
from foundation.settings import Settings
from jobs import registry
from jobs.models import DemoItem, Job, JobStatus
from jobs.queue import Queue, make_huey
from jobs.reaper import MAX_ATTEMPTS, reap
from jobs.runner import ClaimLost, JobContext, claim, run_job
from jobs.service import get_job, list_jobs, start_job

REPO_ROOT = Path(__file__).resolve().parents[2]
SettingsFactory = Callable[..., Settings]


class RecordingQueue:
    """Records enqueued job ids instead of sending them to a broker."""

    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue(self, job_id: int) -> None:
        self.enqueued.append(job_id)


def add_job(engine: Engine, kind: str = "demo.count", **fields: Any) -> int:
    fields.setdefault("params", {"n": 10, "batch_size": 3})
    with Session(engine) as session:
        job = Job(kind=kind, **fields)
        session.add(job)
        session.commit()
        assert job.id is not None
        return job.id


def load(engine: Engine, job_id: int) -> Job:
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def demo_items(engine: Engine, job_id: int) -> list[int]:
    with Session(engine) as session:
        query = select(DemoItem.item).where(DemoItem.job_id == job_id).order_by(col(DemoItem.item))
        return list(session.exec(query))


def age_heartbeat(engine: Engine, job_id: int, seconds: float = 3600) -> None:
    with engine.begin() as connection:
        connection.execute(
            update(Job)
            .where(col(Job.id) == job_id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=seconds))
        )


@pytest.fixture
def temporary_handlers() -> Iterator[dict[str, registry.Handler]]:
    """Handlers registered by one test only."""
    added: dict[str, registry.Handler] = {}
    registry.get_handler("demo.count")  # load jobs.tasks before the test adds its own kinds
    yield added
    for kind in added:
        registry._HANDLERS.pop(kind, None)


def register(added: dict[str, registry.Handler], kind: str, func: registry.Handler) -> None:
    registry.handler(kind)(func)
    added[kind] = func


# ----------------------------------------------------------------------------------- claims


def test_claim_is_exclusive(engine: Engine) -> None:
    job_id = add_job(engine)

    owner = claim(engine, job_id, stale_seconds=60)

    assert owner is not None
    assert claim(engine, job_id, stale_seconds=60) is None
    job = load(engine, job_id)
    assert job.status == JobStatus.running
    assert job.owner == owner
    assert job.attempts == 1
    assert job.started_at is not None and job.heartbeat_at is not None


def test_finished_job_cannot_be_claimed(engine: Engine) -> None:
    job_id = add_job(engine, status=JobStatus.succeeded)

    assert claim(engine, job_id, stale_seconds=0) is None


def test_stale_claim_is_taken_over_and_old_owner_writes_nothing(engine: Engine) -> None:
    job_id = add_job(engine)
    old_owner = claim(engine, job_id, stale_seconds=60)
    assert old_owner is not None
    old = JobContext.load(engine, job_id, old_owner)
    started_at = load(engine, job_id).started_at

    age_heartbeat(engine, job_id)
    new_owner = claim(engine, job_id, stale_seconds=60)

    assert new_owner is not None and new_owner != old_owner
    job = load(engine, job_id)
    assert job.attempts == 2
    assert job.started_at == started_at  # the first start is kept

    def write(session: Session) -> None:
        session.add(DemoItem(job_id=job_id, item=0))

    with pytest.raises(ClaimLost):
        old.commit_batch(write, checkpoint={"next": 1}, done=1, message="old owner")
    with pytest.raises(ClaimLost):
        old.set_total(10)
    job = load(engine, job_id)
    assert demo_items(engine, job_id) == []
    assert (job.done, job.checkpoint, job.message, job.total) == (0, None, None, None)

    new = JobContext.load(engine, job_id, new_owner)
    new.commit_batch(write, checkpoint={"next": 1}, done=1, message="new owner")
    job = load(engine, job_id)
    assert demo_items(engine, job_id) == [0]
    assert (job.done, job.checkpoint, job.message) == (1, {"next": 1}, "new owner")


# ----------------------------------------------------------------------------------- runner


def test_demo_job_runs_to_success(engine: Engine) -> None:
    job_id = add_job(engine, params={"n": 10, "batch_size": 3})

    run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert job.status == JobStatus.succeeded
    assert (job.done, job.total, job.checkpoint) == (10, 10, {"next": 10})
    assert job.owner is None and job.finished_at is not None and job.error is None
    assert demo_items(engine, job_id) == list(range(10))


def test_resumed_demo_job_processes_only_the_remaining_items(engine: Engine) -> None:
    # A previous attempt committed items 0..29 together with checkpoint next=30, then died.
    job_id = add_job(
        engine,
        params={"n": 50, "batch_size": 7},
        checkpoint={"next": 30},
        done=30,
        attempts=1,
    )
    with Session(engine) as session:
        session.add_all(DemoItem(job_id=job_id, item=item) for item in range(30))
        session.commit()
    with Session(engine) as session:
        before = {row.item: row.processed_at for row in session.exec(select(DemoItem))}

    run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert job.status == JobStatus.succeeded, job.error
    assert (job.done, job.attempts, job.checkpoint) == (50, 2, {"next": 50})
    assert demo_items(engine, job_id) == list(range(50))
    with Session(engine) as session:
        after = {row.item: row.processed_at for row in session.exec(select(DemoItem))}
    assert {item: after[item] for item in range(30)} == before  # old rows untouched


def test_handler_exception_fails_the_job_and_logs_only_id_and_kind(
    engine: Engine,
    temporary_handlers: dict[str, registry.Handler],
    caplog: pytest.LogCaptureFixture,
) -> None:
    def explode(ctx: JobContext) -> None:
        raise ValueError("row 7 has a bad date")

    register(temporary_handlers, "test.explode", explode)
    job_id = add_job(engine, kind="test.explode")

    with caplog.at_level(logging.INFO, logger="jobs"):
        run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert job.status == JobStatus.failed
    assert job.error == "ValueError: row 7 has a bad date"
    assert job.owner is None and job.finished_at is not None
    assert f"job {job_id} (test.explode) failed" in caplog.text
    assert "bad date" not in caplog.text


def test_error_message_is_capped(
    engine: Engine, temporary_handlers: dict[str, registry.Handler]
) -> None:
    def explode(ctx: JobContext) -> None:
        raise RuntimeError("x" * 5000)

    register(temporary_handlers, "test.long_error", explode)
    job_id = add_job(engine, kind="test.long_error")

    run_job(engine, job_id, stale_seconds=60)

    error = load(engine, job_id).error
    assert error is not None and error.startswith("RuntimeError: xxx") and len(error) == 2000


def test_bad_demo_params_fail_the_job(engine: Engine) -> None:
    job_id = add_job(engine, params={"n": "many"})

    run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert job.status == JobStatus.failed
    assert job.error == "ValueError: parameter 'n' must be an integer >= 0"


def test_unknown_kind_fails(engine: Engine) -> None:
    job_id = add_job(engine, kind="no.such.kind")

    run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert job.status == JobStatus.failed
    assert job.error is not None and job.error.startswith("unknown job kind")
    assert job.owner is None


def test_claim_lost_mid_run_stops_quietly(
    engine: Engine, temporary_handlers: dict[str, registry.Handler]
) -> None:
    def stolen(ctx: JobContext) -> None:
        with engine.begin() as connection:  # another worker takes over meanwhile
            connection.execute(
                update(Job).where(col(Job.id) == ctx.job_id).values(owner="someone-else")
            )
        ctx.commit_batch(lambda s: s.add(DemoItem(job_id=ctx.job_id, item=1)), {"next": 2}, 2)

    register(temporary_handlers, "test.stolen", stolen)
    job_id = add_job(engine, kind="test.stolen")

    run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert (job.status, job.owner, job.error, job.done) == (
        JobStatus.running,
        "someone-else",
        None,
        0,
    )
    assert demo_items(engine, job_id) == []


def test_heartbeat_keeps_a_slow_handler_from_looking_dead(
    engine: Engine, temporary_handlers: dict[str, registry.Handler]
) -> None:
    stale_seconds = 1.0
    seen: dict[str, Any] = {}

    def slow(ctx: JobContext) -> None:
        time.sleep(2.5 * stale_seconds)  # no commit_batch: only the heartbeat thread writes
        seen["takeover"] = claim(engine, ctx.job_id, stale_seconds)
        seen["heartbeat_age"] = utcnow() - as_utc(load(engine, ctx.job_id).heartbeat_at)  # type: ignore[arg-type]

    register(temporary_handlers, "test.slow", slow)
    job_id = add_job(engine, kind="test.slow")

    run_job(engine, job_id, stale_seconds)

    assert seen["takeover"] is None
    assert seen["heartbeat_age"] < timedelta(seconds=stale_seconds)
    job = load(engine, job_id)
    assert job.status == JobStatus.succeeded and job.attempts == 1


# ----------------------------------------------------------------------------------- reaper


def test_reaper_requeues_stale_and_forgotten_jobs_only(engine: Engine) -> None:
    stale_running = add_job(engine)
    fresh_running = add_job(engine)
    old_queued = add_job(engine, created_at=utcnow() - timedelta(hours=1))
    new_queued = add_job(engine)
    finished = add_job(engine, status=JobStatus.succeeded, created_at=utcnow() - timedelta(hours=1))
    stale_owner = claim(engine, stale_running, 60)
    fresh_owner = claim(engine, fresh_running, 60)
    age_heartbeat(engine, stale_running)
    queue = RecordingQueue()

    reaped = reap(engine, queue, stale_seconds=60)

    assert reaped == [stale_running, old_queued]
    assert queue.enqueued == [stale_running, old_queued]
    job = load(engine, stale_running)
    assert (job.status, job.owner) == (JobStatus.queued, None)
    job = load(engine, fresh_running)
    assert (job.status, job.owner) == (JobStatus.running, fresh_owner)
    assert load(engine, new_queued).status == JobStatus.queued
    assert load(engine, finished).status == JobStatus.succeeded
    # The dead worker's token can no longer write progress.
    assert stale_owner is not None
    with pytest.raises(ClaimLost):
        JobContext.load(engine, stale_running, stale_owner).heartbeat()
    # A second reaper in the same round finds nothing to do.
    assert reap(engine, queue, stale_seconds=60) == []
    assert queue.enqueued == [stale_running, old_queued]


def test_reaped_job_is_claimable_again(engine: Engine) -> None:
    job_id = add_job(engine)
    assert claim(engine, job_id, 60) is not None
    age_heartbeat(engine, job_id)
    reap(engine, RecordingQueue(), stale_seconds=60)

    run_job(engine, job_id, stale_seconds=60)

    job = load(engine, job_id)
    assert (job.status, job.attempts) == (JobStatus.succeeded, 2)


def test_a_job_that_keeps_killing_its_worker_is_failed_not_requeued(engine: Engine) -> None:
    job_id = add_job(engine)
    for _ in range(MAX_ATTEMPTS):
        assert claim(engine, job_id, 60) is not None
        age_heartbeat(engine, job_id)  # the worker died
        if load(engine, job_id).attempts < MAX_ATTEMPTS:
            assert reap(engine, RecordingQueue(), stale_seconds=60) == [job_id]
    queue = RecordingQueue()

    assert reap(engine, queue, stale_seconds=60) == []

    job = load(engine, job_id)
    assert job.status == JobStatus.failed and f"stopped {MAX_ATTEMPTS} times" in (job.error or "")
    assert queue.enqueued == []


# ----------------------------------------------------------------------------------- service


def test_start_job_enqueues_only_after_commit(engine: Engine) -> None:
    queue = RecordingQueue()
    with Session(engine) as session:
        job = start_job(session, queue, "demo.count", {"n": 3}, started_by_id=None)
        assert job.id is not None
        assert queue.enqueued == []
        job_id = job.id
        session.commit()
        assert queue.enqueued == [job_id]
    assert load(engine, job_id).status == JobStatus.queued


def test_start_job_rolled_back_enqueues_nothing(engine: Engine) -> None:
    queue = RecordingQueue()
    with Session(engine) as session:
        start_job(session, queue, "demo.count", {"n": 3}, started_by_id=None)
        session.rollback()
        session.commit()
    assert queue.enqueued == []
    with Session(engine) as session:
        assert session.exec(select(func.count()).select_from(Job)).one() == 0


def test_start_job_refuses_an_unknown_kind(engine: Engine) -> None:
    with Session(engine) as session, pytest.raises(Invalid):
        start_job(session, RecordingQueue(), "no.such.kind", {}, started_by_id=None)


def test_start_job_survives_a_broker_failure(engine: Engine) -> None:
    class BrokenQueue:
        def enqueue(self, job_id: int) -> None:
            raise ConnectionError("broker down")

    with Session(engine) as session:
        job_id = start_job(session, BrokenQueue(), "demo.count", {"n": 3}, started_by_id=None).id
        session.commit()
    assert job_id is not None and load(engine, job_id).status == JobStatus.queued


def test_list_and_get_jobs(engine: Engine) -> None:
    first = add_job(engine)
    second = add_job(engine)
    with Session(engine) as session:
        assert [job.id for job in list_jobs(session)] == [second, first]
        assert [job.id for job in list_jobs(session, limit=1)] == [second]
        assert list_jobs(session, started_by_id=12345) == []
        assert get_job(session, first).id == first
        with pytest.raises(NotFound):
            get_job(session, 999_999)


# ----------------------------------------------------------------------------------- queue


def test_make_huey_refuses_other_urls(make_settings: SettingsFactory) -> None:
    for url in ("postgresql://localhost/queue", "sqlite://", "amqp://localhost"):
        with pytest.raises(ValueError):
            make_huey(make_settings(queue_url=url))


def test_sqlite_queue_carries_only_the_job_id(
    tmp_path: Path, make_settings: SettingsFactory
) -> None:
    path = tmp_path / "nested" / "queue.db"
    queue = Queue(make_settings(queue_url=f"sqlite:///{path}"))

    assert path.parent.is_dir()
    assert queue.ping()
    queue.enqueue(42)

    assert queue.pending_count() == 1
    [raw] = queue.huey.storage.enqueued_items()
    message = pickle.loads(raw)  # Huey's default serializer
    assert (message.name, message.args, message.kwargs) == ("jobs.queue.run_job", (42,), {})


def test_sqlite_ping_fails_without_the_queue_file(
    tmp_path: Path, make_settings: SettingsFactory
) -> None:
    path = tmp_path / "queue.db"
    queue = Queue(make_settings(queue_url=f"sqlite:///{path}"))
    path.unlink()

    assert not queue.ping()


def test_importing_jobs_creates_nothing(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "VOICELOOP_DATABASE_URL": f"sqlite:///{tmp_path}/db/app.db",
        "VOICELOOP_QUEUE_URL": f"sqlite:///{tmp_path}/queue/queue.db",
    }
    code = (
        "import jobs, jobs.queue, jobs.runner, jobs.reaper, jobs.service, jobs.tasks, "
        "jobs.worker, jobs.registry, jobs.__main__"
    )
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True, timeout=60)

    assert sorted(p.name for p in tmp_path.iterdir()) == []
