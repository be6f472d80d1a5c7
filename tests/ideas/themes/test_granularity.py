"""How fine themes are (``granularity``) and ideas beside evidence (``sources``), on small
hand-made vectors whose right answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from ideas.themes import granularity
from ideas.themes.granularity import merge_duplicates, merge_leaves
from ideas.themes.sources import CROSS_THRESHOLD, MIN_IDEA_THEME, separate
from ideas.themes.vectors import normalise


def _blob(rng: np.random.Generator, centre: np.ndarray, n: int, spread: float) -> np.ndarray:
    return centre + rng.normal(scale=spread, size=(n, len(centre)))


def test_leaves_of_one_topic_merge_and_distinct_topics_stay_apart() -> None:
    rng = np.random.default_rng(0)
    # Three topics far apart, each found as two leaves close together.
    topics = [np.array([0.0, 0.0]), np.array([20.0, 0.0]), np.array([0.0, 20.0])]
    z = np.vstack(
        [_blob(rng, t + offset, 30, 0.3) for t in topics for offset in ([0, 0], [1.5, 0])]
    )
    leaves = np.repeat(np.arange(6), 30)
    hashes = np.arange(len(z), dtype=np.uint64)
    groups = merge_leaves(z, leaves, 6, hashes)
    assert groups.tolist() == [0, 0, 1, 1, 2, 2]
    # Leaves that are topics of their own are kept.
    spread = np.vstack([_blob(rng, np.array([10.0 * i, 0.0]), 30, 0.3) for i in range(4)])
    assert len(set(merge_leaves(spread, np.repeat(np.arange(4), 30), 4, hashes).tolist())) == 4


def test_a_rerun_keeps_the_previous_level_when_the_silhouette_barely_differs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(2)
    # Two pairs of leaves: four themes or two are both reasonable readings.
    centres = [[0.0, 0.0], [3.0, 0.0], [30.0, 0.0], [33.0, 0.0]]
    z = np.vstack([_blob(rng, np.array(c), 20, 0.3) for c in centres])
    leaves = np.repeat(np.arange(4), 20)
    hashes = np.arange(len(z), dtype=np.uint64)
    curve = {4: 0.80, 3: 0.60, 2: 0.79}  # two near-equal peaks

    def silhouette(_sums: object, _sizes: object, _rows: object, groups: np.ndarray) -> float:
        return curve[int(groups.max()) + 1]

    monkeypatch.setattr(granularity, "_silhouette", silhouette)
    assert len(set(merge_leaves(z, leaves, 4, hashes).tolist())) == 4  # the best, first time
    coarse = np.repeat([7, 9], 40)  # last run: two themes (its own ids)
    assert merge_leaves(z, leaves, 4, hashes, previous=coarse).tolist() == [0, 0, 1, 1]
    fine = np.repeat([3, 4, 5, 6], 20)
    assert len(set(merge_leaves(z, leaves, 4, hashes, previous=fine).tolist())) == 4
    curve[2] = 0.80 - granularity.STEADY - 0.01  # clearly worse: the data wins
    assert len(set(merge_leaves(z, leaves, 4, hashes, previous=coarse).tolist())) == 4


def test_near_duplicates_merge_only_within_one_source() -> None:
    rng = np.random.default_rng(1)
    base = normalise(rng.normal(size=(1, 16)))[0]
    close = normalise(base + 0.05 * rng.normal(size=16))
    far = normalise(rng.normal(size=16))
    x = normalise(np.vstack([_blob(rng, c, 10, 0.01) for c in (base, close, far)]))
    labels = np.repeat(np.arange(3), 10)
    merged = merge_duplicates(x, labels, 3, np.array([False, False, False]))
    assert merged.tolist() == [0] * 20 + [1] * 10
    # An idea-led theme never merges into an evidence-led one, however close.
    kept = merge_duplicates(x, labels, 3, np.array([False, True, False]))
    assert kept.tolist() == labels.tolist()


def test_ideas_join_evidence_only_when_close_to_the_evidence() -> None:
    rng = np.random.default_rng(2)
    problem, workplace = normalise(rng.normal(size=(2, 32)))
    evidence = normalise(_blob(rng, problem, 40, 0.02))
    about_problem = normalise(_blob(rng, problem, 3, 0.02))
    # Workplace ideas share a little of the problem's direction (a shared word), not enough.
    rota = normalise(_blob(rng, workplace + 0.3 * problem, MIN_IDEA_THEME, 0.02))
    lone = normalise(rng.normal(size=(1, 32)))
    x = np.vstack([evidence, about_problem, rota, lone])
    is_idea = np.array([False] * 40 + [True] * (3 + MIN_IDEA_THEME + 1))
    assert float((rota @ problem).max()) < CROSS_THRESHOLD
    # The joint clustering put everything in one theme.
    labels = separate(x, np.zeros(len(x), dtype=np.int64), 1, is_idea)
    assert (labels[:43] == 0).all()  # the evidence and the ideas about its problem stay
    assert len(set(labels[43 : 43 + MIN_IDEA_THEME].tolist())) == 1
    assert labels[43] not in (-1, 0)  # the workplace ideas form an idea-only theme
    assert labels[-1] == -1  # a lone idea about something else stays unthemed


def test_a_theme_of_unrelated_ideas_is_taken_apart_and_regrouped_by_topic() -> None:
    rng = np.random.default_rng(4)
    rota, canteen = normalise(rng.normal(size=(2, 32)))
    topics = [normalise(_blob(rng, c, 4, 0.05)) for c in (rota, canteen)]
    scattered = normalise(rng.normal(size=(12, 32)))  # ideas that share only a voice
    coherent = normalise(_blob(rng, normalise(rng.normal(size=(1, 32)))[0], 6, 0.05))
    x = np.vstack([*topics, scattered, coherent])
    is_idea = np.ones(len(x), dtype=bool)
    is_idea[-1] = False  # one evidence member beside the coherent ideas
    labels = np.array([0] * 20 + [1] * 6)  # HDBSCAN: one loose theme, one tight one
    out = separate(x, labels, 2, is_idea)
    assert len(set(out[:4].tolist())) == 1 and len(set(out[4:8].tolist())) == 1
    assert out[0] != out[4] and -1 not in out[:8].tolist()  # regrouped by topic
    assert (out[8:20] == -1).all()  # the scattered ones stay unthemed
    assert (out[20:] == 1).all()  # a theme of ideas that do resemble each other stays
