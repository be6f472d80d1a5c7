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
from typing import TYPE_CHECKING, Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from jobs.models import DemoItem, Job
from jobs.registry import handler, on_final
from jobs.runner import JobContext

if TYPE_CHECKING:  # heavy modules: the web app imports this one to validate job kinds
    import numpy as np

    from ideas.themes.clustering import ClusterResult
    from ideas.themes.documents import Document


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
    """Import an uploaded interaction log. Params: ``path`` (the upload on this server's disk).
    Checkpoint: the byte offset and line after the last committed batch. Bad rows are reported,
    never fatal; only a file that is not CSV or JSON Lines fails the job. The upload holds raw
    PII: ``remove_upload`` deletes it once the job reaches a final state, succeeded or failed,
    and it stays while a killed worker's job waits to resume from its checkpoint."""
    from coaching.interactions import importer
    from coaching.interactions import reader as import_reader
    from coaching.interactions import store as import_store
    from foundation.redaction import get_redactor

    checkpoint = ctx.checkpoint or {}
    if checkpoint.get("done"):
        return  # the summary is committed; the worker died before recording success
    path = Path(str(ctx.params.get("path", "")))
    if not path.is_file():
        raise ValueError("The uploaded file is missing on the server; upload it again.")
    fmt = import_reader.sniff_format(path)
    header = import_reader.read_header(path) if fmt == "csv" else None
    settings = ctx.settings
    ctx.set_total(path.stat().st_size)
    store = import_store.Store(settings, get_redactor(), ctx.job_id)
    rows_read = int(checkpoint.get("rows", 0))
    batches = import_reader.read_batches(
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
        # The new gap evidence joins the nearest themes at once, in a job of its own.
        ctx.start_followup(session, "themes.join", {"import_job_id": ctx.job_id})

    ctx.commit_batch(
        summarise, checkpoint={**(ctx.checkpoint or {}), "done": True}, done=path.stat().st_size
    )


@on_final("interactions.import")
def remove_upload(params: dict[str, Any]) -> None:
    """The raw upload goes as soon as its import has succeeded or failed."""
    path = Path(str(params.get("path", "")))
    if path.is_file():
        path.unlink(missing_ok=True)


# ------------------------------------------------------------------------------------ themes
# Progress is counted in thousandths: embedding, then clustering, then writing.
_EMBED_END, _CLUSTER_END, _TOTAL = 400, 950, 1000
EMBED_BATCH = 256


@handler("themes.cluster")
def cluster_themes(ctx: JobContext) -> None:
    """Re-cluster every document into themes. Embeddings are committed batch by batch (a
    killed worker resumes without re-embedding); the clustering is deterministic, so a retry
    recomputes the same themes. The run is written in short transactions: first what changes
    nothing anybody sees (``ideas.themes.run_staging``), then the run itself, which changes only
    the documents that move, arrive or leave."""
    from coaching.interactions.evidence import Corpus
    from foundation.embeddings import get_embedder
    from ideas.themes import clustering, member_writes
    from ideas.themes import documents as theme_documents

    embedder = get_embedder(ctx.settings)
    corpus = Corpus(embedder.model_name)
    ctx.set_total(_TOTAL)
    with ctx.read() as session:
        docs = corpus.documents(session)
        todo = theme_documents.stale(session, docs, corpus.model)
    started = time.monotonic()
    for first in range(0, len(todo), EMBED_BATCH):
        batch = todo[first : first + EMBED_BATCH]
        encoded = embedder.encode_for_storage([doc.text for doc in batch])
        done = first + len(batch)

        def store(session: Session, batch: list[Any] = batch, encoded: Any = encoded) -> None:
            theme_documents.store_vectors(session, batch, encoded, corpus.model)

        ctx.commit_batch(
            store,
            checkpoint={"embedded": done},
            done=_EMBED_END * done // len(todo),
            message=f"Embedded {done:,} of {len(todo):,} new or changed documents",
        )
    with ctx.read() as session:
        vectors = theme_documents.load_vectors(session, docs, corpus.model)
        previous = member_writes.previous_themes(session)

    def progress(fraction: float) -> None:
        done = _EMBED_END + int((_CLUSTER_END - _EMBED_END) * fraction)
        ctx.progress(done, f"Clustering {len(docs):,} documents")

    ctx.progress(_EMBED_END, f"Clustering {len(docs):,} documents")
    result = clustering.ThemeClusterer().fit(
        [doc.key for doc in docs],
        [doc.text for doc in docs],
        vectors,
        progress=progress,
        languages=[doc.language for doc in docs],
        previous=previous,
    )
    _write_run(ctx, docs, vectors, result, time.monotonic() - started)


def _write_run(
    ctx: JobContext,
    docs: list[Document],
    vectors: np.ndarray,
    result: ClusterResult,
    seconds: float,
) -> None:
    """Stage, in batches, the members that stay or are new (``run_staging``), and name the
    areas, then apply the run in one short transaction."""
    from ideas.themes import member_writes, run_staging
    from ideas.themes import runs as theme_runs

    with ctx.read() as session:
        stored = member_writes.stored_members(session)
        plan = theme_runs.plan_run(session, docs, vectors, result, stored)
    updates = run_staging.similarity_updates(plan, docs, vectors, stored)
    staged: dict[int, int] = {}

    def stage(session: Session) -> None:
        staged.update(run_staging.stage_new_themes(session, plan, result))

    ctx.commit_batch(stage, checkpoint={"staged": 0}, done=_CLUSTER_END)
    rows = run_staging.staged_rows(plan, staged, docs, vectors, stored)
    batches = [
        (write, part[first : first + member_writes.BATCH])
        for write, part in (
            (member_writes.insert_members, rows),
            (member_writes.set_similarities, updates),
        )
        for first in range(0, len(part), member_writes.BATCH)
    ]
    for n, (write_rows, part) in enumerate(batches, start=1):

        def stage_rows(session: Session, write_rows: Any = write_rows, part: Any = part) -> None:
            write_rows(session, part)

        done = _CLUSTER_END + (_TOTAL - _CLUSTER_END) * n // (len(batches) + 1)
        ctx.commit_batch(stage_rows, checkpoint={"staged": n}, done=done)

    names = run_staging.area_names(plan, staged, docs, vectors)

    def write(session: Session) -> None:
        run = theme_runs.apply_run(
            session,
            docs,
            vectors,
            result,
            job_id=ctx.job_id,
            seconds=seconds,
            staged=staged,
            area_names=names,
        )
        session.exec(
            update(Job)
            .where(col(Job.id) == ctx.job_id)
            .values(message=f"{run.themes} themes from {run.documents:,} documents")
        )

    ctx.commit_batch(write, checkpoint={"written": True}, done=_TOTAL)


@handler("themes.join")
def join_themes(ctx: JobContext) -> None:
    """Between full runs: put the gap evidence of one import into the nearest themes.
    Params: ``import_job_id``. Idempotent: a document already in a theme is left where it is."""
    from coaching.interactions.evidence import gap_documents
    from coaching.interactions.models import Interaction
    from foundation.clock import as_utc
    from foundation.embeddings import get_embedder
    from ideas.themes import documents as theme_documents
    from ideas.themes import queries as theme_queries
    from ideas.themes import service as theme_service

    import_job_id = _int_param(ctx.params, "import_job_id", None, 1)
    with ctx.read() as session:
        run = theme_queries.latest_run(session)
        imported = session.get(Job, import_job_id)
        if run is None or imported is None:
            return  # nothing to join yet: the first full run will take everything
        if imported.finished_at and as_utc(run.finished_at) > as_utc(imported.finished_at):
            return  # a full run after the import has already placed its evidence
        ids = list(
            session.exec(select(Interaction.id).where(Interaction.import_job_id == import_job_id))
        )
        docs = gap_documents(session, [i for i in ids if i is not None])
    embedder = get_embedder(ctx.settings)
    ctx.set_total(len(docs))
    for first in range(0, len(docs), EMBED_BATCH):
        batch = docs[first : first + EMBED_BATCH]
        vectors = embedder.encode_for_storage([doc.text for doc in batch])

        def write(session: Session, batch: list[Any] = batch, vectors: Any = vectors) -> None:
            theme_documents.store_vectors(session, batch, vectors, embedder.model_name)
            # CJK evidence joins by the linear map; the next full run places it among anchors.
            theme_service.join_many(session, batch, vectors.vectors)

        ctx.commit_batch(write, checkpoint={"next": first + len(batch)}, done=first + len(batch))


# ---------------------------------------------------------------------------------- coaching
@handler("coaching.remind")
def coaching_remind(ctx: JobContext) -> None:
    """In-app reminders for coaching due within ``coaching_reminder_days`` (or overdue), once
    per assignment: one short transaction, and ``reminded_at`` makes a re-run send nothing."""
    from coaching.modules import assignments

    days = ctx.settings.coaching_reminder_days
    sent: list[int] = []

    def write(session: Session) -> None:
        sent.append(len(assignments.due_reminders(session, days=days)))

    ctx.set_total(1)
    ctx.commit_batch(write, checkpoint={"done": True}, done=1)
    ctx.progress(1, f"{sent[0] if sent else 0} reminders sent")
