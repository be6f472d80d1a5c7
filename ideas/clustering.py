"""The theme pipeline: precomputed embeddings in, deterministic themes with c-TF-IDF keywords,
readable labels and representative examples out. No database access (``ideas.themes`` applies a
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
4. HDBSCAN on the reduced vectors (``leaf`` selection: BANKING77's intents are fine-grained and
   the excess-of-mass selection merges neighbouring intents).
5. Outliers and the rest: every document HDBSCAN did not place (noise, and documents outside
   the fit sample) joins the cluster whose centroid (mean of the members' original embeddings)
   is nearest by cosine when that similarity is at least ``JOIN_THRESHOLD``; otherwise it stays
   unthemed. This is the same rule ``nearest_theme`` applies to a new document between runs.
   Done in blocks, so a million documents stay well inside the memory budget.
6. Labels: class-based TF-IDF over each cluster's texts (redaction tokens such as ``[CARD]``,
   speaker prefixes such as ``Customer:``, English stop words and numbers ignored; unigrams and
   bigrams), a short label from the top terms, and the members nearest the centroid as
   representatives, with at least one from each source present (ideas and gap snippets).
"""

from __future__ import annotations

import hashlib
import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

# A document joins a theme when its cosine similarity to the theme's centroid is at least this
# (fit: HDBSCAN's outliers and the documents outside the fit sample; between runs: new ideas and
# gap snippets). Tuned on BANKING77 and Bitext with bench/themes.py.
JOIN_THRESHOLD = 0.5

MAX_KEYWORDS = 10
MAX_REPRESENTATIVES = 5
BLOCK = 4096  # rows per block in the blocked matrix products

Progress = Callable[[float], None]


@dataclass(frozen=True)
class ClusterInfo:
    members: np.ndarray  # int positions into the caller's input arrays, ascending
    centroid: np.ndarray  # float32 (d,), L2-normalised mean of the members' embeddings
    keywords: list[str]  # c-TF-IDF top terms (unigrams and bigrams), best first
    label: str  # short readable label built from the keywords
    representatives: list[int]  # positions of the most central members, best first


@dataclass(frozen=True)
class ClusterResult:
    labels: np.ndarray  # int (n,), cluster index per input position, -1 = unthemed
    clusters: list[ClusterInfo]  # by cluster index: size descending, then smallest key
    unthemed_share: float


# --------------------------------------------------------------------------------------------
# Keywords and labels (class-based TF-IDF)

_REDACTION = re.compile(r"\[[A-Z][A-Z0-9_]*\]|<[A-Z][A-Z0-9_]*>|\{\{[^}]*\}\}")
_SPEAKER = re.compile(
    r"^\s*(?:customer|agent|caller|advisor|adviser|colleague|user|system|bot)\s*:",
    re.IGNORECASE | re.MULTILINE,
)
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*")

# scikit-learn's English list plus contraction fragments and filler that carries no theme.
_EXTRA_STOP = {
    "im", "ive", "id", "ill", "youre", "youve", "theyre", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "cant",
    "couldnt", "shouldnt", "lets", "thats", "theres", "whats", "hows", "wheres", "ok", "okay",
    "hi", "hello", "hey", "thanks", "thank", "thx", "pls", "plz", "please", "just", "like",
    "yes", "yeah", "sure", "really", "ll", "ve", "re", "s", "t", "d", "m", "want", "need",
    "know", "let", "does", "did", "got", "get", "able", "going", "way", "bit", "lot",
    "having", "saying", "said", "tell", "told", "use", "using", "used", "make", "trying",
    "try", "tried", "think", "maybe", "possible", "wanted", "wanna", "gonna", "today",
    "help", "needs", "happened", "happen",
}  # fmt: skip


# Words scikit-learn's list drops that name contact-centre problems ("top up", "bill", "call").
_KEEP = {"amount", "back", "bill", "call", "detail", "empty", "fire", "full", "interest", "move"}
_KEEP |= {"name", "system", "top"}


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - _KEEP) | _EXTRA_STOP


