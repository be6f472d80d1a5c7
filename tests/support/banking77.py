"""Similar-idea suggestion quality on BANKING77, shared by the suite's short check
(``tests/ideas/submissions/test_similar_quality.py``) and the full-data benchmark
(``bench/similar_quality.py``).

Data: BANKING77 (Casanueva et al., "Efficient Intent Detection with Dual Sentence Encoders",
NLP4ConvAI 2020; github.com/PolyAI-LDN/task-specific-datasets), licensed CC BY 4.0, kept unmodified
in ``shared/data/banking77`` beside the repository clone (see its PROVENANCE.md and LICENSE).

``evaluate`` stores the given train queries as existing ideas (an ``Idea`` row and its ``Embedding``
row, source "idea", in a freshly migrated SQLite database), then types each test query as the
text of a new idea and sends it through ``ideas.submissions.similar.similar_ideas`` over a
``VectorIndex`` refreshed from the embedding table, so the index refresh, the over-fetch,
MIN_SIMILARITY and the hidden/merged filter all apply. A test query is a hit when one of the top
suggestions has the same intent.

One shortcut, for run time only: the real model encodes all texts up front, in batches (2.5 to 4
ms a text on 2 cores), instead of once per call inside ``similar_ideas`` (8 to 10 ms a text one at
a time on an idle machine, far slower on a busy one). ``similar_ideas`` gets an embedder that
hands back those vectors, so every other step (refresh, search, MIN_SIMILARITY, visibility) is the
production code. Per-request latency, query embedding included, is measured by
``bench/similar_ideas.py``.

Hidden and merged copies of some test queries are stored too: each would be the best possible
match for its query (the same text), so they check that such ideas are never suggested.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlmodel import Session, col, select

from api.migrate import upgrade
from foundation.db import make_engine
from foundation.embeddings import Embedder, Embedding, text_hash, to_bytes
from ideas.submissions.models import Category, Idea
from ideas.submissions.similar import SOURCE, VectorIndex, similar_ideas

BANKING77 = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77"
FULL_SIZES = {"train": 10_003, "test": 3_080}
Labelled = list[tuple[str, str]]  # (text, intent)


class DataMissing(RuntimeError):
    """The shared BANKING77 folder is not beside the repository clone."""


def read_split(name: str) -> Labelled:
    path = BANKING77 / f"{name}.csv"
    if not path.is_file():
        raise DataMissing(
            f"BANKING77 data not found at {path}: the shared data folder must sit beside the "
            "repository clone, as shared/data/banking77/{train,test}.csv."
        )
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["text"].strip(), row["category"]) for row in csv.DictReader(handle)]


def first_per_intent(rows: Labelled, count: int) -> Labelled:
    """The first ``count`` rows of every intent, in file order: a sample that keeps all 77
    intents equally weighted (the smallest intent has 35 train queries)."""
    seen: Counter[str] = Counter()
    kept = []
    for text, label in rows:
        seen[label] += 1
        if seen[label] <= count:
            kept.append((text, label))
    return kept


class BatchEncoded:
    """The real model's vectors, computed once in batches, served one text at a time."""

    def __init__(self, embedder: Embedder, texts: Sequence[str]) -> None:
        self.model_name = embedder.model_name
        unique = list(dict.fromkeys(texts))
        self._vectors = dict(zip(unique, embedder.encode(unique), strict=True))

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        return np.stack([self._vectors[text] for text in texts])  # KeyError: not pre-encoded


def store(
    session: Session,
    embedder: BatchEncoded,
    texts: list[str],
    *,
    hidden_reason: str | None = None,
    merged_into_id: int | None = None,
) -> list[int]:
    """Idea rows and their Embedding rows as ``submit_idea`` leaves them (``idea_text`` is the
    title when the body is empty), written in bulk; returns the ideas' ids."""
    category_id = session.exec(select(Category.id).order_by(col(Category.id))).first()
    assert category_id is not None, "the migrations seed the categories"
    ideas = [
        Idea(
            title=text,
            body="",
            category_id=category_id,
            hidden_reason=hidden_reason,
            merged_into_id=merged_into_id,
        )
        for text in texts
    ]
    session.add_all(ideas)
    session.flush()
    ids = [idea.id for idea in ideas if idea.id is not None]
    assert len(ids) == len(ideas)
    vectors = embedder.encode(texts)
    session.add_all(
        Embedding(
            source=SOURCE,
            source_id=idea_id,
            model=embedder.model_name,
            text_hash=text_hash(text),
            vector=to_bytes(vector),
        )
        for idea_id, text, vector in zip(ids, texts, vectors, strict=True)
    )
    session.flush()
    return ids


@dataclass(frozen=True)
class Quality:
    hits: int
    queries: int
    shown_filtered: int  # hidden or merged ideas that were suggested (must be 0)
    misses: Counter[str]  # missed test queries per intent

    @property
    def rate(self) -> float:
        return self.hits / self.queries

    def summary(self, top_k: int) -> str:
        worst = ", ".join(f"{label} {n}" for label, n in self.misses.most_common(5))
        return (
            f"banking77 top-{top_k} intent hit rate: {self.rate:.2f} ({self.hits:,} / "
            f"{self.queries:,}); most missed intents: {worst}"
        )


def evaluate(
    embedder: Embedder,
    train: Labelled,
    test: Labelled,
    folder: Path,
    *,
    top_k: int = 5,
    filtered_copies: int = 40,
) -> Quality:
    """Store ``train`` (plus ``filtered_copies`` hidden and as many merged copies of test
    queries) in a fresh SQLite database in ``folder`` and ask ``similar_ideas`` for every test
    query."""
    encoded = BatchEncoded(embedder, [text for text, _ in train + test])
    url = f"sqlite:///{folder / 'banking77.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as session:
            train_ids = store(session, encoded, [text for text, _ in train])
            intent = dict(zip(train_ids, (label for _, label in train), strict=True))
            # The same text as a test query: each would top its query's list if it were shown.
            copies = [text for text, _ in test[: 2 * filtered_copies]]
            hidden = store(
                session, encoded, copies[:filtered_copies], hidden_reason="Hidden by a CX lead"
            )
            merged = store(session, encoded, copies[filtered_copies:], merged_into_id=train_ids[0])
            filtered = set(hidden + merged)
            session.commit()

            index = VectorIndex(SOURCE, encoded.model_name)
            hits, shown_filtered, misses = 0, 0, Counter[str]()
            for text, label in test:
                matches = similar_ideas(session, index, encoded, text, k=top_k)  # type: ignore[arg-type]
                assert len(matches) <= top_k
                shown_filtered += sum(match.idea.id in filtered for match in matches)
                if any(intent.get(match.idea.id) == label for match in matches):  # type: ignore[arg-type]
                    hits += 1
                else:
                    misses[label] += 1
            assert len(index) == len(train) + 2 * filtered_copies
    finally:
        engine.dispose()
    return Quality(hits, len(test), shown_filtered, misses)
