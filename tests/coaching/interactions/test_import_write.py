"""The import's write phase: each batch is a handful of bulk statements inside
``JobContext.commit_batch`` (the time SQLite's write lock is held), whatever its size, and it
stores exactly what a row-by-row ORM write stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, Text, cast, event, select
from sqlmodel import Session, col
from sqlmodel import select as sqlmodel_select

from coaching.interactions import reader as import_reader
from coaching.interactions.models import Interaction, Signal, SignalKind
from jobs.models import JobStatus
from jobs.runner import JobContext
from jobs.service import run_import_now
from tests.support.coaching import key, row, write_csv

BATCH = 60


@pytest.fixture
def statements_per_batch(
    import_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[int]]:
    """How many SQL statements each ``commit_batch`` sends (the summary's batch included)."""
    counts: list[int] = []
    current: list[int] = []

    def count(*_args: Any) -> None:
        if current:
            current[0] += 1

    commit_batch = JobContext.commit_batch

    def counted(self: JobContext, *args: Any, **kwargs: Any) -> None:
        current.append(0)
        try:
            commit_batch(self, *args, **kwargs)
        finally:
            counts.append(current.pop())

    event.listen(import_engine, "before_cursor_execute", count)
    monkeypatch.setattr(JobContext, "commit_batch", counted)
    yield counts
    event.remove(import_engine, "before_cursor_execute", count)


def rows(first: int, n: int, **fields: str) -> list[dict[str, str]]:
    transcripts = [
        "Customer: My card has not arrived.\nAgent: I have ordered a new one.",
        "Customer: Why was I charged twice?\nAgent: I'm not sure, let me ask my team leader.",
        "Customer: I lost my job and can't afford this.\nAgent: The payment is due Friday.",
    ]
    return [
        row(
            k,
            customer_id=f"C-{k // 2}",  # pairs of contacts: repeat contacts in every batch
            occurred_at=f"2026-10-{1 + k % 28:02d}T{8 + k % 9:02d}:00:00Z",
            transcript=transcripts[k % 3],
            agent_id=f"AG-{k % 7}",
            team="Thames" if k % 5 else "Nowhere",
            **fields,
        )
        for k in range(first, first + n)
    ]


def test_a_batch_is_a_few_statements_whatever_its_size(
    import_engine, import_settings, tmp_path, monkeypatch, statements_per_batch
):
    """Row by row, a batch of 60 sent some 330 statements (a look-up, an insert and a flush per
    row); in bulk it sends the same dozen or so for 60 rows as for 1, new or re-imported."""
    monkeypatch.setattr(import_reader, "BATCH_ROWS", BATCH)
    path = write_csv(tmp_path / "a.csv", rows(0, 3 * BATCH))
    assert run_import_now(import_engine, import_settings, path).status == JobStatus.succeeded
    first = list(statements_per_batch)
    statements_per_batch.clear()
    again = write_csv(tmp_path / "b.csv", rows(0, 3 * BATCH, csat="1"))  # every row re-imported
    assert run_import_now(import_engine, import_settings, again).status == JobStatus.succeeded
    assert len(first) == len(statements_per_batch) == 4  # three batches and the summary
    assert max(first + statements_per_batch) <= 16, (first, statements_per_batch)
    with Session(import_engine) as session:
        assert session.scalar(select(col(Interaction.csat)).distinct()) == 1  # updated in bulk


def test_repeat_contacts_across_batches_read_the_earlier_contact_from_the_database(
    import_engine, import_settings, tmp_path, monkeypatch
):
    """With one row per batch the earlier contact of every pair was stored by an earlier
    batch: its turns are read back for the evidence, which matches the in-batch case."""
    monkeypatch.setattr(import_reader, "BATCH_ROWS", 1)
    contacts = [
        row(1, customer_id="C-9", occurred_at="2026-10-01T09:00:00Z"),
        row(2, customer_id="C-9", occurred_at="2026-10-04T09:00:00Z", transcript="Customer: hi"),
    ]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "r.csv", contacts))
    assert job.status == JobStatus.succeeded, job.error
    with Session(import_engine) as session:
        signal = session.exec(
            sqlmodel_select(Signal, Interaction.external_id)
            .join(Interaction, col(Signal.interaction_id) == Interaction.id)
            .where(Signal.kind == SignalKind.repeat_contact)
        ).one()
    found, external_id = signal
    assert external_id == key(import_settings, "INT-00001")
    assert found.evidence == "Customer: My card has not arrived. / Agent: I have ordered a new one."
    assert found.reason == "same customer contacted again after 3.0 days (limit 7 days)"


def test_json_columns_hold_the_text_the_orm_would_write(import_engine, import_settings, tmp_path):
    """``prepare`` encodes the JSON columns outside the transaction; the stored text is what
    SQLAlchemy's JSON type writes (``json.dumps``), not a string encoded twice."""
    extra = row(
        1,
        transcript="Customer: Café £5 “quoted” ✓\nAgent: Noted.",
        actions="KB;refund",
        queue_name="tier 2 — ünïcode",
        team="Nowhere",
    )
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "j.csv", [extra]))
    assert job.status == JobStatus.succeeded, job.error
    columns = [Interaction.turns, Interaction.attributes, Interaction.actions]
    with Session(import_engine) as session:
        raw = session.execute(select(*(cast(c, Text) for c in columns))).one()
        stored = session.scalars(select(Interaction)).one()
    values = [stored.turns, stored.attributes, stored.actions]
    assert [json.loads(text) for text in raw] == values
    assert list(raw) == [json.dumps(value) for value in values]
    assert stored.attributes == {"queue_name": "tier 2 — ünïcode", "team": "Nowhere"}
    assert stored.actions == ["KB", "REFUND"]
