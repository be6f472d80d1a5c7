"""Vector helpers of the theme pipeline over L2-normalised float32 embeddings, done in blocks so
a million documents stay inside the memory budget: exact cosine nearest neighbours, cluster
centroids, the nearest centroid, and the rule a new document joins a theme by."""

from __future__ import annotations

import numpy as np

# A document joins a theme when its cosine similarity to the theme's centroid is at least this
# (fit: HDBSCAN's outliers and the documents outside the fit sample; between runs: new ideas and
# gap snippets). Tuned on BANKING77 and Bitext with bench/themes.py.
JOIN_THRESHOLD = 0.5
BLOCK = 4096  # rows per block in the blocked matrix products


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return unit


def cosine_knn(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine nearest neighbours of every row (itself first), as UMAP's precomputed_knn
    wants them: indices and cosine distances, nearest first. Ties break by row index."""
    n = len(x)
    indices = np.empty((n, k), dtype=np.int32)
    distances = np.empty((n, k), dtype=np.float32)
    block = max(1, min(2048, 20_000_000 // max(n, 1)))
    for start in range(0, n, block):
        sims = x[start : start + block] @ x.T
        rows = np.arange(len(sims))
        sims[rows, rows + start] = 2.0  # itself first, whatever the rounding
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        part_sims = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -part_sims), axis=1)
        indices[start : start + block] = np.take_along_axis(part, order, axis=1)
        best = np.take_along_axis(part_sims, order, axis=1)
        best[:, 0] = 1.0
        distances[start : start + block] = np.clip(1.0 - best, 0.0, 2.0)
    return indices, distances


def cluster_centroids(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """L2-normalised mean of each cluster's rows (labels 0..k-1; -1 ignored), blockwise."""
    from scipy.sparse import csr_matrix

    sums = np.zeros((k, x.shape[1]), dtype=np.float64)
    step = BLOCK * 16
    for start in range(0, len(x), step):
        part = labels[start : start + step]
        keep = np.flatnonzero(part >= 0)
        if len(keep):
            onehot = csr_matrix(
                (np.ones(len(keep), dtype=np.float32), (part[keep], keep)), shape=(k, len(part))
            )
            sums += onehot @ x[start : start + step]
    return normalise(sums.astype(np.float32))


def nearest_centroid(x: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest centroid of every row and the cosine to it, blockwise."""
    best = np.empty(len(x), dtype=np.int64)
    sims = np.empty(len(x), dtype=np.float32)
    for start in range(0, len(x), BLOCK * 4):
        s = x[start : start + BLOCK * 4] @ centroids.T
        best[start : start + BLOCK * 4] = s.argmax(axis=1)
        sims[start : start + BLOCK * 4] = s.max(axis=1)
    return best, sims


def nearest_theme(
    centroids: np.ndarray, vector: np.ndarray, threshold: float | None = None
) -> tuple[int, float]:
    """The theme a new document joins between full runs: the index of the nearest centroid by
    cosine and the similarity, or ``(-1, similarity)`` when it is below ``threshold``
    (``JOIN_THRESHOLD`` by default, the rule the full run uses for outliers). ``(-1, -1.0)``
    when there are no themes."""
    limit = JOIN_THRESHOLD if threshold is None else threshold
    centroids = np.asarray(centroids, dtype=np.float32).reshape(-1, len(np.ravel(vector)))
    if len(centroids) == 0:
        return -1, -1.0
    sims = centroids @ normalise(np.ravel(vector))
    best = int(np.argmax(sims))  # first of equals: the lowest index
    similarity = float(sims[best])
    return (best, similarity) if similarity >= limit else (-1, similarity)
