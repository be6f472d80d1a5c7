"""Areas: themes grouped into a handful of broader subjects ("Card delivery", "Refunds"), so
the themes page can open on about 5 to 15 areas and a CX lead drills into the themes inside.
Pure functions, no database (``ideas.themes.area_runs`` writes them).

Method: Ward agglomerative clustering of the L2-normalised theme centroids (Euclidean between
unit vectors orders pairs as cosine does), cut at the number of areas in ``area_range`` (5 to
15, at most half the themes) with the best cosine silhouette, each theme counted once, among
the cuts whose largest area holds at most ``MAX_SHARE`` of the members. Themes smaller than
``CORE_SIZE`` of the median theme take no part in the cut and join the nearest area after it:
on 960 BANKING77 queries of 24 intents in 6 families, where a run finds 11 themes two of them
tiny, this raised the agreement of the areas between runs on 90% and 100% of the documents
from ARI 0.60 to 0.72 (the benchmark sets have no such themes and do not change).

Chosen on BANKING77 train against a rule-made grouping of its 77 intents into 8 families
(cards, top-ups, transfers, cash, exchange, payments, account security): NMI of each
document's area, unthemed documents one group. Ward 0.505 (7 areas, the largest 30%) and
with the share cap 0.537 (15 areas, the largest 15%); average linkage left one area with 40%
to 80% of the documents at most cuts; a size-weighted silhouette, or a size-weighted Ward,
chose 5 areas and lumped the data (0.43-0.50). Results (the themes of the current
``ThemeClusterer``): Bitext ``category`` (11 labels) 0.882 with 10 areas over 22 themes (and
0.86-0.89 over 51 to 148 finer themes); BANKING77 test 0.553 with 13 areas, the largest 13%.

Deterministic and independent of the themes' input order: they are put in a canonical order
(by centroid bytes, then size) before clustering, and the areas are numbered by total size
descending, then by their first theme in that order. With fewer than ``MIN_THEMES`` themes
there are no areas (every theme gets -1): the page then lists the themes directly.
"""

from __future__ import annotations

import numpy as np

MIN_THEMES = 8
MIN_AREAS = 5
MAX_AREAS = 15
# A cut whose largest area holds more of the members than this is an overview of nothing: one
# area would be a third of everything (BANKING77 train: 7 areas, the largest 30%).
MAX_SHARE = 0.25
# A theme under this share of the median theme's size is a fringe, not a subject: it joins the
# nearest area instead of claiming one (a 5-member theme beside 60-member ones was an area of
# its own and pushed real subjects together).
CORE_SIZE = 0.1
NO_AREA = -1


