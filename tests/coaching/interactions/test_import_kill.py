"""A worker killed with SIGKILL in the middle of an import: a new worker finishes it with every
row exactly once, no duplicates, and every signal present once. The upload (raw PII) waits on
disk while the job waits to resume, and is deleted once the job has succeeded."""

from __future__ import annotations

import os
import secrets
import signal
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlmodel import Session, func, select

from api.migrate import upgrade
from coaching.interactions.importer import stage_upload
from coaching.interactions.models import Interaction, Signal
from foundation.db import make_engine, session_scope
from foundation.ids import pk
from foundation.settings import Settings
from jobs.models import JobStatus
from jobs.queue import Queue
from jobs.service import start_job
from tests.support.coaching import row, write_csv
from tests.support.workers import (
    STALE_SECONDS,
    Backend,
    Workers,
    read_job,
    wait_for,
    wait_until_stale,
)

ROWS = 12_000  # 120 checkpointed batches (reader.BATCH_ROWS): the kill lands part-way
TRANSCRIPTS = [
    "Customer: My card has not arrived.\nAgent: I have ordered a new one for you.",
    "Customer: Why was I charged twice?\nAgent: I'm not sure, let me check with my team leader.",
    "Customer: I lost my job and can't afford the payment.\nAgent: The payment is due Friday.",
    "Customer: I want to close my account.\nAgent: I'll put you through to the right team.",
]


def big_file(path: Path) -> Path:
    rows = []
    for n in range(ROWS):
        outcome = ["resolved", "unresolved", "transferred", "escalated"][n % 7 % 4]
        rows.append(
            row(
                n,
                transcript=TRANSCRIPTS[n % len(TRANSCRIPTS)],
                outcome=outcome,
                csat=str(1 + n % 5),
                customer_id=f"C-{n // 3}",
                occurred_at=f"2026-{1 + n % 11:02d}-{1 + n % 28:02d}T{8 + n % 9:02d}:00:00Z",
            )
        )
    return write_csv(path, rows)


@pytest.mark.slow
def test_killed_import_resumes_and_imports_every_row_once(tmp_path):
    backend = Backend(
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        queue_url=f"sqlite:///{tmp_path / 'queue.db'}",
        queue_name="voiceloop",
    )
    upgrade(backend.database_url)
    settings = Settings(
        environment="test",
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        database_url=backend.database_url,
        queue_url=backend.queue_url,
        job_stale_seconds=STALE_SECONDS,
    )
    engine = make_engine(backend.database_url)
    queue = Queue(settings, name=backend.queue_name)
    workers = Workers(backend, settings, tmp_path)
    try:
        with big_file(tmp_path / "big.csv").open("rb") as source:
            staged = stage_upload(source, tmp_path / "uploads")
        with session_scope(engine) as session:
            job = start_job(
                session, queue, "interactions.import", {"path": str(staged)}, started_by_id=None
            )
        job_id = pk(job)
        first = workers.start()
        wait_for(
            lambda: read_job(engine, job_id).done > 0.2 * staged.stat().st_size,
            600,
            "a fifth of the file",
            interval=0.2,
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        assert read_job(engine, job_id).status == JobStatus.running  # cut off part-way
        assert staged.is_file()  # kept: the job resumes from its checkpoint

        wait_until_stale(engine, job_id)
        workers.start()
        wait_for(
            lambda: read_job(engine, job_id).status.finished,
            900,
            "the import to finish",
            interval=0.5,
        )
        finished = read_job(engine, job_id)
        assert finished.status == JobStatus.succeeded, finished.error
        assert finished.attempts >= 2
        with Session(engine) as session:
            interactions = session.exec(select(func.count()).select_from(Interaction)).one()
            distinct = session.exec(
                select(func.count(func.distinct(Interaction.external_id)))
            ).one()
            signals = session.exec(select(func.count()).select_from(Signal)).one()
            distinct_signals = session.exec(
                select(func.count()).select_from(
                    select(Signal.interaction_id, Signal.kind).distinct().subquery()
                )
            ).one()
        assert interactions == distinct == ROWS
        assert signals == distinct_signals > 0  # every signal present exactly once
        assert finished.message is not None
        assert f"{ROWS:,} interactions imported, 0 rows skipped" in finished.message
        assert not staged.exists()  # deleted with the final state
    except BaseException:
        print(workers.output())
        raise
    finally:
        workers.kill_all()
        queue.close()
        engine.dispose()
