"""A theme run over a corpus in English, Chinese and Japanese stores each theme's names and
keywords per language; names that were shown survive re-runs; joins, merges and splits keep the
languages. The embedder is a fake (each topic's documents near one random direction, whatever
their language: the shared embedding space a multilingual model gives), so these tests check
labelling, not the model."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlmodel import Session

from coaching.interactions.evidence import Corpus as EvidenceCorpus
from coaching.interactions.evidence import gap_documents
from coaching.interactions.models import SignalKind
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.embeddings import DIMENSIONS
from foundation.ids import pk
from ideas.submissions.models import Idea
from ideas.themes import clustering
from ideas.themes import documents as theme_documents
from ideas.themes import queries as theme_queries
from ideas.themes import runs as theme_runs
from ideas.themes import service as theme_service
from ideas.themes.models import DocumentKind, Theme
from ideas.themes.naming import display_label
from tests.ideas.themes.multilingual import TOPICS
from tests.support.coaching import add_agents, add_interaction

MODEL = "fake-multilingual"
# Copies of each topic's four texts per language: pending is mostly English (ties go to
# English), lost mostly Chinese, transfer Japanese and English with no Chinese at all.
COPIES = {
    "pending": {"en": 4, "zh": 3, "ja": 1},
    "lost": {"en": 1, "zh": 4, "ja": 1},
    "transfer": {"en": 2, "zh": 0, "ja": 3},
}


class Corpus:
    def __init__(self) -> None:
        rng = np.random.default_rng(7)
        centres = {topic: rng.standard_normal(DIMENSIONS) for topic in TOPICS}
        now = utcnow()
        self.docs: list[theme_documents.Document] = []
        self.topics: list[str] = []
        rows = []
        for topic, by_language in TOPICS.items():
            for language, texts in by_language.items():
                for copy in range(COPIES[topic][language]):
                    for text in texts:
                        n = len(self.docs)
                        kind = DocumentKind.idea if n % 2 else DocumentKind.gap
                        self.docs.append(
                            theme_documents.Document(
                                kind, 20_000 + n, text, now - timedelta(days=n % 30), None, language
                            )
                        )
                        self.topics.append(topic)
                        rows.append(centres[topic] + 0.15 * rng.standard_normal(DIMENSIONS))
        vectors = np.asarray(rows, dtype=np.float32)
        self.vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        self.by_key = {(d.kind, d.id): d for d in self.docs}

    # The Corpus protocol, for merge and split.
    model = MODEL

    def texts(self, session: Session, kind: DocumentKind, ids: list[int]) -> dict[int, str]:
        return {i: self.by_key[(kind, i)].text for i in ids if (kind, i) in self.by_key}

    def languages(
        self, session: Session, kind: DocumentKind, ids: list[int]
    ) -> dict[int, str | None]:
        return {i: self.by_key[(kind, i)].language for i in ids if (kind, i) in self.by_key}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return Corpus()


def run(db: Session, corpus: Corpus) -> None:
    theme_documents.store_vectors(db, corpus.docs, corpus.vectors, MODEL)
    result = clustering.ThemeClusterer().fit(
        [d.key for d in corpus.docs],
        [d.text for d in corpus.docs],
        corpus.vectors,
        languages=[d.language for d in corpus.docs],
    )
    theme_runs.apply_run(db, corpus.docs, corpus.vectors, result)


def by_topic(db: Session, corpus: Corpus) -> dict[str, Theme]:
    """Each topic's theme, told by its member count per language (every topic has its own)."""
    themes = theme_queries.list_themes(db)
    assert len(themes) == 3
    found: dict[str, Theme] = {}
    for theme in themes:
        counts = {lang: entry["count"] for lang, entry in theme.labels.items()}
        for topic, copies in COPIES.items():
            expected = {lang: 4 * n for lang, n in copies.items() if n}
            if counts == expected:
                found[topic] = theme
    assert set(found) == set(TOPICS), [t.labels for t in themes]
    return found


