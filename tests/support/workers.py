"""Job workers in subprocesses (``python -m jobs``) for the tests that kill one mid-job and
check that another finishes the work exactly once: the backend they share (database, queue and
queue name), starting and killing them, and waiting for a killed worker's job to go stale."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

from sqlalchemy import Engine
from sqlmodel import Session

from foundation.clock import as_utc, utcnow
from foundation.settings import Settings
from jobs.models import Job

REPO_ROOT = Path(__file__).resolve().parents[2]

# The workers' VOICELOOP_JOB_STALE_SECONDS: a killed worker's job is taken over this soon.
STALE_SECONDS = 2


@dataclass
class Backend:
    database_url: str
    queue_url: str
    queue_name: str


def wait_for(
    condition: Callable[[], bool], timeout: float, what: str, interval: float = 0.02
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def wait_until_stale(engine: Engine, job_id: int) -> None:
    """Wait until a killed worker's job has gone without a heartbeat for ``STALE_SECONDS``."""

    def stale() -> bool:
        beat = read_job(engine, job_id).heartbeat_at
        return beat is not None and utcnow() - as_utc(beat) > timedelta(seconds=STALE_SECONDS + 0.2)

    wait_for(stale, STALE_SECONDS + 10, "the heartbeat to go stale")


def read_job(engine: Engine, job_id: int) -> Job:
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


class Workers:
    """Worker subprocesses (``python -m jobs``), killed for sure at the end of the test."""

    def __init__(self, backend: Backend, settings: Settings, log_dir: Path) -> None:
        self.backend = backend
        self.settings = settings
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []
        self.logs: list[IO[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        env = {
            **os.environ,
            "PYTHONPATH": str(REPO_ROOT),
            "VOICELOOP_ENVIRONMENT": "test",
            "VOICELOOP_SECRET_KEY": self.settings.secret_key.get_secret_value(),
            "VOICELOOP_DATABASE_URL": self.backend.database_url,
            "VOICELOOP_QUEUE_URL": self.backend.queue_url,
            "VOICELOOP_JOB_STALE_SECONDS": str(STALE_SECONDS),
        }
        log = (self.log_dir / f"worker-{len(self.processes) + 1}.log").open("wb")
        self.logs.append(log)
        process = subprocess.Popen(
            [sys.executable, "-m", "jobs", "--queue-name", self.backend.queue_name],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def output(self) -> str:
        return "\n".join(
            f"--- {log.name} ---\n{Path(log.name).read_text(errors='replace')[-4000:]}"
            for log in self.logs
        )

    def kill_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=10)
        for log in self.logs:
            log.close()
