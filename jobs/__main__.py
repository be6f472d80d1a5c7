"""``python -m jobs``: a worker configured from ``VOICELOOP_*`` environment variables."""

from __future__ import annotations

import argparse
import logging

from foundation.settings import get_settings
from jobs.queue import DEFAULT_NAME
from jobs.worker import run_worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m jobs", description=__doc__)
    parser.add_argument("--workers", type=int, default=1, help="worker threads (default 1)")
    parser.add_argument(
        "--queue-name",
        default=DEFAULT_NAME,
        help="queue namespace inside the broker (tests use a unique one on a shared Redis)",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    run_worker(get_settings(), args.workers, name=args.queue_name)


if __name__ == "__main__":
    main()
