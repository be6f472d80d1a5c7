"""The worker process: re-queue what died with earlier workers, then consume the queue.

``voiceloop worker`` and ``python -m jobs`` both end up in :func:`run_worker`.
"""

from __future__ import annotations

import logging

from huey.consumer import Consumer
from sqlalchemy.exc import SQLAlchemyError

from foundation.settings import Settings
from jobs.queue import DEFAULT_NAME, Queue

logger = logging.getLogger(__name__)


def run_worker(settings: Settings, workers: int = 1, *, name: str = DEFAULT_NAME) -> None:
    """Run a Huey consumer with ``workers`` threads until it is stopped (SIGINT/SIGTERM)."""
    queue = Queue(settings, name=name)
    try:
        try:
            queue.reap()
        except SQLAlchemyError:
            # The periodic reaper retries every minute; the consumer can still start.
            logger.exception("reaping stale jobs at start failed")
        consumer = Consumer(
            queue.huey,
            workers=workers,
            worker_type="thread",
            periodic=True,
            check_worker_health=True,
            # An idle SQLite queue is polled with back-off; cap it so new jobs start promptly.
            max_delay=2.0,
        )
        consumer.run()
    finally:
        queue.close()