_STOP: frozenset[str] | None = None


def _terms(text: str) -> list[str]:
    """Unigrams and bigrams of one text, after dropping redaction tokens, speaker prefixes,
    stop words, numbers and one-letter tokens (bigrams join the words left, as scikit-learn's
    vectorisers do)."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    text = _SPEAKER.sub(" ", _REDACTION.sub(" ", text)).lower().replace("\u2019", "'")
    words = []
    for token in _TOKEN.findall(text):
        if token.endswith("'s"):
            token = token[:-2]
        token = token.replace("'", "")
        if len(token) > 1 and token not in _STOP:
            words.append(token)
    return words + [f"{a} {b}" for a, b in pairwise(words) if a != b]


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _label(keywords: list[str]) -> str:
    """Two top terms that share no word stem, the first a bigram when one ranks in the top
    three: ``["card", "arrived", "card arrived", "tracking"]`` gives
    ``"Card arrived / tracking"``."""
    if not keywords:
        return "Unlabelled theme"
    primary = next((k for k in keywords[:3] if " " in k), keywords[0])
    used = {_stem(w) for w in primary.split()}
    secondary = next(
        (k for k in keywords if not used & {_stem(w) for w in k.split()}),
        "",
    )
    label = primary if not secondary else f"{primary} / {secondary}"
    return label[:1].upper() + label[1:]


def keywords_and_label(texts_by_cluster: Sequence[Sequence[str]]) -> list[tuple[list[str], str]]:
    """c-TF-IDF keywords (best first, up to ten) and a short label for each cluster.

    BERTopic's weighting: a term's frequency in the cluster (L1-normalised) times
    ``log(1 + A / f)``, A the average number of terms per cluster and f the term's frequency
    over all clusters. A term must occur in two of the cluster's documents (in one when the
    cluster has a single document). Ties break alphabetically, so the output is deterministic.
    """
    counts: list[Counter[str]] = []
    doc_freq: list[Counter[str]] = []
    total: Counter[str] = Counter()
    for texts in texts_by_cluster:
        tf: Counter[str] = Counter()
        df: Counter[str] = Counter()
        for text in texts:
            terms = _terms(text)
            tf.update(terms)
            df.update(set(terms))
        counts.append(tf)
        doc_freq.append(df)
        total.update(tf)
    if not counts:
        return []
    average = sum(total.values()) / len(counts)
    out: list[tuple[list[str], str]] = []
    for tf, df, texts in zip(counts, doc_freq, texts_by_cluster, strict=True):
        size = sum(tf.values())
        min_df = min(2, len(texts))
        scored = [
            (-(count / size) * math.log(1.0 + average / total[term]), term)
            for term, count in tf.items()
            if df[term] >= min_df
        ]
        scored.sort()
        keywords = [term for _, term in scored[:MAX_KEYWORDS]]
        out.append((keywords, _label(keywords)))
    return out


# --------------------------------------------------------------------------------------------
# Vector helpers


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


def _knn(x: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
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


def _centroids(x: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
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
    return _normalise(sums.astype(np.float32))


def _nearest(x: np.ndarray, centroids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest centroid of every row and the cosine to it, blockwise."""
    best = np.empty(len(x), dtype=np.int64)
    sims = np.empty(len(x), dtype=np.float32)
    for start in range(0, len(x), BLOCK * 4):
        s = x[start : start + BLOCK * 4] @ centroids.T
        best[start : start + BLOCK * 4] = s.argmax(axis=1)
        sims[start : start + BLOCK * 4] = s.max(axis=1)
    return best, sims


def _key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big")


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
    sims = centroids @ _normalise(np.ravel(vector))
    best = int(np.argmax(sims))  # first of equals: the lowest index
    similarity = float(sims[best])
    return (best, similarity) if similarity >= limit else (-1, similarity)


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

    indices, distances = _knn(x, k)
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


