"""The clustering job end to end on a real database: ideas and interactions in, themes out, with
progress; an idea and the gap evidence about the same problem land in one theme; a worker killed
while embedding is finished by another with every vector stored once and one run written."""

from __future__ import annotations

import csv
import os
import secrets
import signal
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session, col, func, select

from api.migrate import upgrade
from coaching.interactions.models import Agent, Interaction, Signal, SignalKind
from foundation.clock import utcnow
from foundation.db import make_engine, session_scope
from foundation.embeddings import Embedding
from foundation.ids import pk
from foundation.settings import Settings
from ideas.submissions.models import Category, Idea
from ideas.themes import member_writes
from ideas.themes import queries as theme_queries
from ideas.themes import runs as theme_runs
from ideas.themes.models import Theme, ThemeMember, ThemeRun, ThemeState
from jobs.models import Job, JobStatus
from jobs.queue import Queue
from jobs.service import run_import_now, run_now, run_queued_now, start_job
from tests.support.coaching import row, write_csv
from tests.support.workers import (
    STALE_SECONDS,
    Backend,
    Workers,
    read_job,
    wait_for,
    wait_until_stale,
)

BANKING77 = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77"
INTENTS = ("card_arrival", "exchange_rate", "pending_top_up", "passcode_forgotten")
CARD_IDEA = (
    "Customers keep asking why their new card hasn't arrived",
    "We need a delivery tracking link for new and replacement cards, so customers can see "
    "where their card is instead of phoning us.",
)


