"""Why an idea is in its theme (``ideas.themes.explain``): the similarity is the cosine to the
theme's centroid, the nearest evidence is the theme's gap member most like the idea (among the
most recent), and an idea without a stored vector gets no explanation instead of an error.

Vectors are written straight into the ``embedding`` table, so every expected figure is known."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
from sqlmodel import Session

from foundation.clock import utcnow
from foundation.embeddings import DIMENSIONS, Embedding, to_bytes
from ideas.themes import explain as explain_module
from ideas.themes.explain import Strength, explain, snippet, strength
from ideas.themes.models import DocumentKind, Theme, ThemeMember

MODEL = "test-model"
RNG = np.random.default_rng(15)


class FakeCorpus:
    """The ``documents.Corpus`` protocol over fixed gap texts."""

    model = MODEL

    def __init__(self, texts: dict[int, str]) -> None:
        self._texts = texts
        self.asked: list[int] = []

    def texts(self, session: Session, kind: DocumentKind, ids: list[int]) -> dict[int, str]:
        assert kind == DocumentKind.gap
        self.asked += ids
        return {i: self._texts[i] for i in ids if i in self._texts}

    def languages(
        self, session: Session, kind: DocumentKind, ids: list[int]
    ) -> dict[int, str | None]:
        return dict.fromkeys(ids, "en")


def unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v)).astype(np.float32)


def random_unit() -> np.ndarray:
    return unit(RNG.standard_normal(DIMENSIONS))


def store(db: Session, kind: DocumentKind, source_id: int, vector: np.ndarray, model: str = MODEL):
    db.add(
        Embedding(
            source=kind.value,
            source_id=source_id,
            model=model,
            text_hash="x",
            vector=to_bytes(vector),
        )
    )


def make_theme(db: Session, centroid: np.ndarray) -> Theme:
    theme = Theme(name="Cards", auto_label="Cards", centroid=to_bytes(centroid))
    db.add(theme)
    db.flush()
    return theme


def add_evidence(
    db: Session, theme: Theme, vectors: dict[int, np.ndarray], days_ago: dict[int, int]
) -> None:
    for source_id, vector in vectors.items():
        store(db, DocumentKind.gap, source_id, vector)
        db.add(
            ThemeMember(
                theme_id=theme.id,  # type: ignore[arg-type]
                kind=DocumentKind.gap,
                source_id=source_id,
                occurred_at=utcnow() - timedelta(days=days_ago.get(source_id, 1)),
            )
        )
    db.flush()


def test_similarity_is_the_cosine_to_the_centroid(db: Session) -> None:
    centroid = random_unit()
    theme = make_theme(db, centroid)
    raw = {101: centroid + 0.3 * random_unit(), 102: random_unit(), 103: centroid + random_unit()}
    for idea_id, vector in raw.items():
        store(db, DocumentKind.idea, idea_id, vector * 3.0)  # stored unnormalised: still a cosine
    db.flush()

    found = explain(db, theme, list(raw), FakeCorpus({}))

    assert set(found) == set(raw)
    for idea_id, vector in raw.items():
        cosine = float(vector @ centroid / np.linalg.norm(vector))
        assert found[idea_id].similarity == pytest.approx(cosine, abs=1e-5)
        assert found[idea_id].strength == strength(cosine)
    assert found[101].strength == Strength.close and found[102].strength == Strength.loose
    # No evidence in the theme: the similarity alone.
    assert found[101].nearest_evidence_id is None and found[101].snippet is None


def test_nearest_evidence_is_the_most_similar_gap_member(db: Session) -> None:
    centroid = random_unit()
    theme = make_theme(db, centroid)
    evidence = {7: random_unit(), 8: random_unit(), 9: random_unit()}
    add_evidence(db, theme, evidence, {})
    near_8, near_9 = (
        unit(evidence[8] + 0.5 * random_unit()),
        unit(evidence[9] + 0.5 * random_unit()),
    )
    store(db, DocumentKind.idea, 1, near_8)
    store(db, DocumentKind.idea, 2, near_9)
    db.flush()
    texts = {7: "Customer: seven", 8: "Customer: where is my new card?", 9: "Customer: nine"}
    corpus = FakeCorpus(texts)

    found = explain(db, theme, [1, 2], corpus)

    assert found[1].nearest_evidence_id == 8 and found[1].snippet == texts[8]
    assert found[2].nearest_evidence_id == 9 and found[2].snippet == texts[9]
    assert found[1].evidence_similarity == pytest.approx(float(near_8 @ evidence[8]), abs=1e-5)
    assert sorted(corpus.asked) == [8, 9]  # only the texts shown are read


def test_only_the_most_recent_evidence_is_compared(db: Session, monkeypatch) -> None:
    monkeypatch.setattr(explain_module, "EVIDENCE_CAP", 2)
    theme = make_theme(db, random_unit())
    old, recent = random_unit(), {21: random_unit(), 22: random_unit()}
    add_evidence(db, theme, {20: old, **recent}, {20: 90, 21: 2, 22: 1})
    store(db, DocumentKind.idea, 5, old)  # identical to the old evidence, which is past the cap
    db.flush()

    found = explain(db, theme, [5], FakeCorpus({20: "old", 21: "a", 22: "b"}))

    assert found[5].nearest_evidence_id in (21, 22)


def test_ideas_without_a_vector_get_no_explanation(db: Session) -> None:
    centroid = random_unit()
    theme = make_theme(db, centroid)
    store(db, DocumentKind.idea, 31, centroid)
    store(db, DocumentKind.idea, 32, centroid, model="another-model")  # stale: another model
    db.flush()

    found = explain(db, theme, [31, 32, 33], FakeCorpus({}))

    assert set(found) == {31}
    assert found[31].similarity == pytest.approx(1.0, abs=1e-5)
    assert explain(db, theme, [], FakeCorpus({})) == {}
    theme.centroid = None
    assert explain(db, theme, [31], FakeCorpus({})) == {}


def test_strength_levels_and_snippets() -> None:
    assert strength(0.71) == Strength.close and strength(0.7) == Strength.close
    assert strength(0.55) == Strength.good and strength(0.48) == Strength.loose
    assert Strength.close.label == "Close match"
    assert snippet("short  text\n") == "short text"
    long = "word " * 100
    cut = snippet(long, limit=30)
    assert cut.endswith("…") and len(cut) <= 31 and not cut[:-1].endswith(" ")
