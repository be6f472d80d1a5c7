"""Chinese and Japanese in the English embedding space (foundation.crosslingual): routing by
script, placement among English anchors, and, with the real models, translations that find their
English originals through the similar-ideas index (the short version of bench/multilingual.py)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import numpy as np
import pytest

from foundation import crosslingual
from foundation.crosslingual import (
    CONFIDENT_LOW,
    X_DIMENSIONS,
    encode_routed,
    is_cjk,
    mapped,
    normalise,
    place,
)
from foundation.embeddings import get_embedder
from foundation.settings import Settings
from ideas.submissions.similar import VectorIndex

PAIRS = Path(__file__).resolve().parents[2] / "bench" / "data" / "multilingual_pairs.csv"
BANKING77 = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77" / "train.csv"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("My card payment is still pending", False),
        ("客户一直打电话来，因为银行卡付款好几天都显示待处理", True),
        ("カードの支払いが何日も保留中のままです", True),
        ("Customer: 我的卡号是[CARD]，请帮我查一下", True),  # tokens are short beside the text
        ("Please call Mr 王 back about the transfer to Shanghai", False),  # one name in English
        ("", False),
        ("12345 !!!", False),
    ],
)
def test_texts_are_routed_by_script(text: str, expected: bool) -> None:
    assert is_cjk(text) is expected


def _unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    return normalise(rng.normal(size=(n, d)).astype(np.float32))


def test_a_translation_lands_on_its_english_anchor() -> None:
    rng = np.random.default_rng(1)
    anchor_x, anchor_v = _unit(rng, 50, X_DIMENSIONS), _unit(rng, 50, 384)
    # Close to anchor 7 in the multilingual space (cosine about 0.8), far from the others.
    query = normalise(anchor_x[7] + 0.75 * _unit(rng, 1, X_DIMENSIONS)[0])[None, :]
    placed = place(query, anchor_x, anchor_v)
    assert float(placed[0] @ anchor_v[7]) > 0.99
    assert np.allclose(np.linalg.norm(placed, axis=1), 1.0, atol=1e-5)


def test_with_nothing_close_the_linear_map_is_used() -> None:
    rng = np.random.default_rng(2)
    anchor_x, anchor_v = _unit(rng, 50, X_DIMENSIONS), _unit(rng, 50, 384)
    query = _unit(rng, 3, X_DIMENSIONS)  # random: cosine to every anchor far below the bound
    assert float((query @ anchor_x.T).max()) < CONFIDENT_LOW
    assert np.allclose(place(query, anchor_x, anchor_v), mapped(query), atol=1e-6)
    assert np.allclose(place(query), mapped(query), atol=1e-6)  # no anchors at all


def test_rows_that_are_not_anchors_are_never_neighbours() -> None:
    rng = np.random.default_rng(3)
    anchor_x, anchor_v = _unit(rng, 20, X_DIMENSIONS), _unit(rng, 20, 384)
    query = anchor_x[4][None, :].copy()  # identical to row 4, which is not usable
    usable = np.ones(20, dtype=bool)
    usable[4] = False
    placed = place(query, anchor_x, anchor_v, usable)
    assert float(placed[0] @ anchor_v[4]) < 0.5
    none = np.zeros(20, dtype=bool)
    assert np.allclose(place(query, anchor_x, anchor_v, none), mapped(query), atol=1e-6)


def test_english_only_calls_never_load_the_multilingual_model(monkeypatch) -> None:
    def refuse() -> None:
        raise AssertionError("the multilingual model was loaded for English text")

    monkeypatch.setattr(crosslingual, "get_encoder", refuse)
    english = np.ones((2, 384), dtype=np.float32)
    out = encode_routed(lambda texts: english[: len(texts)], ["a card", "a loan"], with_x=False)
    assert out.xvectors is None and out.anchor.all()
    assert np.array_equal(out.vectors, english)


@pytest.fixture(scope="module")
def embedder():
    return get_embedder(Settings())


def test_english_vectors_are_minilms_own_and_cjk_ones_are_mapped(embedder) -> None:
    texts = ["Why is my card payment pending?", "我的银行卡付款为什么一直待处理？"]
    stored = embedder.encode_for_storage(texts)
    assert stored.anchor.tolist() == [True, False]
    assert stored.xvectors is not None and stored.xvectors.shape == (2, X_DIMENSIONS)
    assert np.allclose(stored.vectors[0], embedder._encode(texts[:1], 64)[0], atol=1e-6)
    assert np.allclose(stored.vectors[1], mapped(stored.xvectors[1:])[0], atol=1e-6)
    assert np.allclose(embedder.encode(texts), stored.vectors, atol=1e-5)


def _rows(path: Path, column: str, limit: int) -> list[str]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)][:limit]


@pytest.mark.skipif(not BANKING77.is_file(), reason="shared/data/banking77 is not beside the clone")
def test_translations_find_their_english_originals_among_banking_distractors(embedder) -> None:
    """12 pairs among 300 BANKING77 distractor ideas, through the index the app searches."""
    english = _rows(PAIRS, "en", 12)
    distractors = _rows(BANKING77, "text", 300)
    index = VectorIndex("idea", embedder.model_name)
    stored = embedder.encode_for_storage(english + distractors)
    assert stored.xvectors is not None
    for i in range(len(english) + len(distractors)):
        index.add(i, stored.vectors[i], stored.xvectors[i], bool(stored.anchor[i]))
    for language in ("zh", "ja"):
        found = 0
        for i, text in enumerate(_rows(PAIRS, language, 12)):
            hits = index.search(index.query_vector(embedder, text), 5)
            found += i in [source_id for source_id, _ in hits]
        assert found >= 11, f"{language}: {found} of 12 translations found their original"
    # English queries are MiniLM's, unchanged: an English original is its own best match.
    assert index.search(index.query_vector(embedder, english[0]), 1)[0][0] == 0
