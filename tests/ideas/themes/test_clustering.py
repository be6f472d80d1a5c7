"""The theme pipeline (``ideas.themes.clustering``) on real embeddings: deterministic whatever
the input order, ideas and gap snippets about one problem in one theme, outliers, keywords,
joins between runs and splits.

Data: six BANKING77 test categories (Casanueva et al. 2020, CC BY 4.0; ``shared/data/banking77``
beside the repository clone), 240 real customer queries, plus an idea and three gap snippets
written for these tests. Embedded once per session with the real model.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from foundation.embeddings import Embedder
from ideas.themes.clustering import ClusterResult, ThemeClusterer, split
from ideas.themes.keywords import keywords_and_label
from ideas.themes.vectors import JOIN_THRESHOLD, nearest_theme

BANKING77 = Path(__file__).resolve().parents[4] / "shared" / "data" / "banking77" / "test.csv"
# Six intents a theme should keep apart. Not "lost_or_stolen_card" beside "card_arrival": on
# 240 texts the silhouette merges those two (bench/README.md, "Choosing the defaults").
CATEGORIES = (
    "card_arrival",
    "cash_withdrawal_charge",
    "top_up_failed",
    "exchange_rate",
    "terminate_account",
    "pin_blocked",
)
IDEA = "Customers keep asking why their new card hasn't arrived; we need a tracking link"
GAPS = (
    "Customer: my card still hasn't arrived, it's been two weeks\n"
    "Agent: I'm not sure when it will arrive, let me check with my team leader.",
    "Customer: I ordered a new card to [POSTCODE] ten days ago and it never came\n"
    "Agent: I can't see any tracking for card [CARD], sorry.",
    "Customer: where is my new card? It still hasn't been delivered\n"
    "Agent: sorry [NAME], I don't know how long delivery takes.",
)
REDACTION_WORDS = {"card_number", "sort", "code", "postcode", "name", "account", "number"}
STOP_WORDS = {"the", "my", "a", "is", "it", "i", "to", "and", "of", "for", "not", "has", "have"}
STOP_WORDS |= {"been", "yet", "still", "why", "what", "can", "you", "your", "me", "this", "that"}
STOP_WORDS |= {"was", "on", "in", "do", "does", "how", "when", "where", "there", "so", "every"}


@dataclass(frozen=True)
class Corpus:
    keys: list[str]
    texts: list[str]
    categories: list[str]
    vectors: np.ndarray


@pytest.fixture(scope="session")
def corpus(embedder: Embedder) -> Corpus:
    if not BANKING77.is_file():
        pytest.fail(f"BANKING77 data not found at {BANKING77}", pytrace=False)
    with BANKING77.open(newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["category"] in CATEGORIES]
    keys = [f"idea:{i}" for i in range(len(rows))] + ["idea:9001"]
    keys += [f"gap:{i}" for i in range(len(GAPS))]
    texts = [r["text"].strip() for r in rows] + [IDEA, *GAPS]
    categories = [r["category"] for r in rows] + ["card_arrival"] * (1 + len(GAPS))
    return Corpus(keys, texts, categories, embedder.encode(texts))


@pytest.fixture(scope="session")
def fitted(corpus: Corpus) -> ClusterResult:
    return ThemeClusterer().fit(corpus.keys, corpus.texts, corpus.vectors)


def themes(result: ClusterResult) -> list[object]:
    return [
        result.labels.tolist(),
        [
            (c.members.tolist(), c.keywords, c.label, c.representatives, c.centroid.tobytes())
            for c in result.clusters
        ],
        result.unthemed_share,
    ]


def test_same_input_twice_gives_identical_themes(corpus: Corpus, fitted: ClusterResult) -> None:
    again = ThemeClusterer().fit(corpus.keys, corpus.texts, corpus.vectors.copy())
    assert themes(again) == themes(fitted)
    assert len(fitted.clusters) >= 4


@pytest.mark.parametrize("seed", [1, 2])
def test_shuffled_input_gives_identical_themes(
    corpus: Corpus, fitted: ClusterResult, seed: int
) -> None:
    perm = np.random.default_rng(seed).permutation(len(corpus.keys))
    shuffled = ThemeClusterer().fit(
        [corpus.keys[i] for i in perm], [corpus.texts[i] for i in perm], corpus.vectors[perm]
    )
    labels = np.empty_like(shuffled.labels)
    labels[perm] = shuffled.labels
    assert labels.tolist() == fitted.labels.tolist()
    assert len(shuffled.clusters) == len(fitted.clusters)
    for mine, theirs in zip(fitted.clusters, shuffled.clusters, strict=True):
        assert np.sort(perm[theirs.members]).tolist() == mine.members.tolist()
        assert theirs.keywords == mine.keywords
        assert theirs.label == mine.label
        assert [int(perm[r]) for r in theirs.representatives] == mine.representatives
        assert theirs.centroid.tobytes() == mine.centroid.tobytes()


def test_result_shape(corpus: Corpus, fitted: ClusterResult) -> None:
    n = len(corpus.keys)
    assert fitted.labels.shape == (n,)
    assert fitted.unthemed_share == pytest.approx(float(np.mean(fitted.labels == -1)))
    assert fitted.unthemed_share <= 0.1
    sizes = [len(c.members) for c in fitted.clusters]
    assert sizes == sorted(sizes, reverse=True)
    for index, cluster in enumerate(fitted.clusters):
        assert np.flatnonzero(fitted.labels == index).tolist() == cluster.members.tolist()
        assert cluster.centroid.dtype == np.float32 and cluster.centroid.shape == (384,)
        assert float(np.linalg.norm(cluster.centroid)) == pytest.approx(1.0, abs=1e-5)
        assert 1 <= len(cluster.representatives) <= 5
        assert set(cluster.representatives) <= set(cluster.members.tolist())
        assert 1 <= len(cluster.keywords) <= 10 and cluster.label
    # Themes follow the real categories closely.
    themed = fitted.labels >= 0
    truth = np.array(corpus.categories)[themed]
    assert adjusted_rand_score(truth, fitted.labels[themed]) > 0.6


def test_idea_and_gap_snippets_about_one_problem_share_a_theme(
    corpus: Corpus, fitted: ClusterResult
) -> None:
    ours = [corpus.keys.index(k) for k in ("idea:9001", "gap:0", "gap:1", "gap:2")]
    labels = {int(fitted.labels[i]) for i in ours}
    assert len(labels) == 1 and labels != {-1}
    theme = fitted.clusters[labels.pop()]
    members = [corpus.categories[i] for i in theme.members]
    assert members.count("card_arrival") / len(members) > 0.8
    # Representatives come from each source present: the gap snippets and the ideas.
    sources = {corpus.keys[r].split(":")[0] for r in theme.representatives}
    assert sources == {"idea", "gap"}
    assert any(word in " ".join(theme.keywords) for word in ("arriv", "deliver", "received"))


def test_keywords_ignore_redaction_tokens_speakers_and_stop_words(fitted: ClusterResult) -> None:
    texts_by_cluster = [
        [
            "Customer: my card ending [CARD] has not arrived at [POSTCODE]\nAgent: sorry [NAME]",
            "Customer: the new card hasn't arrived yet, sort code [SORT_CODE]",
            "Agent: the card delivery is late for account [ACCOUNT_NUMBER]",
            "Customer: I'm still waiting for my card to arrive, it's been ten days",
        ],
        [
            "Customer: the exchange rate was wrong on my transfer",
            "Customer: why is the exchange rate so bad? [EMAIL] [PHONE]",
            "Agent: exchange rates change every day",
        ],
    ]
    named = keywords_and_label(texts_by_cluster)
    assert len(named) == 2
    stop = STOP_WORDS | {"customer", "agent", "hasn", "hasnt", "im", "it's"}
    for (keywords, label), texts in zip(named, texts_by_cluster, strict=True):
        assert keywords and label
        words = {w for k in keywords for w in k.split()}
        assert not words & stop, keywords
        assert not words & REDACTION_WORDS, keywords
        assert not words & {"email", "phone", "card]"}, keywords
        # The name is a run of a member's own words that holds a keyword.
        assert any(label.lower() in text.lower() for text in texts) and "/" not in label
        assert set(label.lower().split()) & words
    assert "card" in named[0][0] and "exchange rate" in named[1][0]
    assert named[0][1] == "New card hasn't arrived" and named[1][1] == "Exchange rate"
    for cluster in fitted.clusters:
        words = {w for k in cluster.keywords for w in k.split()}
        assert not words & (STOP_WORDS | {"customer", "agent", "postcode"})
    assert keywords_and_label([]) == []
    assert keywords_and_label([["[CARD] [NAME]"]]) == [([], "Unlabelled theme")]


def test_small_inputs_are_all_unthemed_without_error(corpus: Corpus) -> None:
    clusterer = ThemeClusterer()
    empty = clusterer.fit([], [], np.zeros((0, 384), dtype=np.float32))
    assert empty.labels.shape == (0,) and empty.clusters == [] and empty.unthemed_share == 0.0
    for n in (1, 2, 5, 14):
        result = clusterer.fit(corpus.keys[:n], corpus.texts[:n], corpus.vectors[:n])
        assert result.labels.tolist() == [-1] * n
        assert result.clusters == [] and result.unthemed_share == 1.0
    # Twenty documents from two categories: no crash, every label valid.
    rows = [i for i, c in enumerate(corpus.categories) if c in CATEGORIES[:2]][::4][:20]
    result = clusterer.fit(
        [corpus.keys[i] for i in rows], [corpus.texts[i] for i in rows], corpus.vectors[rows]
    )
    assert len(result.labels) == 20 and result.labels.min() >= -1
    assert all(len(c.members) >= 1 for c in result.clusters)


def test_fit_sample_is_order_invariant_and_assigns_the_rest(corpus: Corpus) -> None:
    """Above ``fit_sample`` documents the reduction sees a key-hash sample; the rest join."""
    clusterer = ThemeClusterer(fit_sample=150)
    first = clusterer.fit(corpus.keys, corpus.texts, corpus.vectors)
    perm = np.random.default_rng(7).permutation(len(corpus.keys))
    second = clusterer.fit(
        [corpus.keys[i] for i in perm], [corpus.texts[i] for i in perm], corpus.vectors[perm]
    )
    labels = np.empty_like(second.labels)
    labels[perm] = second.labels
    assert labels.tolist() == first.labels.tolist()
    assert [c.label for c in first.clusters] == [c.label for c in second.clusters]
    assert first.unthemed_share <= 0.1


def test_progress_runs_from_zero_to_one(corpus: Corpus) -> None:
    seen: list[float] = []
    ThemeClusterer().fit(corpus.keys[:60], corpus.texts[:60], corpus.vectors[:60], seen.append)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_nearest_theme_respects_the_threshold() -> None:
    centroids = np.eye(3, 384, dtype=np.float32)
    close = np.zeros(384, dtype=np.float32)
    close[1], close[2] = 0.8, 0.6  # cosine 0.8 to theme 1, 0.6 to theme 2
    assert nearest_theme(centroids, close) == (1, pytest.approx(0.8))
    assert nearest_theme(centroids, close, threshold=0.9) == (-1, pytest.approx(0.8))
    far = np.zeros(384, dtype=np.float32)
    far[0], far[5] = JOIN_THRESHOLD - 0.05, 1.0  # below the default threshold once normalised
    index, similarity = nearest_theme(centroids, far)
    assert index == -1 and similarity < JOIN_THRESHOLD
    assert nearest_theme(centroids, far, threshold=0.0)[0] == 0
    assert nearest_theme(np.zeros((0, 384), dtype=np.float32), close) == (-1, -1.0)


def test_new_gap_snippet_joins_its_theme_between_runs(
    embedder: Embedder, fitted: ClusterResult, corpus: Corpus
) -> None:
    centroids = np.stack([c.centroid for c in fitted.clusters])
    vector = embedder.encode(["Customer: my new card has not turned up yet, where is it?"])[0]
    index, similarity = nearest_theme(centroids, vector)
    assert index == int(fitted.labels[corpus.keys.index("gap:0")])
    assert similarity >= JOIN_THRESHOLD
    unrelated = embedder.encode(["The canteen coffee machine on floor two is broken again"])[0]
    assert nearest_theme(centroids, unrelated)[0] == -1


def test_split_gives_two_or_more_groups_deterministically(corpus: Corpus) -> None:
    rows = [i for i, c in enumerate(corpus.categories) if c in ("card_arrival", "exchange_rate")]
    vectors, texts = corpus.vectors[rows], [corpus.texts[i] for i in rows]
    truth = [corpus.categories[i] for i in rows]
    groups = split(vectors, texts)
    m = int(groups.max()) + 1
    assert m >= 2 and groups.min() == 0
    assert set(groups.tolist()) == set(range(m))  # every member in a group, none empty
    assert adjusted_rand_score(truth, groups) > 0.6
    assert split(vectors, texts).tolist() == groups.tolist()
    perm = np.random.default_rng(3).permutation(len(rows))
    shuffled = split(vectors[perm], [texts[i] for i in perm])
    back = np.empty_like(shuffled)
    back[perm] = shuffled
    assert back.tolist() == groups.tolist()
    three = split(vectors, texts, k=3)
    assert sorted(set(three.tolist())) == [0, 1, 2]
    assert split(vectors[:1], texts[:1]).tolist() == [0]
    small = split(vectors[:4], texts[:4])
    assert len(small) == 4 and set(small.tolist()) == {0, 1}