def _source(key: str) -> str:
    return key.split(":", 1)[0] if ":" in key else ""


class ThemeClusterer:
    """UMAP + HDBSCAN themes over precomputed embeddings (see the module docstring).

    Parameters (defaults chosen with ``bench/themes.py`` and ``bench/cluster_scale.py``):
    ``n_neighbors`` and ``n_components`` for UMAP, ``min_cluster_size``, ``min_samples`` and
    ``cluster_selection_method`` for HDBSCAN, ``join_threshold`` for outliers and unsampled
    documents, ``fit_sample`` the most documents the reduction and HDBSCAN see, and
    ``label_docs`` the most texts per cluster that c-TF-IDF reads (chosen by key hash)."""

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

    def fit(
        self,
        keys: Sequence[str],
        texts: Sequence[str],
        embeddings: np.ndarray,
        progress: Progress | None = None,
    ) -> ClusterResult:
        report = progress or (lambda _fraction: None)
        n = len(keys)
        if len(texts) != n or len(embeddings) != n:
            raise ValueError("keys, texts and embeddings must have the same length")
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
            x[start : start + BLOCK * 16] = _normalise(x[start : start + BLOCK * 16])
        hashes = np.array([_key_hash(k) for k in skeys], dtype=np.uint64)

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
        fit_labels = _hdbscan(
            z, self.min_cluster_size, self.min_samples, self.cluster_selection_method
        )
        fit_labels, k = _canonical(fit_labels)
        report(0.7)

        # 5. Everything HDBSCAN did not place joins the nearest centroid when close enough.
        labels = np.full(n, -1, dtype=np.int64)
        labels[fit_rows] = fit_labels
        if k:
            centroids = _centroids(x[fit_rows], fit_labels, k)
            rest = np.flatnonzero(labels < 0)
            for start in range(0, len(rest), BLOCK * 64):
                rows = rest[start : start + BLOCK * 64]
                best, sims = _nearest(x[rows], centroids)
                labels[rows] = np.where(sims >= self.join_threshold, best, -1)
                report(0.7 + 0.2 * min(1.0, (start + len(rows)) / max(len(rest), 1)))
            labels, k = _canonical(labels)
        report(0.9)

        # 6. Final centroids, representatives, keywords and labels.
        clusters: list[ClusterInfo] = []
        if k:
            centroids = _centroids(x, labels, k)
            own = np.full(n, -np.inf, dtype=np.float32)
            for start in range(0, n, BLOCK * 16):
                part = labels[start : start + BLOCK * 16]
                keep = np.flatnonzero(part >= 0)
                rows = keep + start
                own[rows] = np.einsum("ij,ij->i", x[rows], centroids[part[keep]])
            members_by_cluster = _group(labels, k)
            label_texts = []
            for rows in members_by_cluster:
                chosen = rows[np.lexsort((rows, hashes[rows]))[: self.label_docs]]
                label_texts.append([texts[order[r]] for r in np.sort(chosen)])
            named = keywords_and_label(label_texts)
            for index, rows in enumerate(members_by_cluster):
                reps = _representatives(rows, own[rows], [skeys[r] for r in rows])
                clusters.append(
                    ClusterInfo(
                        members=np.sort(order[rows]),
                        centroid=centroids[index],
                        keywords=named[index][0],
                        label=named[index][1],
                        representatives=[int(order[r]) for r in reps],
                    )
                )
        out = np.full(n, -1, dtype=np.int64)
        out[order] = labels
        report(1.0)
        return ClusterResult(out, clusters, float(np.mean(labels < 0)))


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
    x = _normalise(np.asarray(embeddings)[order])
    labels = None
    if k is None and n >= 20:
        z = _reduce(x, min(15, n - 1), 5, None, random_state)
        found = _hdbscan(z, max(5, n // 20), 5, "eom")
        if found.max() >= 1:
            found, m = _canonical(found)
            centroids = _centroids(x, found, m)
            best, _ = _nearest(x, centroids)
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
