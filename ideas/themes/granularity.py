"""How fine themes are, chosen from the data: HDBSCAN's leaf clusters are the finest level; they
are merged up an average-linkage hierarchy of their centroids in the reduced (UMAP) space, and
the level kept is the one whose partition has the best silhouette there (Euclidean, over a fixed
sample). No number of topics is given and no similarity threshold: where topics are fine
(BANKING77) the leaves are kept nearly as they are; where one topic is worded several ways
(Bitext: "termination penalty", "early exit fee", "withdrawal charges") its leaves merge,
because that raises the silhouette.

Measured with ``bench/themes.py`` (tuned on BANKING77 train and the SGD banking intents only;
``bench/README.md``, "Choosing the defaults"): HDBSCAN's excess-of-mass selection, a larger
minimum size alone, a fixed centroid-cosine threshold, k-NN connectivity merging and the
silhouette on the original embeddings each suited one data set and broke another. Cheap: one
sample-by-sample distance matrix (at most ``SAMPLE`` rows) and a sparse product per level.
Deterministic: the sample is the smallest key hashes, and ties keep fewer themes.

Steady across runs: the silhouette of neighbouring levels is often nearly flat, or has two
near-equal peaks (on 864 BANKING77 texts of 16 intents, 18 themes scored 0.814 and 9 scored
0.813; with 10% more texts, 0.785 and 0.810), so the best level alone can jump from one peak to
the other when a few documents arrive, and every theme would change. Given the documents'
previous themes, a run keeps, among the levels within ``STEADY`` of the best silhouette, the one
that agrees best with them (adjusted Rand index on the sample). ``STEADY`` was read off that
curve, which comes from BANKING77 test texts (the area tests'); it changes only re-runs, so
no reported benchmark figure depends on it (``bench/themes.py`` has no previous run).
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from sklearn.metrics import adjusted_rand_score

from ideas.themes.vectors import cluster_centroids

SAMPLE = 3000  # documents the silhouette is measured on
DUPLICATE = 0.9  # centroid cosine at which two themes are one (``merge_duplicates``)
STEADY = 0.03  # silhouette a level may lose to agree with the previous run's themes
# ``floor``: leaves whose centroids (original embeddings) are less alike never share a theme.
# Off by default: Bitext's wordings of one topic are less alike (below 0.5) than neighbouring
# BANKING77 intents, so any floor that keeps six small intents apart also keeps Bitext split.


def merge_leaves(
    z: np.ndarray,
    labels: np.ndarray,
    k: int,
    hashes: np.ndarray,
    cosines: np.ndarray | None = None,
    floor: float | None = None,
    previous: np.ndarray | None = None,
) -> np.ndarray:
    """A group per leaf cluster (0..m-1, some leaves sharing a group), at the level of the
    leaves' centroid hierarchy with the best silhouette. ``z`` the reduced rows, ``labels``
    their leaf clusters 0..k-1 (-1: noise, left out), ``hashes`` the rows' key hashes,
    ``previous`` their themes in the previous run (-1: none; see the module docstring)."""
    if k <= 2:
        return np.arange(k)
    z = np.asarray(z, dtype=np.float64)
    centroids = np.stack([z[labels == c].mean(axis=0) for c in range(k)])
    tree = linkage(centroids, method="average")
    rows = _sample(labels, hashes)
    sample_labels = labels[rows]
    # Each sampled row's summed distance to each leaf's sampled rows.
    squared = np.einsum("ij,ij->i", z[rows], z[rows])
    gram = z[rows] @ z[rows].T
    dists = np.sqrt(np.maximum(squared[:, None] + squared[None, :] - 2.0 * gram, 0.0))
    onehot = np.zeros((len(rows), k))
    onehot[np.arange(len(rows)), sample_labels] = 1.0
    leaf_sums = dists @ onehot  # (rows, leaves)
    leaf_sizes = onehot.sum(axis=0)
    levels: list[tuple[float, np.ndarray]] = []  # finest first
    for m in range(k, 1, -1):
        groups = fcluster(tree, m, criterion="maxclust") - 1
        if floor is not None and cosines is not None and _loosest(groups, cosines) < floor:
            break  # levels nest: every coarser level holds this pair too
        levels.append((_silhouette(leaf_sums, leaf_sizes, sample_labels, groups), groups))
    if not levels:
        return np.arange(k)
    best = max(score for score, _ in levels)
    # Ties keep the fewer themes: the last of the equals, coarsest.
    chosen = [g for score, g in levels if score >= best - 1e-9][-1]
    before = previous[rows] if previous is not None else np.zeros(0)
    if (before >= 0).sum() >= 2:
        steady = [(score, g) for score, g in levels if score >= best - STEADY]
        known = before >= 0
        agreement = [adjusted_rand_score(before[known], g[sample_labels[known]]) for _, g in steady]
        top = max(agreement)
        chosen = [g for (_, g), a in zip(steady, agreement, strict=True) if a >= top - 1e-9][-1]
    return _renumber(chosen)


def _loosest(groups: np.ndarray, cosines: np.ndarray) -> float:
    """The smallest centroid cosine between two leaves that share a group."""
    same = groups[:, None] == groups[None, :]
    return float(cosines[same].min())


def _sample(labels: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    """Up to ``SAMPLE`` clustered rows, the smallest key hashes, ascending."""
    rows = np.flatnonzero(labels >= 0)
    if len(rows) > SAMPLE:
        rows = np.sort(rows[np.lexsort((rows, hashes[rows]))[:SAMPLE]])
    return rows


def _silhouette(
    leaf_sums: np.ndarray, leaf_sizes: np.ndarray, leaf_of_row: np.ndarray, groups: np.ndarray
) -> float:
    """Mean silhouette of the sample when leaves are grouped by ``groups`` (``leaf_sums``: each
    row's summed distance to each leaf's rows)."""
    m = int(groups.max()) + 1
    ones = np.ones(len(groups))
    to_group = csr_matrix((ones, (np.arange(len(groups)), groups)), shape=(len(groups), m))
    sums = np.asarray((to_group.T @ leaf_sums.T).T)  # (rows, groups): summed distance to each
    sizes = np.asarray(to_group.T @ leaf_sizes).ravel()
    own = groups[leaf_of_row]
    rows = np.arange(len(leaf_of_row))
    own_size = sizes[own] - 1.0  # without the row itself (at distance 0)
    a = sums[rows, own] / np.maximum(own_size, 1.0)
    mean_other = sums / np.maximum(sizes, 1.0)
    mean_other[rows, own] = np.inf
    b = mean_other.min(axis=1)
    s = np.where(own_size > 0, (b - a) / np.maximum(np.maximum(a, b), 1e-12), 0.0)
    return float(s.mean())


def _renumber(groups: np.ndarray) -> np.ndarray:
    """Groups numbered by their first leaf, so the mapping does not depend on fcluster's ids."""
    _, first = np.unique(groups, return_index=True)
    order = np.argsort(first)
    mapping = np.empty(len(order), dtype=np.int64)
    mapping[groups[first[order]]] = np.arange(len(order))
    renumbered: np.ndarray = mapping[groups]
    return renumbered


def merge_duplicates(
    x: np.ndarray, labels: np.ndarray, k: int, led_by_ideas: np.ndarray
) -> np.ndarray:
    """Themes whose centroids (original embeddings) are at least ``DUPLICATE`` alike become one,
    the closest pair first, when both are led by the same source (an idea-only theme never
    merges into customer evidence). Chinese and Japanese members, placed among English anchors,
    can form their own tight theme beside the English one about the same problem; no pair on the
    English benchmarks comes this close. ``x`` L2-normalised rows, ``labels`` 0..k-1 or -1."""
    labels = labels.copy()
    lead = np.asarray(led_by_ideas, dtype=bool).copy()
    while k > 1:
        centroids = cluster_centroids(x, labels, k)
        sims = centroids @ centroids.T
        sims[lead[:, None] != lead[None, :]] = -1.0
        np.fill_diagonal(sims, -1.0)
        a, b = np.unravel_index(int(np.argmax(sims)), sims.shape)
        if sims[a, b] < DUPLICATE:
            break
        keep, gone = min(a, b), max(a, b)
        labels[labels == gone] = keep
        labels[labels > gone] -= 1
        lead = np.delete(lead, gone)
        k -= 1
    return labels
