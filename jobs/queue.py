"""The Huey side of the job queue: which broker, which tasks, and the only payload (a job id).

``settings.queue_url`` picks the broker: ``sqlite:///path`` gives the embedded ``SqliteHuey`` (a
file shared by the web app and the workers on one machine), ``redis://`` gives ``RedisHuey`` for
many workers on many machines. Nothing is created at import: the owner of the process builds a
:class:`Queue` (the web app to enqueue, the worker to consume), and the worker's database engine is
built on first use.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Protocol

import redis
from huey import Huey, RedisHuey, SqliteHuey, crontab
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from foundation.db import make_engine
from foundation.settings import Settings
from jobs import reaper, runner

DEFAULT_NAME = "voiceloop"
_REDIS_SCHEMES = ("redis://", "rediss://")


class Enqueuer(Protocol):
    """Anything that can enqueue a job id (the Queue, or a recording fake in a unit test)."""

    def enqueue(self, job_id: int) -> None: ...


def _sqlite_path(queue_url: str) -> Path:
    database = make_url(queue_url).database
    if not database or database == ":memory:":
        raise ValueError("the SQLite queue needs a file that workers share: sqlite:///path/to.db")
    return Path(database)


def make_huey(settings: Settings, name: str = DEFAULT_NAME) -> Huey:
    """SqliteHuey or RedisHuey for ``settings.queue_url``; ValueError for any other scheme.

    ``name`` namespaces the queue inside the broker (Redis keys, SQLite rows); tests use a
    unique one so they never touch anybody else's messages on a shared Redis.
    """
    url = settings.queue_url
    if url.startswith("sqlite:"):
        path = _sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name=name, filename=str(path), results=False)
    if url.startswith(_REDIS_SCHEMES):
        # Timeouts keep /healthz from hanging on an unreachable Redis; BRPOP waits only 1 s.
        pool = redis.ConnectionPool.from_url(url, socket_connect_timeout=5, socket_timeout=10)
        return RedisHuey(name=name, connection_pool=pool, results=False)
    raise ValueError("queue_url must start with sqlite:/// or redis://")


class Queue:
    """The job queue of one process: enqueue job ids, and (in a worker) run them."""

    def __init__(self, settings: Settings, *, name: str = DEFAULT_NAME) -> None:
        self.settings = settings
        self.huey = make_huey(settings, name)
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._run_job_task = self.huey.task(name="run_job")(self._run_job)
        self.huey.periodic_task(crontab(minute="*"), name="reap_stale_jobs")(self.reap)
        # Themes are re-clustered nightly (and whenever a CX lead asks, from the themes page).
        self.huey.periodic_task(crontab(hour="2", minute="30"), name="nightly_themes")(
            self.nightly_themes
        )
        # Coaching due-date reminders, once a day before the working day starts.
        self.huey.periodic_task(crontab(hour="7", minute="0"), name="daily_coaching_reminders")(
            self.daily_coaching_reminders
        )

    @property
    def engine(self) -> Engine:
        """The database engine the tasks use, built on first use (only workers need one)."""
        with self._engine_lock:
            if self._engine is None:
                self._engine = make_engine(self.settings.database_url)
            return self._engine

    def enqueue(self, job_id: int) -> None:
        """Send one job to the workers. The message carries the job id and nothing else."""
        self._run_job_task(int(job_id))

    def reap(self) -> list[int]:
        return reaper.reap(self.engine, self, self.settings.job_stale_seconds)

    def nightly_themes(self) -> int | None:
        """Start a clustering run unless one is already waiting or running."""
        from jobs.service import start_unless_pending

        return start_unless_pending(self.engine, self, "themes.cluster")

    def daily_coaching_reminders(self) -> int | None:
        """Start the reminder job unless one is already waiting or running."""
        from jobs.service import start_unless_pending

        return start_unless_pending(self.engine, self, "coaching.remind")

    def ping(self) -> bool:
        """True when the broker answers (for /healthz)."""
        if self.settings.queue_url.startswith("sqlite:"):
            return self._ping_sqlite(_sqlite_path(self.settings.queue_url))
        try:
            return bool(self.huey.storage.conn.ping())
        except (redis.RedisError, OSError):
            return False

    def pending_count(self) -> int:
        """Messages waiting in the broker (not jobs: a job may have a duplicate message)."""
        return int(self.huey.pending_count())

    def close(self) -> None:
        """Release the broker connection and the engine (a later use reopens them)."""
        if isinstance(self.huey, SqliteHuey):
            self.huey.storage.close()
        else:
            self.huey.storage.pool.disconnect()
        with self._engine_lock:
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None

    def _run_job(self, job_id: int) -> None:
        runner.run_job(
            self.engine, job_id, self.settings.job_stale_seconds, self.enqueue, self.settings
        )

    @staticmethod
    def _ping_sqlite(path: Path) -> bool:
        if not path.is_file():
            return False
        try:
            connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
            try:
                connection.execute("SELECT count(*) FROM task").fetchone()
            finally:
                connection.close()
        except sqlite3.Error:
            return False
        return True
