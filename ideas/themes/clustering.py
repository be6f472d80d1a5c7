"""The theme pipeline: precomputed embeddings in, deterministic themes with c-TF-IDF keywords,
names and representative examples out. No database access (``ideas.themes.runs`` applies a
result).

Pipeline (DESIGN.md: the BERTopic recipe, made deterministic and stable; the figures quoted are
from ``bench/themes.py`` and ``bench/cluster_scale.py``):

1. Canonical order: documents are sorted by their stable key (``"idea:12"``, ``"gap:345"``), so
   any input order gives the same arrays, and every seed is fixed. Results are mapped back to
   the caller's positions.
2. Fit sample: at most ``fit_sample`` documents go through steps 3-4, chosen by a hash of the
   key (so the choice does not depend on input order either). Below that size (every benchmark
   data set) all documents are fitted.
3. Reduction: exact cosine k-nearest neighbours by blocked matrix products (cheap below the
   sample cap, deterministic, and much faster than UMAP's own small-data path), then UMAP
   (``n_components`` dimensions, ``min_dist=0``) on that graph.
4. HDBSCAN on the reduced vectors, ``leaf`` selection with a minimum size of 1/400 of the
   fitted documents (at least ``min_cluster_size``): the finest level. Then the leaves are
   merged up an average-linkage hierarchy to the level with the best silhouette
   (``granularity.py``), so the number of themes follows the data with no number given.
5. Outliers and the rest: every document HDBSCAN did not place (noise, and documents outside
   the fit sample) joins the cluster whose centroid (mean of the members' original embeddings)
   is nearest by cosine when that similarity is at least ``JOIN_THRESHOLD``; otherwise it stays
   unthemed. This is the same rule ``vectors.nearest_theme`` applies to a new document between
   runs. Done in blocks, so a million documents stay well inside the memory budget. Then ideas
   stay beside gap evidence only when close to the evidence itself, ideas about the
   workplace form idea-only themes (``sources.py``), and near-duplicate themes led by the same
   source become one (``granularity.merge_duplicates``).
6. Labels (``keywords.py``): class-based TF-IDF keywords over each cluster's texts (redaction
   tokens such as ``[CARD]``, speaker prefixes such as ``Customer:``, stop words and numbers
   ignored; unigrams and bigrams), per language (English, Chinese, Japanese: each language's
   documents across all clusters are its corpus), a name that is a short phrase of the members'
   own words (``phrases.py``), and the members nearest the centroid as representatives, with at
   least one from each source present (ideas and gap snippets).
"""

from __future__ import annotations

import hashlib
import warnings
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from ideas.themes.granularity import merge_duplicates, merge_leaves
from ideas.themes.keywords import (
    LANGUAGES,
    Labels,
    label_language,
    language_labels,
    primary_label,
)
from ideas.themes.sources import CROSS_THRESHOLD, separate
from ideas.themes.vectors import (
    BLOCK,
    JOIN_THRESHOLD,
    cluster_centroids,
    cosine_knn,
    nearest_centroid,
    normalise,
)

MAX_REPRESENTATIVES = 5

Progress = Callable[[float], None]


@dataclass(frozen=True)
class ClusterInfo:
    members: np.ndarray  # int positions into the caller's input arrays, ascending
    centroid: np.ndarray  # float32 (d,), L2-normalised mean of the members' embeddings
    keywords: list[str]  # c-TF-IDF top terms (unigrams and bigrams), best first
    label: str  # a short phrase of the members' own words (``phrases.py``)
    representatives: list[int]  # positions of the most central members, best first
    # Per language with members: {"name", "keywords", "count"}; ``keywords`` and ``label``
    # above are those of the most common language.
    labels: Labels = field(default_factory=dict)


@dataclass(frozen=True)
class ClusterResult:
    labels: np.ndarray  # int (n,), cluster index per input position, -1 = unthemed
    clusters: list[ClusterInfo]  # by cluster index: size descending, then smallest key
    unthemed_share: float


# --------------------------------------------------------------------------------------------
# Reduction and clustering


def _reduce(
    x: np.ndarray, n_neighbors: int, n_components: int, n_epochs: int | None, random_state: int
) -> np.ndarray:
    """UMAP on the exact cosine k-NN graph; the original vectors when there are too few rows
    for a graph layout to mean anything."""
    n = len(x)
    k = min(n_neighbors, n - 1)
    if n <= n_components + 2 or k < 2:
        return x
    import umap

    indices, distances = cosine_knn(x, k)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reducer = umap.UMAP(
            n_neighbors=k,
            n_components=n_components,
            min_dist=0.0,
            metric="cosine",
            n_epochs=n_epochs,
            random_state=random_state,
            precomputed_knn=(indices, distances, None),
            low_memory=False,
            verbose=False,
        )
        reduced = reducer.fit_transform(x)
    return np.asarray(reduced, dtype=np.float64)


