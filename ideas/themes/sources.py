"""Ideas join customer evidence only when they are about the same problem.

Clustering ideas and gap evidence together puts a staff idea beside contacts that share its
words ("transfer of shifts" beside "how long is my transfer"). So after the joint clustering,
membership across sources is held to a stricter rule than membership within one:

1. In a theme with both sources, the members of the smaller source stay only when their cosine
   to the larger source's own centroid is at least ``cross_threshold`` (an idea in a theme of
   contacts must be close to the contacts, not to the mixture).
   A theme led by ideas that barely resemble each other is taken apart (``_take_apart_loose``).
2. Every idea left without a theme (HDBSCAN noise, or moved out by 1) joins the evidence-led
   theme whose evidence centroid is nearest when that cosine is at least ``cross_threshold``.
3. The ideas still left are clustered among themselves (average linkage on cosine, cut at
   ``IDEA_LINK``): groups of at least ``MIN_IDEA_THEME`` become idea-only themes (the workplace:
   rotas, car park, headsets), the rest stay unthemed. Evidence moved out by 1 joins the
   nearest evidence-led theme by the usual ``JOIN_THRESHOLD`` or stays unthemed.

``cross_threshold`` was chosen with ``bench/cross_source.py`` on the tuning ideas against
BANKING77 train (``bench/README.md``, "Ideas and evidence"). Pure functions over rows in the
pipeline's canonical order; deterministic.
"""

from __future__ import annotations

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage

from ideas.themes.vectors import JOIN_THRESHOLD, cluster_centroids, nearest_centroid

CROSS_THRESHOLD = 0.5
IDEA_LINK = 0.55  # cosine at which idea-only groups are cut
MIN_IDEA_THEME = 3
IDEA_COHESION = 0.3  # mean pairwise cosine under which a theme of ideas is taken apart (1b)
MAX_IDEA_LINKAGE = 5000  # ideas clustered among themselves at once (memory: n^2 / 2 floats)


def separate(
    x: np.ndarray,
    labels: np.ndarray,
    k: int,
    is_idea: np.ndarray,
    cross_threshold: float = CROSS_THRESHOLD,
) -> np.ndarray:
    """Labels after the three steps above; new idea-only themes are numbered from ``k`` on
    (the caller renumbers). ``x`` L2-normalised rows, ``is_idea`` a boolean per row."""
    labels = labels.copy()
    if not k or not is_idea.any() or is_idea.all():
        return labels
    led_by_ideas = _detach_minorities(x, labels, k, is_idea, cross_threshold)
    _take_apart_loose(x, labels, k, is_idea, led_by_ideas)
    evidence_led = np.flatnonzero(~led_by_ideas)
    _attach_ideas(x, labels, k, is_idea, evidence_led, cross_threshold)
    _rejoin_evidence(x, labels, k, ~is_idea, evidence_led)
    return _idea_groups(x, labels, k, is_idea)


def _centroids(x: np.ndarray, labels: np.ndarray, rows: np.ndarray, k: int) -> np.ndarray:
    return cluster_centroids(x[rows], labels[rows], k)


def _detach_minorities(
    x: np.ndarray, labels: np.ndarray, k: int, is_idea: np.ndarray, threshold: float
) -> np.ndarray:
    """Step 1, in place; returns which themes are led by ideas (more ideas than evidence)."""
    themed = labels >= 0
    ideas = np.bincount(labels[themed & is_idea], minlength=k)
    evidence = np.bincount(labels[themed & ~is_idea], minlength=k)
    led_by_ideas = ideas > evidence
    idea_centroids = _centroids(x, labels, np.flatnonzero(themed & is_idea), k)
    evidence_centroids = _centroids(x, labels, np.flatnonzero(themed & ~is_idea), k)
    rows = np.flatnonzero(themed)
    theme = labels[rows]
    majority = np.where(led_by_ideas[theme, None], idea_centroids[theme], evidence_centroids[theme])
    minority = is_idea[rows] != led_by_ideas[theme]
    close = np.einsum("ij,ij->i", x[rows], majority) >= threshold
    labels[rows[minority & ~close]] = -1
    return np.asarray(led_by_ideas)


def _take_apart_loose(
    x: np.ndarray, labels: np.ndarray, k: int, is_idea: np.ndarray, led_by_ideas: np.ndarray
) -> None:
    """Step 1b, in place: a theme led by ideas that barely resemble each other (mean pairwise
    cosine below ``IDEA_COHESION``) is taken apart, its ideas left to steps 2 and 3. HDBSCAN,
    on the joint reduction, can group staff ideas by their shared voice ("customers call about
    ..., we could ..."): on the demo, one theme of 121 unrelated ideas at 0.21, where every
    BANKING77 train intent is at 0.41 or more."""
    for theme in np.flatnonzero(led_by_ideas):
        rows = np.flatnonzero((labels == theme) & is_idea)
        n = len(rows)
        if n < 2:
            continue
        total = x[rows].astype(np.float64).sum(axis=0)
        if (total @ total - n) / (n * (n - 1)) < IDEA_COHESION:
            labels[labels == theme] = -1


def _attach_ideas(
    x: np.ndarray,
    labels: np.ndarray,
    k: int,
    is_idea: np.ndarray,
    evidence_led: np.ndarray,
    threshold: float,
) -> None:
    """Step 2, in place."""
    loose = np.flatnonzero(is_idea & (labels < 0))
    if not len(loose) or not len(evidence_led):
        return
    evidence_rows = np.flatnonzero((labels >= 0) & ~is_idea)
    centroids = _centroids(x, labels, evidence_rows, k)[evidence_led]
    best, sims = nearest_centroid(x[loose], centroids)
    labels[loose] = np.where(sims >= threshold, evidence_led[best], -1)


def _rejoin_evidence(
    x: np.ndarray, labels: np.ndarray, k: int, is_evidence: np.ndarray, evidence_led: np.ndarray
) -> None:
    """Evidence moved out of an idea-led theme joins the nearest evidence-led one, in place."""
    loose = np.flatnonzero(is_evidence & (labels < 0))
    if not len(loose) or not len(evidence_led):
        return
    centroids = _centroids(x, labels, np.flatnonzero(labels >= 0), k)[evidence_led]
    best, sims = nearest_centroid(x[loose], centroids)
    labels[loose] = np.where(sims >= JOIN_THRESHOLD, evidence_led[best], -1)


def _idea_groups(x: np.ndarray, labels: np.ndarray, k: int, is_idea: np.ndarray) -> np.ndarray:
    """Step 3: the ideas still unthemed, grouped among themselves."""
    loose = np.flatnonzero(is_idea & (labels < 0))[:MAX_IDEA_LINKAGE]
    if len(loose) < MIN_IDEA_THEME:
        return labels
    tree = linkage(x[loose].astype(np.float64), method="average", metric="cosine")
    groups = fcluster(tree, 1.0 - IDEA_LINK, criterion="distance") - 1
    ids, first, sizes = np.unique(groups, return_index=True, return_counts=True)
    kept = ids[sizes >= MIN_IDEA_THEME]
    order = kept[np.argsort(first[np.isin(ids, kept)])]  # numbered by their first row
    for offset, group in enumerate(order):
        labels[loose[groups == group]] = k + offset
    return labels
