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
from pathlib import Path
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col

from jobs.models import DemoItem, Job
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


@handler("interactions.import")
def import_interactions(ctx: JobContext) -> None:
    """Import an uploaded interaction log. Params: ``path`` (the upload on this server's disk)
    and ``format`` (csv or jsonl). Checkpoint: the byte offset and line after the last committed
    batch. The upload holds raw PII, so it is deleted once the job has finished either way."""
    from coaching import importer
    from coaching.redaction import get_redactor
    from foundation.settings import get_settings

    path = Path(str(ctx.params.get("path", "")))
    if not path.is_file():
        raise ValueError("The uploaded file is missing on the server; upload it again.")
    try:
        fmt = importer.sniff_format(path)
    except importer.BadFile:
        path.unlink(missing_ok=True)
        raise
    settings = get_settings()
    checkpoint = ctx.checkpoint or {}
    ctx.set_total(path.stat().st_size)
    store = importer.Store(settings, get_redactor(), ctx.job_id)
    header = importer.read_header(path) if fmt == "csv" else None
    rows_read = int(checkpoint.get("rows", 0))
    try:
        batches = importer.read_batches(
            path,
            fmt,
            offset=int(checkpoint.get("offset", 0)),
            line=int(checkpoint.get("line", 0)),
            header=header,
            max_chars=settings.transcript_max_chars,
        )
        for batch in batches:
            prepared = store.prepare(batch.rows)  # the slow part, outside the transaction
            rows_read += len(batch.rows) + len(batch.problems)

            def write(
                session: Session, batch: importer.Batch = batch, prepared: list[Any] = prepared
            ) -> None:
                store.write(session, prepared, list(batch.problems))

            ctx.commit_batch(
                write,
                checkpoint={"offset": batch.offset, "line": batch.line, "rows": rows_read},
                done=batch.offset,
                message=f"{rows_read:,} rows read",
            )

        def summarise(session: Session) -> None:
            message = importer.summary(session, ctx.job_id)
            session.exec(update(Job).where(col(Job.id) == ctx.job_id).values(message=message))

        ctx.commit_batch(
            summarise, checkpoint={**(ctx.checkpoint or {}), "done": True}, done=path.stat().st_size
        )
    except importer.BadFile:
        path.unlink(missing_ok=True)
        raise
    path.unlink(missing_ok=True)
