"""Job handlers: one function per job kind, registered with ``@handler("kind")``.

Every handler follows the same pattern (``demo.count`` below is the worked example):

1. read its parameters from ``ctx.params`` (ids and counts only, never personal data) and
   validate them; a ValueError fails the job with that message;
2. resume from ``ctx.checkpoint`` (None on the first attempt);
3. optionally ``ctx.set_total(n)`` so the UI can show a percentage;
4. do the slow work for one batch outside any transaction, then hand the batch's writes to
   ``ctx.commit_batch(write, checkpoint=..., done=...)``: the rows and the checkpoint that says
   "everything before here is done" commit together or not at all.

A worker can die at any moment; the job is then re-run from its last committed checkpoint, so a
handler must be idempotent: with that pattern nothing is processed twice. Import heavy libraries
inside the handler, not at the top of this module (the web app imports it to validate kinds).
"""

from __future__ import annotations

import time
from typing import Any

from sqlmodel import Session

from jobs.models import DemoItem
from jobs.registry import handler
from jobs.runner import JobContext


def _int_param(params: dict[str, Any], name: str, default: int | None, minimum: int) -> int:
    value = params.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"parameter {name!r} must be an integer >= {minimum}")
    return value


@handler("demo.count")
def demo_count(ctx: JobContext) -> None:
    """Record the items 0..n-1 as ``DemoItem`` rows, ``batch_size`` per transaction.

    Params: ``n`` (items), ``batch_size`` (default 10), ``delay`` (seconds per item, default 0,
    so tests can kill a worker part-way). Checkpoint: ``{"next": first unprocessed item}``.
    """
    n = _int_param(ctx.params, "n", None, 0)
    batch_size = _int_param(ctx.params, "batch_size", 10, 1)
    delay = float(ctx.params.get("delay", 0.0))
    start = int((ctx.checkpoint or {}).get("next", 0))
    ctx.set_total(n)

    for first in range(start, n, batch_size):
        items = range(first, min(first + batch_size, n))
        for _item in items:
            time.sleep(delay)  # stands in for the real per-item work

        def write(session: Session, items: range = items) -> None:
            session.add_all(DemoItem(job_id=ctx.job_id, item=item) for item in items)

        ctx.commit_batch(write, checkpoint={"next": items.stop}, done=items.stop)