def test_a_run_stores_names_and_keywords_per_language(db: Session, corpus: Corpus) -> None:
    run(db, corpus)
    themes = by_topic(db, corpus)
    pending, lost, transfer = themes["pending"], themes["lost"], themes["transfer"]
    assert set(pending.labels) == {"en", "zh", "ja"} and set(transfer.labels) == {"en", "ja"}
    assert pending.labels["zh"]["name"] == "待处理的付款"
    assert {"保留", "支払い"} <= set(pending.labels["ja"]["keywords"])
    assert (
        "冻结" in lost.labels["zh"]["keywords"] and "海外送金" in transfer.labels["ja"]["keywords"]
    )
    # Name, auto label and keywords are the most common language's.
    assert pending.name == pending.auto_label == pending.labels["en"]["name"]
    assert pending.keywords == pending.labels["en"]["keywords"]
    assert lost.name == lost.labels["zh"]["name"] and lost.keywords == lost.labels["zh"]["keywords"]
    assert transfer.auto_label == transfer.labels["ja"]["name"]
    # Viewers: a Japanese reader of the lost-card theme (4 of 24 members: 17%) sees the Chinese
    # name with the Japanese and English keywords beside it.
    shown = display_label(lost, "ja")
    assert shown.name == lost.labels["zh"]["name"] and set(shown.others) == {"en", "ja"}
    assert display_label(pending, "zh_Hans").name == "待处理的付款"


def test_a_shown_name_is_kept_across_runs_and_an_old_theme_keeps_its_english_name(
    db: Session, corpus: Corpus
) -> None:
    run(db, corpus)
    themes = by_topic(db, corpus)
    pending, lost = themes["pending"], themes["lost"]
    pending.labels = {
        **pending.labels,
        "zh": {**pending.labels["zh"], "name": "待处理付款"},  # shown: 12 of 32 members
        "ja": {**pending.labels["ja"], "name": "古い名前"},  # never shown: 4 of 32
    }
    lost.labels, lost.name = {}, "Lost cards (before languages)"  # as migration 0010 leaves it
    db.flush()
    run(db, corpus)
    db.refresh(pending)
    db.refresh(lost)
    assert pending.labels["zh"]["name"] == "待处理付款"
    assert pending.labels["ja"]["name"] == "支払いが保留"
    assert lost.labels["en"]["name"] == "Lost cards (before languages)"
    assert lost.labels["zh"]["name"] == "冻结丢失的银行卡" and lost.auto_label == "冻结丢失的银行卡"


def test_joining_counts_the_language_and_merge_and_split_relabel(
    db: Session, corpus: Corpus, make
) -> None:
    run(db, corpus)
    themes = by_topic(db, corpus)
    transfer = themes["transfer"]
    doc = theme_documents.Document(
        DocumentKind.idea, 29_999, "国际转账什么时候到账？", utcnow(), None, "zh"
    )
    assert theme_service.join(db, doc, corpus.vectors[corpus.topics.index("transfer")]) is transfer
    assert transfer.labels["zh"] == {"name": "", "keywords": [], "count": 1}
    assert transfer.labels["ja"]["count"] == 12

    lead = make.user(Role.cx_lead)
    theme_service.leave(db, DocumentKind.idea, 29_999)
    merged = theme_service.merge(db, themes["lost"], transfer, lead, corpus)
    assert {lang: e["count"] for lang, e in merged.labels.items()} == {"en": 12, "zh": 16, "ja": 16}
    assert "冻结" in merged.labels["zh"]["keywords"] and merged.labels["zh"]["name"]
    parts = theme_service.split(db, merged, lead, corpus, parts=2)
    zh_names = sorted(p.labels["zh"]["name"] for p in parts if "zh" in p.labels)
    assert zh_names == ["冻结丢失的银行卡"]
    assert all(p.name == p.auto_label for p in parts)


def test_documents_carry_the_stored_language_or_detect_it(db: Session, make) -> None:
    """Gap evidence and ideas bring their stored language into the clustering; rows from before
    languages were stored get theirs from the text."""
    team = make.team("Cards team")
    (agent,) = add_agents(db, 1, prefix="LANG-")
    stored, old = (
        add_interaction(db, agent, team, signals=[SignalKind.unresolved]) for _ in range(2)
    )
    stored.turns = [{"speaker": "customer", "text": "我的银行卡付款一直显示待处理。"}]
    stored.language = "zh"
    old.turns = [{"speaker": "customer", "text": "カードの支払いがずっと保留中のままです。"}]
    db.flush()
    ids = [pk(stored), pk(old)]
    assert [d.language for d in gap_documents(db, ids)] == ["zh", "ja"]
    languages = EvidenceCorpus("any").languages(db, DocumentKind.gap, ids)
    assert languages == {ids[0]: "zh", ids[1]: None}

    idea = Idea(id=7, title="待处理付款", body="应用里应该说明付款要等多久。", category_id=1)
    assert theme_documents.idea_document(idea).language == "zh"
    idea.language = "en"  # what submit stored wins over the text
    assert theme_documents.idea_document(idea).language == "en"
