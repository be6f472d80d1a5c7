"""Themes over the real database and the real pipeline: determinism, stable identity across
runs, CX-lead edits surviving re-runs, joining between runs, fading.

Documents are BANKING77 queries from a handful of intents (embedded once per session), half
filed as ideas and half as gap evidence, so every theme mixes both sources.
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.embeddings import Embedder
from foundation.errors import Conflict, Invalid
from foundation.ids import pk
from ideas.themes import clustering, member_writes
from ideas.themes import documents as theme_documents
from ideas.themes import queries as theme_queries
from ideas.themes import runs as theme_runs
from ideas.themes import service as theme_service
from ideas.themes.models import (
    ActionPlanUpdate,
    DocumentKind,
    PlanStatus,
    Theme,
    ThemeEvent,
    ThemeMember,
    ThemeRun,
    ThemeState,
    ThemeStatus,
)

BANKING77 = Path(__file__).resolve().parents[4] / "shared" / "data" / "banking77" / "test.csv"
INTENTS = (
    "card_arrival",
    "lost_or_stolen_card",
    "exchange_rate",
    "pending_top_up",
    "transfer_not_received_by_recipient",
    "age_limit",
    "passcode_forgotten",
    "cash_withdrawal_charge",
)
MODEL = "test-model"


class Docs:
    def __init__(
        self, docs: list[theme_documents.Document], vectors: np.ndarray, labels: list[str]
    ):
        self.docs, self.vectors, self.labels = docs, vectors, labels

    def subset(self, keep: list[int]) -> Docs:
        return Docs(
            [self.docs[i] for i in keep], self.vectors[keep], [self.labels[i] for i in keep]
        )


@pytest.fixture(scope="session")
def corpus_docs(embedder: Embedder) -> Docs:
    with BANKING77.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["category"] in INTENTS]
    now = utcnow()
    docs = [
        theme_documents.Document(
            DocumentKind.idea if i % 2 else DocumentKind.gap,
            10_000 + i,
            row["text"].strip(),
            now - timedelta(days=i % 80),
        )
        for i, row in enumerate(rows)
    ]
    vectors = embedder.encode([d.text for d in docs])
    return Docs(docs, vectors, [row["category"] for row in rows])


class FakeCorpus:
    """Texts for merge and split, from the fixture documents (the real one reads ideas and
    interactions, which these synthetic documents do not have)."""

    model = MODEL

    def __init__(self, docs: Docs) -> None:
        self.by_key = {(d.kind, d.id): d.text for d in docs.docs}

    def texts(self, session: Session, kind: DocumentKind, ids: list[int]) -> dict[int, str]:
        return {i: self.by_key[(kind, i)] for i in ids if (kind, i) in self.by_key}

    def languages(
        self, session: Session, kind: DocumentKind, ids: list[int]
    ) -> dict[int, str | None]:
        return {i: "en" for i in ids if (kind, i) in self.by_key}


def run(db: Session, data: Docs) -> ThemeRun:
    """One run as the job makes it: the previous themes steady the granularity."""
    theme_documents.store_vectors(db, data.docs, data.vectors, MODEL)
    result = clustering.ThemeClusterer().fit(
        [d.key for d in data.docs],
        [d.text for d in data.docs],
        data.vectors,
        previous=member_writes.previous_themes(db),
    )
    return theme_runs.apply_run(db, data.docs, data.vectors, result)


def membership(db: Session) -> dict[str, int]:
    return {f"{m.kind.value}:{m.source_id}": m.theme_id for m in db.exec(select(ThemeMember)).all()}


def active(db: Session) -> list[Theme]:
    return theme_queries.list_themes(db)


def theme_of(db: Session, data: Docs, intent: str) -> Theme:
    """The theme holding most documents of ``intent``."""
    members = membership(db)
    counts = Counter(
        members[d.key]
        for d, label in zip(data.docs, data.labels)
        if label == intent and d.key in members
    )
    return db.get_one(Theme, counts.most_common(1)[0][0])


def test_a_run_finds_themes_that_mix_both_sources(db: Session, corpus_docs: Docs) -> None:
    result = run(db, corpus_docs)
    found = active(db)
    assert result.documents == len(corpus_docs.docs)
    assert len(found) >= len(INTENTS) - 2
    assert result.themed / result.documents >= 0.8
    mixed = [t for t in found if t.idea_count and t.gap_count]
    assert len(mixed) >= len(found) - 1
    for theme in found:
        assert theme.name and theme.keywords and theme.status == ThemeStatus.new
        kinds = {r["kind"] for r in theme.representatives}
        assert kinds == {"idea", "gap"} or theme.idea_count == 0 or theme.gap_count == 0
    events = db.exec(select(ThemeEvent).where(ThemeEvent.action == "created")).all()
    assert len(events) == len(found)


def test_same_input_twice_and_shuffled_gives_identical_themes(
    db: Session, corpus_docs: Docs
) -> None:
    run(db, corpus_docs)
    first = {t.id: (t.name, t.keywords, t.size) for t in active(db)}
    first_members = membership(db)

    again = run(db, corpus_docs)
    assert again.new_themes == 0 and again.faded_themes == 0
    assert {t.id: (t.name, t.keywords, t.size) for t in active(db)} == first
    assert membership(db) == first_members

    # From scratch, in another order: the same groups and the same labels.
    labels = {first_members[k]: first[first_members[k]][:2] for k in first_members}
    db.exec(delete(ThemeMember))
    db.exec(delete(ThemeEvent))
    db.exec(delete(Theme))
    order = list(range(len(corpus_docs.docs)))
    random.Random(7).shuffle(order)
    run(db, corpus_docs.subset(order))
    shuffled = membership(db)
    assert set(shuffled) == set(first_members)
    names = {t.id: (t.name, t.keywords) for t in active(db)}
    assert {k: names[v] for k, v in shuffled.items()} == {
        k: labels[v] for k, v in first_members.items()
    }


def test_ten_percent_new_documents_keep_theme_ids(db: Session, corpus_docs: Docs) -> None:
    n = len(corpus_docs.docs)
    held_back = set(random.Random(3).sample(range(n), n // 10))
    run(db, corpus_docs.subset([i for i in range(n) if i not in held_back]))
    before = {t.id for t in active(db)}
    second = run(db, corpus_docs)
    after = {t.id for t in active(db)}
    assert len(before & after) / len(before) >= 0.9
    assert second.faded_themes <= len(before) // 10


def test_renamed_theme_keeps_its_name_and_dismissed_stays_dismissed(
    db: Session, corpus_docs: Docs, make
) -> None:
    lead = make.user(Role.cx_lead)
    run(db, corpus_docs)
    cards = theme_of(db, corpus_docs, "card_arrival")
    rates = theme_of(db, corpus_docs, "exchange_rate")
    theme_service.rename(db, cards, "  Where is my new card?  ", lead)
    theme_service.set_status(db, rates, ThemeStatus.dismissed, lead, "Handled by the FX project")
    run(db, corpus_docs)
    db.refresh(cards)
    db.refresh(rates)
    assert cards.name == "Where is my new card?" and cards.renamed
    assert cards.state == ThemeState.active
    assert (
        rates.status == ThemeStatus.dismissed
        and rates.dismiss_reason == "Handled by the FX project"
    )
    actions = [e.action for e in theme_queries.history(db, pk(cards))]
    assert actions.count("renamed") == 1


def test_merged_pair_stays_merged_after_a_rerun(db: Session, corpus_docs: Docs, make) -> None:
    lead = make.user(Role.cx_lead)
    run(db, corpus_docs)
    target = theme_of(db, corpus_docs, "transfer_not_received_by_recipient")
    source = theme_of(db, corpus_docs, "pending_top_up")
    assert source.id != target.id
    old_source = {k for k, v in membership(db).items() if v == source.id}
    theme_service.merge(db, source, target, lead, FakeCorpus(corpus_docs))
    assert source.state == ThemeState.merged and source.merged_into_id == target.id
    assert target.size == len({k for k, v in membership(db).items() if v == target.id})

    result = run(db, corpus_docs)
    db.refresh(source)
    db.refresh(target)
    after = membership(db)
    assert source.state == ThemeState.merged
    together = sum(after.get(k) == target.id for k in old_source)
    assert together / len(old_source) >= 0.9
    assert target.state == ThemeState.active and result.new_themes == 0


def test_split_parts_survive_a_rerun(db: Session, corpus_docs: Docs, make) -> None:
    lead = make.user(Role.cx_lead)
    run(db, corpus_docs)
    # Merge two intents, then split the merged theme: the parts should come back apart.
    target = theme_of(db, corpus_docs, "age_limit")
    source = theme_of(db, corpus_docs, "passcode_forgotten")
    theme_service.merge(db, source, target, lead, FakeCorpus(corpus_docs))
    parts = theme_service.split(db, target, lead, FakeCorpus(corpus_docs), parts=2)
    assert len(parts) == 2 and target.state == ThemeState.split_up
    before = {p.id: {k for k, v in membership(db).items() if v == p.id} for p in parts}
    run(db, corpus_docs)
    after = membership(db)
    for part_id, keys in before.items():
        kept = sum(after.get(k) == part_id for k in keys)
        assert kept / len(keys) >= 0.8, (part_id, kept, len(keys))
    with pytest.raises(Conflict):
        theme_service.rename(db, target, "anything", lead)


def test_vanished_theme_fades_and_returns(db: Session, corpus_docs: Docs) -> None:
    run(db, corpus_docs)
    rates = theme_of(db, corpus_docs, "exchange_rate")
    without = [i for i, label in enumerate(corpus_docs.labels) if label != "exchange_rate"]
    second = run(db, corpus_docs.subset(without))
    db.refresh(rates)
    assert rates.state == ThemeState.faded and rates.size == 0 and second.faded_themes >= 1
    run(db, corpus_docs)
    db.refresh(rates)
    assert rates.state == ThemeState.active
    assert [e.action for e in theme_queries.history(db, rates.id)][:2] == ["revived", "faded"]


def test_a_new_document_joins_the_nearest_theme_at_once(
    db: Session, corpus_docs: Docs, embedder: Embedder
) -> None:
    run(db, corpus_docs)
    cards = theme_of(db, corpus_docs, "card_arrival")
    size = cards.size
    text = "My new card still hasn't come in the post, when will it get here?"
    doc = theme_documents.Document(DocumentKind.idea, 99_999, text, utcnow())
    joined = theme_service.join(db, doc, embedder.encode([text])[0])
    assert joined is not None and joined.id == cards.id and cards.size == size + 1
    again = theme_service.join(db, doc, embedder.encode([text])[0])
    assert again is not None and again.id == cards.id  # idempotent
    assert cards.size == size + 1
    far = theme_documents.Document(DocumentKind.gap, 99_998, "zzz", utcnow())
    noise = np.random.default_rng(0).standard_normal(384).astype(np.float32)
    assert theme_service.join(db, far, noise / np.linalg.norm(noise)) is None


def test_edits_validate_their_input(db: Session, corpus_docs: Docs, make) -> None:
    lead = make.user(Role.cx_lead)
    run(db, corpus_docs)
    theme = active(db)[0]
    with pytest.raises(Invalid):
        theme_service.rename(db, theme, "   ", lead)
    with pytest.raises(Invalid):
        theme_service.rename(db, theme, "x" * 121, lead)
    with pytest.raises(Invalid):
        theme_service.set_status(db, theme, ThemeStatus.dismissed, lead, "")
    with pytest.raises(Invalid):
        theme_service.merge(db, theme, theme, lead, FakeCorpus(corpus_docs))
    with pytest.raises(Invalid):
        theme_service.split(db, theme, lead, FakeCorpus(corpus_docs), parts=1)
    with pytest.raises(Invalid):
        theme_service.save_plan(db, theme, ActionPlanUpdate(owner_id=10**9), lead)
    plan = theme_service.save_plan(
        db,
        theme,
        ActionPlanUpdate(owner_id=lead.id, status=PlanStatus.in_progress, note=" Fix "),
        lead,
    )
    assert plan.note == "Fix"
    stored = theme_queries.get_plan(db, pk(theme))
    assert stored is not None and stored.status == PlanStatus.in_progress
    assert theme_queries.history(db, pk(theme))[0].action == "plan"


def test_weekly_counts_and_growth(db: Session, corpus_docs: Docs) -> None:
    run(db, corpus_docs)
    theme = active(db)[0]
    series = theme_queries.weekly_counts(db, [pk(theme)])[pk(theme)]
    assert len(series) == 12 and sum(series) <= theme.size
    by_kind = theme_queries.weekly_counts_by_kind(db, pk(theme))
    assert sum(map(sum, by_kind.values())) == sum(series)
    assert theme_queries.growth([0] * 4 + [1] * 4 + [3] * 4) == 8