def queries(split: str, intents: tuple[str, ...] | None = None) -> list[tuple[str, str]]:
    with (BANKING77 / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
        rows = [(r["text"].strip(), r["category"]) for r in csv.DictReader(handle)]
    return [r for r in rows if intents is None or r[1] in intents]


def seed(engine: Engine, texts: list[str], *, ideas_every: int = 4) -> None:
    """Every ``ideas_every``-th text becomes an idea, the rest gap evidence of a call."""
    now = utcnow()
    with session_scope(engine) as session:
        category = Category(name="Cards")
        agent = Agent(code="AG-T1")
        session.add_all([category, agent])
        session.flush()
        for i, text in enumerate(texts):
            when = now - timedelta(days=i % 60)
            if i % ideas_every == 0:
                session.add(
                    Idea(title=text[:200], body="", category_id=pk(category), created_at=when)
                )
                continue
            interaction = Interaction(
                external_id=f"call-{i}",
                occurred_at=when,
                agent_id=pk(agent),
                turns=[{"speaker": "customer", "text": text}],
            )
            session.add(interaction)
            session.flush()
            session.add(
                Signal(
                    interaction_id=pk(interaction),
                    kind=SignalKind.unresolved,
                    evidence=f"Customer: {text}",
                    reason="outcome = unresolved",
                )
            )


def settings_for(url: str, tmp_path: Path) -> Settings:
    return Settings(
        environment="test",
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        database_url=url,
        queue_url=f"sqlite:///{tmp_path / 'queue.db'}",
        job_stale_seconds=STALE_SECONDS,
    )


def test_cluster_job_builds_mixed_themes_and_a_rerun_keeps_them(engine, sqlite_url, tmp_path):
    texts = [text for text, _ in queries("test", INTENTS)]
    seed(engine, texts)
    with session_scope(engine) as session:
        session.add(Idea(title=CARD_IDEA[0], body=CARD_IDEA[1], category_id=1))
    settings = settings_for(sqlite_url, tmp_path)

    job = run_now(engine, settings, "themes.cluster", {})
    assert job.status == JobStatus.succeeded, job.error
    assert job.done == job.total == 1000
    with Session(engine) as session:
        run = session.exec(select(ThemeRun)).one()
        assert run.documents == len(texts) + 1 and run.job_id == job.id
        assert job.message == f"{run.themes} themes from {run.documents:,} documents"
        themes = session.exec(select(Theme)).all()
        assert len(themes) >= 3 and all(t.idea_count and t.gap_count for t in themes[:3])
        stored = session.exec(select(func.count()).select_from(Embedding)).one()
        assert stored == run.documents
        # The idea and the gap evidence about cards that never came are in one theme.
        idea = session.exec(select(Idea).where(Idea.title == CARD_IDEA[0])).one()
        home = session.exec(
            select(ThemeMember.theme_id).where(
                ThemeMember.kind == "idea", ThemeMember.source_id == idea.id
            )
        ).one()
        arrivals = {t for t, intent in queries("test", INTENTS) if intent == "card_arrival"}
        homes = [
            theme_id
            for theme_id, turns in session.exec(
                select(ThemeMember.theme_id, Interaction.turns)
                .join(Interaction, col(Interaction.id) == ThemeMember.source_id)
                .where(ThemeMember.kind == "gap")
            )
            if turns[0]["text"] in arrivals
        ]
        assert homes and homes.count(home) / len(homes) >= 0.8
        before = {(t.id, t.name) for t in themes}

    again = run_now(engine, settings, "themes.cluster", {})
    assert again.status == JobStatus.succeeded
    with Session(engine) as session:
        latest = session.exec(select(ThemeRun).order_by(col(ThemeRun.id).desc())).first()
        assert latest is not None
        assert latest.new_themes == 0 and latest.faded_themes == 0
        assert {(t.id, t.name) for t in session.exec(select(Theme))} == before
        assert session.exec(select(func.count()).select_from(Embedding)).one() == stored


@pytest.mark.slow
def test_killed_cluster_job_is_finished_by_another_worker(tmp_path):
    backend = Backend(
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
        queue_url=f"sqlite:///{tmp_path / 'queue.db'}",
        queue_name="voiceloop",
    )
    upgrade(backend.database_url)
    settings = settings_for(backend.database_url, tmp_path)
    engine = make_engine(backend.database_url)
    texts = [text for text, _ in queries("train")][:3000]
    seed(engine, texts)
    queue = Queue(settings, name=backend.queue_name)
    workers = Workers(backend, settings, tmp_path)
    try:
        with session_scope(engine) as session:
            job_id = pk(start_job(session, queue, "themes.cluster", {}, None))
        first = workers.start()
        wait_for(lambda: read_job(engine, job_id).done > 50, 600, "some embedding", interval=0.1)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        cut = read_job(engine, job_id)
        assert cut.status == JobStatus.running and cut.done < 400  # killed while embedding
        with Session(engine) as session:
            embedded = session.exec(select(func.count()).select_from(Embedding)).one()
        assert 0 < embedded < len(texts)

        wait_until_stale(engine, job_id)
        workers.start()
        wait_for(lambda: read_job(engine, job_id).status.finished, 900, "the run", interval=0.5)
        finished = read_job(engine, job_id)
        assert finished.status == JobStatus.succeeded, finished.error
        assert finished.attempts >= 2
        with Session(engine) as session:
            assert session.exec(select(func.count()).select_from(Embedding)).one() == len(texts)
            assert session.exec(select(func.count()).select_from(ThemeRun)).one() == 1
            members = session.exec(select(func.count()).select_from(ThemeMember)).one()
            run = session.exec(select(ThemeRun)).one()
            assert members == run.themed > 0.8 * len(texts)
    except BaseException:
        print(workers.output())
        raise
    finally:
        workers.kill_all()
        queue.close()
        engine.dispose()


def test_an_import_is_followed_by_joining_its_gap_evidence(engine, sqlite_url, tmp_path):
    texts = [text for text, _ in queries("test", INTENTS)]
    seed(engine, texts)
    settings = settings_for(sqlite_url, tmp_path)
    assert run_now(engine, settings, "themes.cluster", {}).status == JobStatus.succeeded
    rows = [
        row(
            n,
            transcript=f"Customer: {question}\nAgent: I'm not sure, let me check.",
            outcome="unresolved",
        )
        for n, question in enumerate(
            (
                "My new card still hasn't arrived, it has been two weeks.",
                "Where is my card? It never came.",
            )
        )
    ]
    imported = run_import_now(engine, settings, write_csv(tmp_path / "calls.csv", rows))
    assert imported.status == JobStatus.succeeded, imported.error
    with Session(engine) as session:
        follow = session.exec(select(Job).where(Job.kind == "themes.join")).one()
        assert follow.params == {"import_job_id": imported.id} and follow.status == JobStatus.queued
        new_ids = session.exec(
            select(Interaction.id).where(Interaction.import_job_id == imported.id)
        ).all()
    # No worker has seen the follow-up: run_queued_now runs it here (as the demo loader does).
    assert run_queued_now(engine, settings) == [follow.id]
    with Session(engine) as session:
        joined = session.get_one(Job, follow.id)
    assert joined.status == JobStatus.succeeded, joined.error
    with Session(engine) as session:
        members = session.exec(
            select(ThemeMember).where(
                ThemeMember.kind == "gap", col(ThemeMember.source_id).in_(new_ids)
            )
        ).all()
        assert len(members) == 2 and {m.via for m in members} == {"nearest"}
        theme = session.get_one(Theme, members[0].theme_id)
        assert "card" in " ".join(theme.keywords)


def shown(engine: Engine) -> tuple[dict[int, int], dict[str, int]]:
    """What a reader sees, from a connection of its own: active theme id -> size, and each
    member of an active theme -> its theme."""
    with Session(engine) as session:
        themes = {pk(t): t.size for t in theme_queries.list_themes(session)}
        members = {
            f"{m.kind.value}:{m.source_id}": m.theme_id
            for m in session.exec(select(ThemeMember))
            if m.theme_id in themes
        }
    return themes, members


def test_a_run_is_written_in_batches_and_a_failed_one_leaves_the_themes_readable(
    engine, sqlite_url, tmp_path, monkeypatch
):
    settings = settings_for(sqlite_url, tmp_path)
    seed(engine, [text for text, _ in queries("test", INTENTS[:3])])
    assert run_now(engine, settings, "themes.cluster", {}).status == JobStatus.succeeded
    before = shown(engine)
    assert before[0] and all(
        size == list(before[1].values()).count(t) for t, size in before[0].items()
    )

    # Ideas about a fourth problem: the next run has a new theme and refreshes the others.
    with session_scope(engine) as session:
        session.add_all(
            Idea(title=text[:200], body="", category_id=1)
            for text, _ in queries("test", INTENTS[3:])
        )
    monkeypatch.setattr(member_writes, "BATCH", 20)
    batches: list[int] = []
    real_insert, real_similarities = member_writes.insert_members, member_writes.set_similarities

    def spy(write: Any) -> Any:
        def staged(session: Session, rows: Any) -> None:
            assert shown(engine) == before  # every committed batch so far changed nothing seen
            batches.append(len(rows))
            write(session, rows)

        return staged

    monkeypatch.setattr(member_writes, "insert_members", spy(real_insert))
    monkeypatch.setattr(member_writes, "set_similarities", spy(real_similarities))

    def killed(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("worker killed before the run was applied")

    monkeypatch.setattr(theme_runs, "apply_run", killed)
    failed = run_now(engine, settings, "themes.cluster", {})
    assert failed.status == JobStatus.failed
    assert len(batches) >= 2 and max(batches) <= 20  # staged in short transactions
    assert shown(engine) == before  # the previous themes, whole
    with Session(engine) as session:
        assert session.exec(select(Theme).where(Theme.state == ThemeState.pending)).all()

    monkeypatch.undo()
    again = run_now(engine, settings, "themes.cluster", {})
    assert again.status == JobStatus.succeeded, again.error
    with Session(engine) as session:
        assert not session.exec(select(Theme).where(Theme.state == ThemeState.pending)).all()
        run = session.exec(select(ThemeRun).order_by(col(ThemeRun.id).desc())).first()
        assert run is not None and run.new_themes >= 1
        members = session.exec(select(func.count()).select_from(ThemeMember)).one()
        assert members == run.themed == sum(shown(engine)[0].values())