def _hdbscan(z: np.ndarray, min_cluster_size: int, min_samples: int, method: str) -> np.ndarray:
    import hdbscan

    n = len(z)
    if n < max(min_cluster_size, 2):
        return np.full(n, -1, dtype=np.int64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        labels = hdbscan.HDBSCAN(
            min_cluster_size=max(2, min_cluster_size),
            min_samples=max(1, min(min_samples, n - 1)),
            cluster_selection_method=method,
            core_dist_n_jobs=1,
        ).fit_predict(np.ascontiguousarray(z, dtype=np.float64))
    return np.asarray(labels, dtype=np.int64)


def _canonical(labels: np.ndarray) -> tuple[np.ndarray, int]:
    """Renumber clusters 0..k-1 by size descending, then by their first row (the rows are in
    canonical order, so this is the smallest key)."""
    valid = labels >= 0
    if not valid.any():
        return np.full(len(labels), -1, dtype=np.int64), 0
    ids, first, sizes = np.unique(labels[valid], return_index=True, return_counts=True)
    first_row = np.flatnonzero(valid)[first]
    order = np.lexsort((first_row, -sizes))
    mapping = np.full(int(ids.max()) + 1, -1, dtype=np.int64)
    mapping[ids[order]] = np.arange(len(ids))
    out = np.full(len(labels), -1, dtype=np.int64)
    out[valid] = mapping[labels[valid]]
    return out, len(ids)


def key_hash(key: str) -> int:
    """A document's place in the fit and label samples: stable, and independent of input order."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


def _led_by_ideas(labels: np.ndarray, k: int, is_idea: np.ndarray) -> np.ndarray:
    """Per cluster: whether it has more ideas than gap evidence."""
    themed = labels >= 0
    ideas = np.bincount(labels[themed & is_idea], minlength=k)
    return np.asarray(ideas > np.bincount(labels[themed & ~is_idea], minlength=k))


def _source(key: str) -> str:
    return key.split(":", 1)[0] if ":" in key else ""


class ThemeClusterer:
    """UMAP + HDBSCAN themes over precomputed embeddings (see the module docstring).

    Parameters (defaults chosen with ``bench/themes.py`` and ``bench/cluster_scale.py``):
    ``n_neighbors`` and ``n_components`` for UMAP, ``min_cluster_size``, ``min_samples`` and
    ``cluster_selection_method`` for HDBSCAN, ``join_threshold`` for outliers and unsampled
    documents, ``fit_sample`` the most documents the reduction and HDBSCAN see, and
    ``label_docs`` the most texts per cluster and language that c-TF-IDF reads (chosen by key
    hash)."""

    def __init__(
        self,
        *,
        random_state: int = 42,
        n_neighbors: int = 15,
        n_components: int = 10,
        n_epochs: int | None = None,
        min_cluster_size: int = 15,
        min_samples: int = 5,
        cluster_selection_method: str = "leaf",
        join_threshold: float = JOIN_THRESHOLD,
        fit_sample: int = 10_000,
        label_docs: int = 300,
        size_divisor: int = 400,
        merge: bool = True,
        merge_floor: float | None = None,
        cross_source_threshold: float | None = CROSS_THRESHOLD,
    ) -> None:
        self.random_state = random_state
        self.n_neighbors = n_neighbors
        self.n_components = n_components
        self.n_epochs = n_epochs
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method
        self.join_threshold = join_threshold
        self.fit_sample = fit_sample
        self.label_docs = label_docs
        self.size_divisor = size_divisor
        self.merge = merge
        self.merge_floor = merge_floor
        self.cross_source_threshold = cross_source_threshold

    def fit(
        self,
        keys: Sequence[str],
        texts: Sequence[str],
        embeddings: np.ndarray,
        progress: Progress | None = None,
        languages: Sequence[str] | None = None,
        previous: Mapping[str, int] | None = None,
    ) -> ClusterResult:
        """``languages``: each text's (``"en"``, ``"zh"``, ``"ja"``; default all English);
        ``previous``: the theme id each key had after the last run, so a re-run keeps that
        granularity when the data allows (``granularity``, "Steady across runs")."""
        report = progress or (lambda _fraction: None)
        n = len(keys)
        if len(texts) != n or len(embeddings) != n:
            raise ValueError("keys, texts and embeddings must have the same length")
        if languages is not None and len(languages) != n:
            raise ValueError("languages must have one entry per text")
        if len(set(keys)) != n:
            raise ValueError("keys must be unique")
        report(0.0)
        if n == 0:
            report(1.0)
            return ClusterResult(np.zeros(0, dtype=np.int64), [], 0.0)

        # 1. Canonical order by key.
        order = np.array(sorted(range(n), key=keys.__getitem__), dtype=np.int64)
        skeys = [keys[i] for i in order]
        x = np.asarray(embeddings)[order].astype(np.float32, copy=False)
        for start in range(0, n, BLOCK * 16):
            x[start : start + BLOCK * 16] = normalise(x[start : start + BLOCK * 16])
        hashes = np.array([key_hash(k) for k in skeys], dtype=np.uint64)

        # 2. Fit sample: the smallest key hashes, kept in canonical order.
        if n > self.fit_sample:
            by_hash = np.lexsort((np.arange(n), hashes))
            fit_rows = np.sort(by_hash[: self.fit_sample])
        else:
            fit_rows = np.arange(n)
        report(0.05)

        # 3-4. Reduce and cluster the sample.
        z = _reduce(
            x[fit_rows], self.n_neighbors, self.n_components, self.n_epochs, self.random_state
        )
        report(0.6)
        min_size = max(self.min_cluster_size, round(len(fit_rows) / self.size_divisor))
        fit_labels = _hdbscan(z, min_size, self.min_samples, self.cluster_selection_method)
        fit_labels, k = _canonical(fit_labels)
        if self.merge and k:
            leaves = cluster_centroids(x[fit_rows], fit_labels, k)
            cosines = leaves @ leaves.T if self.merge_floor is not None else None
            before = None
            if previous:
                before = np.array([previous.get(skeys[i], -1) for i in fit_rows], dtype=np.int64)
            groups = merge_leaves(
                z, fit_labels, k, hashes[fit_rows], cosines, self.merge_floor, before
            )
            fit_labels, k = _canonical(np.where(fit_labels >= 0, groups[fit_labels], -1))
        report(0.7)

        # 5. Everything HDBSCAN did not place joins the nearest centroid when close enough;
        # then ideas stay beside evidence only when they are about the same problem.
        labels, k = self._place_rest(x, fit_rows, fit_labels, k, report)
        is_idea = np.array([_source(key) == "idea" for key in skeys], dtype=bool)
        if self.cross_source_threshold is not None and k:
            labels, k = _canonical(separate(x, labels, k, is_idea, self.cross_source_threshold))
        if self.merge and k:
            led = _led_by_ideas(labels, k, is_idea)
            labels, k = _canonical(merge_duplicates(x, labels, k, led))
        report(0.9)

        # 6. Final centroids, representatives, keywords and labels.
        langs = np.array([label_language(languages[i] if languages else "en") for i in order])
        clusters = self._describe(x, labels, k, order, skeys, (hashes, langs), texts) if k else []
        out = np.full(n, -1, dtype=np.int64)
        out[order] = labels
        report(1.0)
        return ClusterResult(out, clusters, float(np.mean(labels < 0)))

    def _place_rest(
        self,
        x: np.ndarray,
        fit_rows: np.ndarray,
        fit_labels: np.ndarray,
        k: int,
        report: Progress,
    ) -> tuple[np.ndarray, int]:
        """Step 5: the sample's labels for every row, each row HDBSCAN did not place joining the
        nearest centroid when it is at least ``join_threshold`` close; renumbered canonically."""
        labels = np.full(len(x), -1, dtype=np.int64)
        labels[fit_rows] = fit_labels
        if not k:
            return labels, k
        centroids = cluster_centroids(x[fit_rows], fit_labels, k)
        rest = np.flatnonzero(labels < 0)
        for start in range(0, len(rest), BLOCK * 64):
            rows = rest[start : start + BLOCK * 64]
            best, sims = nearest_centroid(x[rows], centroids)
            labels[rows] = np.where(sims >= self.join_threshold, best, -1)
            report(0.7 + 0.2 * min(1.0, (start + len(rows)) / max(len(rest), 1)))
        return _canonical(labels)

    def _describe(
        self,
        x: np.ndarray,
        labels: np.ndarray,
        k: int,
        order: np.ndarray,
        skeys: list[str],
        hashes_langs: tuple[np.ndarray, np.ndarray],
        texts: Sequence[str],
    ) -> list[ClusterInfo]:
        """Step 6: each cluster's members (in the caller's positions), centroid, keywords and
        labels per language, and representatives. Rows are in canonical order; ``order`` maps
        them back."""
        n, (hashes, langs) = len(x), hashes_langs
        centroids = cluster_centroids(x, labels, k)
        own = np.full(n, -np.inf, dtype=np.float32)
        for start in range(0, n, BLOCK * 16):
            part = labels[start : start + BLOCK * 16]
            keep = np.flatnonzero(part >= 0)
            rows = keep + start
            own[rows] = np.einsum("ij,ij->i", x[rows], centroids[part[keep]])
        members_by_cluster = _group(labels, k)
        samples, counts = [], []
        for rows in members_by_cluster:
            chosen = _label_sample(rows, langs, hashes, self.label_docs)
            samples.append([(str(langs[r]), texts[order[r]]) for part in chosen for r in part])
            counts.append(Counter(langs[rows].tolist()))
        named = language_labels(samples, counts)
        clusters: list[ClusterInfo] = []
        for index, rows in enumerate(members_by_cluster):
            reps = _representatives(rows, own[rows], [skeys[r] for r in rows])
            keywords, label = primary_label(named[index])
            clusters.append(
                ClusterInfo(
                    members=np.sort(order[rows]),
                    centroid=centroids[index],
                    keywords=keywords,
                    label=label,
                    representatives=[int(order[r]) for r in reps],
                    labels=named[index],
                )
            )
        return clusters


def _label_sample(
    rows: np.ndarray, langs: np.ndarray, hashes: np.ndarray, per_language: int
) -> list[np.ndarray]:
    """Up to ``per_language`` of ``rows`` in each language of ``LANGUAGES`` (the smallest key
    hashes, so the choice does not depend on input order), ascending."""
    out = []
    for language in LANGUAGES:
        mine = rows[langs[rows] == language]
        out.append(np.sort(mine[np.lexsort((mine, hashes[mine]))[:per_language]]))
    return out


def _group(labels: np.ndarray, k: int) -> list[np.ndarray]:
    """Rows of each cluster 0..k-1, ascending."""
    rows = np.flatnonzero(labels >= 0)
    rows = rows[np.argsort(labels[rows], kind="stable")]
    bounds = np.searchsorted(labels[rows], np.arange(k + 1))
    return [rows[bounds[i] : bounds[i + 1]] for i in range(k)]


def _representatives(rows: np.ndarray, sims: np.ndarray, keys: list[str]) -> list[int]:
    """Up to five rows nearest the centroid, best first, with the most central member of each
    source (``idea``, ``gap``: the key's prefix) among them when there is room."""
    ranked = [rows[i] for i in np.lexsort((rows, -sims))]
    source_of = dict(zip(rows.tolist(), [_source(k) for k in keys], strict=True))
    chosen: list[int] = []
    seen: set[str] = set()
    for row in ranked:
        if source_of[row] not in seen:
            seen.add(source_of[row])
            chosen.append(row)
    chosen = chosen[:MAX_REPRESENTATIVES]
    for row in ranked:
        if len(chosen) >= MAX_REPRESENTATIVES:
            break
        if row not in chosen:
            chosen.append(row)
    rank = {row: i for i, row in enumerate(ranked)}
    return sorted(chosen, key=rank.__getitem__)


def split(
    embeddings: np.ndarray, texts: Sequence[str], k: int | None = None, random_state: int = 42
) -> np.ndarray:
    """Re-cluster one theme's members into groups 0..m-1 (m >= 2 when there are two or more
    members), every member assigned. ``k`` fixes m (KMeans); ``None`` lets HDBSCAN on the
    members' UMAP reduction choose, falling back to two KMeans groups. Deterministic, and
    independent of the members' order except among identical texts. Groups are numbered by size
    descending, then by their first member in text order."""
    n = len(embeddings)
    if len(texts) != n:
        raise ValueError("embeddings and texts must have the same length")
    if n < 2:
        return np.zeros(n, dtype=np.int64)
    order = np.array(sorted(range(n), key=lambda i: (texts[i], i)), dtype=np.int64)
    x = normalise(np.asarray(embeddings)[order])
    labels = None
    if k is None and n >= 20:
        z = _reduce(x, min(15, n - 1), 5, None, random_state)
        found = _hdbscan(z, max(5, n // 20), 5, "eom")
        if found.max() >= 1:
            found, m = _canonical(found)
            centroids = cluster_centroids(x, found, m)
            best, _ = nearest_centroid(x, centroids)
            labels = np.where(found >= 0, found, best)
    if labels is None:
        from sklearn.cluster import KMeans

        groups = min(max(2, k or 2), n)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            labels = KMeans(groups, n_init=10, random_state=random_state).fit_predict(x)
    labels, _ = _canonical(np.asarray(labels, dtype=np.int64))
    out = np.empty(n, dtype=np.int64)
    out[order] = labels
    return out