def _canonical_order(centroids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Theme positions sorted by centroid bytes, then size: the same set in any order gives
    the same sequence."""
    keys = [
        (np.ascontiguousarray(c).tobytes(), int(s)) for c, s in zip(centroids, sizes, strict=True)
    ]
    return np.array(sorted(range(len(keys)), key=lambda i: (keys[i], i)), dtype=np.int64)


def _normalise(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def _cuts(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ward tree of the unit vectors ``x`` (Euclidean distance between unit vectors is a
    monotone function of cosine) and their pairwise cosine distances."""
    from scipy.cluster.hierarchy import linkage

    distances = np.clip(1.0 - x @ x.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    return linkage(x, method="ward"), (distances + distances.T) / 2


def area_range(n_themes: int) -> range:
    """The numbers of areas considered for ``n_themes`` themes (empty: no areas)."""
    if n_themes < MIN_THEMES:
        return range(0)
    low = min(MIN_AREAS, n_themes // 2)
    return range(low, max(low, min(MAX_AREAS, n_themes // 2)) + 1)


def _best_cut(tree: np.ndarray, distances: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    """Labels of the cut in ``area_range(n)`` with the best cosine silhouette (ties: fewer
    areas) among those whose largest area holds at most ``MAX_SHARE`` of the members; among all
    cuts when none does (one theme alone may be that big)."""
    from scipy.cluster.hierarchy import fcluster
    from sklearn.metrics import silhouette_score

    scored: list[tuple[bool, float, int, np.ndarray]] = []
    for m in area_range(n):
        labels = np.asarray(fcluster(tree, m, criterion="maxclust"), dtype=np.int64) - 1
        if not 2 <= len(np.unique(labels)) < n:
            continue
        score = float(silhouette_score(distances, labels, metric="precomputed"))
        share = float(np.bincount(labels, weights=weights).max() / weights.sum())
        scored.append((share <= MAX_SHARE, round(score, 9), -m, labels))
    if not scored:
        return np.zeros(n, dtype=np.int64)
    return max(scored, key=lambda row: row[:3])[3]


def _number(labels: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Renumber groups 0..m-1 by total size descending, then by their first position."""
    ids, first = np.unique(labels, return_index=True)
    totals = np.array([sizes[labels == i].sum() for i in ids])
    order = np.lexsort((first, -totals))
    mapping = {int(ids[o]): rank for rank, o in enumerate(order)}
    return np.array([mapping[int(v)] for v in labels], dtype=np.int64)


def group(centroids: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """An area index (0..m-1) per theme, or ``NO_AREA`` for every theme when there are fewer
    than ``MIN_THEMES`` themes. ``centroids``: (n, d) theme centroids; ``sizes``: members per
    theme (a theme with none counts as one)."""
    n = len(centroids)
    if len(sizes) != n:
        raise ValueError("centroids and sizes must have the same length")
    if n < MIN_THEMES:
        return np.full(n, NO_AREA, dtype=np.int64)
    order = _canonical_order(np.asarray(centroids, dtype=np.float32), np.asarray(sizes))
    x = _normalise(np.asarray(centroids, dtype=np.float64)[order])
    weights = np.maximum(np.asarray(sizes, dtype=np.float64)[order], 1.0)
    core = _core(weights)
    tree, distances = _cuts(x[core])
    labels = np.full(n, NO_AREA, dtype=np.int64)
    labels[core] = _best_cut(tree, distances, weights[core], len(core))
    _attach(x, weights, labels)
    out = np.empty(n, dtype=np.int64)
    out[order] = _number(labels, weights)
    return out


def _core(weights: np.ndarray) -> np.ndarray:
    """Positions of the themes that make the areas: all but those under ``CORE_SIZE`` of the
    median theme's size (unless that leaves fewer than ``MIN_THEMES``)."""
    core = np.flatnonzero(weights >= CORE_SIZE * np.median(weights))
    return core if len(core) >= MIN_THEMES else np.arange(len(weights))


def _attach(x: np.ndarray, weights: np.ndarray, labels: np.ndarray) -> None:
    """Each theme without an area joins the area whose centroid is nearest (in place)."""
    rest = np.flatnonzero(labels < 0)
    if len(rest):
        placed = labels >= 0
        centroids = area_centroids(x[placed], weights[placed], labels[placed])
        labels[rest] = np.argmax(x[rest] @ centroids.T.astype(np.float64), axis=1)


def area_centroids(centroids: np.ndarray, sizes: np.ndarray, areas: np.ndarray) -> np.ndarray:
    """Each area's centroid: the size-weighted mean of its themes' unit centroids, normalised
    (rows 0..m-1 for areas 0..m-1)."""
    m = int(areas.max()) + 1 if len(areas) and areas.max() >= 0 else 0
    x = _normalise(np.asarray(centroids, dtype=np.float64))
    weights = np.maximum(np.asarray(sizes, dtype=np.float64), 1.0)
    out = np.zeros((m, x.shape[1]), dtype=np.float64)
    for a in range(m):
        mine = areas == a
        out[a] = weights[mine] @ x[mine]
    return _normalise(out).astype(np.float32)
