"""Benchmark: theme quality of VoiceLoop's clustering pipeline against BERTopic's default, on
labelled public data.

Run: ``.venv/bin/python bench/themes.py [--data CSV --text-col TEXT --label-col LABEL]``
(defaults: BANKING77 test, ``text`` / ``category``). Needs the ``bench`` extra
(``pip install -e '.[dev,bench]'``) for BERTopic; nothing is downloaded.

What is measured
- The texts are embedded once with the real model (cached under ``--cache-dir`` by a hash of
  the texts, so reruns skip it). Both pipelines get the same embeddings. Labels are used only
  for scoring; neither clusterer sees them.
- VoiceLoop: ``ideas.themes.clustering.ThemeClusterer().fit`` with the CSV row number as each
  document's key. UMAP's one-off numba compilation is timed first and reported apart (a
  worker pays it once per process); ``seconds`` is the wall time of ``fit`` after it.
- Order invariance: the same documents fitted again reversed and shuffled; the themes
  (labels per document, keywords, label texts, representatives, centroids) must be identical.
- BERTopic 0.17 with its defaults (UMAP 15 neighbours / 5 dimensions / unseeded, HDBSCAN
  min_cluster_size 10, c-TF-IDF), given the same embeddings: ``fit_transform``'s wall time.
- Scores over all texts: NMI and ARI against the labels, with unthemed (HDBSCAN noise, topic
  -1) counted as one group; the unthemed share; the number of themes.
- Names (``bench/naming_metrics.py``, stemming and stop words stated there): ``name_hit``, the
  share of themes whose name holds a content word of its most common label, and
  ``name_phrase``, the share whose name is 2-6 words, neither end a stop word, occurring as one
  run of words in a member's text; the same for BERTopic's c-TF-IDF labels (top three words).
- Areas (``ideas.themes.areas.group`` over the themes): ``n_areas``, and with ``--area-col``
  (Bitext's ``category``) ``area_nmi``, each text's area against that column.
- Two reference partitions of the same embeddings that are given what no theme pipeline has,
  to show how far the embedding model itself separates the labels: k-means told the true
  number of labels (10 restarts, fixed seed), and every text assigned to the nearest true-label
  centroid (the labels themselves: the best any centroid-based theme could do).

The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import naming_metrics
import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from ideas.themes import areas
from ideas.themes.clustering import ClusterResult, ThemeClusterer

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT_DATA = SHARED / "banking77" / "test.csv"


def read(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    if not path.is_file():
        sys.exit(f"{path} not found (shared/ must sit beside the repository clone)")
    texts, labels = [], []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            texts.append(row[text_col].strip())
            labels.append(row[label_col])
    return texts, labels


def embed(texts: list[str], cache_dir: Path) -> np.ndarray:
    from foundation.embeddings import MODEL_NAME, get_embedder
    from foundation.settings import get_settings

    digest = hashlib.sha256("\n".join([MODEL_NAME, *texts]).encode()).hexdigest()[:16]
    cache = cache_dir / f"voiceloop-bench-embeddings-{digest}.npy"
    if cache.is_file():
        print(f"embeddings: cached {cache}")
        return np.load(cache)
    started = time.perf_counter()
    vectors = get_embedder(get_settings()).encode(texts)
    print(f"embeddings: {len(texts)} texts in {time.perf_counter() - started:.1f} s")
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.save(cache, vectors)
    return vectors


def umap_warmup() -> float:
    """UMAP's numba functions compile on first use in a process (its on-disk numba cache covers
    few of them): time that apart, with a fit on 300 random vectors through the same path."""
    rng = np.random.default_rng(0)
    sample = rng.normal(size=(300, 384)).astype(np.float32)
    started = time.perf_counter()
    ThemeClusterer().fit([str(i) for i in range(300)], ["warm up"] * 300, sample)
    return time.perf_counter() - started


def scores(truth: list[str], labels: np.ndarray) -> tuple[float, float]:
    return (
        float(normalized_mutual_info_score(truth, labels)),
        float(adjusted_rand_score(truth, labels)),
    )


def signature(result: ClusterResult) -> list[object]:
    """Everything a theme shows, in a comparable form (positions are the caller's)."""
    return [
        result.labels.tolist(),
        [
            (c.members.tolist(), c.keywords, c.label, c.representatives, c.centroid.tobytes())
            for c in result.clusters
        ],
    ]


def remap(result: ClusterResult, perm: np.ndarray) -> ClusterResult:
    """A result fitted on ``data[perm]`` expressed in original positions."""
    labels = np.empty_like(result.labels)
    labels[perm] = result.labels
    clusters = [
        type(c)(
            members=np.sort(perm[c.members]),
            centroid=c.centroid,
            keywords=c.keywords,
            label=c.label,
            representatives=[int(perm[r]) for r in c.representatives],
        )
        for c in result.clusters
    ]
    return ClusterResult(labels, clusters, result.unthemed_share)


def references(truth: list[str], vectors: np.ndarray) -> dict[str, float]:
    """NMI and ARI of the two reference partitions (module docstring); they use the labels."""
    from sklearn.cluster import KMeans

    x = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    names = sorted(set(truth))
    kmeans = KMeans(len(names), n_init=10, random_state=0).fit_predict(x)
    index = np.array([names.index(t) for t in truth])
    centroids = np.stack([x[index == i].mean(axis=0) for i in range(len(names))])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)  # cosine, as themes join
    oracle = np.argmax(x @ centroids.T, axis=1)
    out: dict[str, float] = {}
    for name, labels in (("kmeans_true_k", kmeans), ("oracle_centroid", oracle)):
        out[f"{name}_nmi"], out[f"{name}_ari"] = (round(v, 4) for v in scores(truth, labels))
    return out


def run_bertopic(texts: list[str], vectors: np.ndarray) -> tuple[np.ndarray, float, dict]:
    """BERTopic's topics, wall time, and its c-TF-IDF label per topic (top three words)."""
    import warnings

    from bertopic import BERTopic

    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = BERTopic()
        topics, _ = model.fit_transform(texts, embeddings=vectors)
    seconds = time.perf_counter() - started
    names = model.generate_topic_labels(nr_words=3, topic_prefix=False, separator=" ")
    ids = sorted(set(topics))
    return np.asarray(topics), seconds, dict(zip(ids, names, strict=True))


def naming(
    names: list[str], members: list[np.ndarray], truth: list[str], texts: list[str]
) -> tuple[float, float]:
    """``name_hit`` and ``name_phrase`` (bench/naming_metrics.py) of themes given as names and
    member positions."""
    labels = [[truth[i] for i in m] for m in members]
    member_texts = [[texts[i] for i in m] for m in members]
    return (
        round(naming_metrics.name_hit(names, labels), 4),
        round(naming_metrics.name_phrase(names, member_texts), 4),
    )


def area_scores(result: ClusterResult, areas_truth: list[str] | None) -> tuple[int, float | None]:
    """The product's areas over the themes (``ideas.themes.areas.group``): how many, and the
    NMI of each text's area (unthemed as one group) against ``--area-col``."""
    if not result.clusters:
        return 0, None
    centroids = np.stack([c.centroid for c in result.clusters])
    sizes = np.array([len(c.members) for c in result.clusters])
    per_theme = areas.group(centroids, sizes)
    n_areas = int(per_theme.max()) + 1 if per_theme.max() >= 0 else 0
    doc_area = np.where(result.labels >= 0, per_theme[np.maximum(result.labels, 0)], -1)
    if areas_truth is None:
        return n_areas, None
    return n_areas, round(float(normalized_mutual_info_score(areas_truth, doc_area)), 4)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="category")
    parser.add_argument("--area-col", help="a coarser label to score areas against")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--skip-bertopic", action="store_true")
    parser.add_argument("--min-cluster-size", type=int, help="ThemeClusterer's, default its own")
    parser.add_argument("--min-samples", type=int, help="ThemeClusterer's, default its own")
    args = parser.parse_args()

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    texts, truth = read(args.data, args.text_col, args.label_col)
    area_truth = read(args.data, args.text_col, args.area_col)[1] if args.area_col else None
    print(f"data: {args.data} ({len(texts)} texts, {len(set(truth))} labels)")
    vectors = embed(texts, args.cache_dir)
    keys = [str(i) for i in range(len(texts))]

    warmup = umap_warmup()
    print(f"UMAP import + numba warm-up (once per process, not in the timings): {warmup:.1f} s")

    tuned = {"min_cluster_size": args.min_cluster_size, "min_samples": args.min_samples}
    clusterer = ThemeClusterer(**{k: v for k, v in tuned.items() if v is not None})
    print(f"parameters: {vars(clusterer)}")
    started = time.perf_counter()
    result = clusterer.fit(keys, texts, vectors)
    seconds = time.perf_counter() - started
    nmi, ari = scores(truth, result.labels)

    rng = np.random.default_rng(2026)
    reference = signature(result)
    same = []
    for name, perm in (
        ("reversed", np.arange(len(texts))[::-1].copy()),
        ("shuffled", rng.permutation(len(texts))),
    ):
        started = time.perf_counter()
        again = clusterer.fit(
            [keys[i] for i in perm], [texts[i] for i in perm], vectors[perm].copy()
        )
        repeat = time.perf_counter() - started
        same.append(signature(remap(again, perm)) == reference)
        print(f"order {name}: {'identical' if same[-1] else 'DIFFERENT'} ({repeat:.1f} s)")
    order_invariant = all(same)

    print(
        f"\nVoiceLoop: NMI {nmi:.3f}  ARI {ari:.3f}  unthemed {result.unthemed_share:.1%}  "
        f"themes {len(result.clusters)}  {seconds:.1f} s  identical across 3 orders: "
        f"{order_invariant}"
    )
    for cluster in result.clusters[:8]:
        keywords = ", ".join(cluster.keywords[:6])
        print(f"  {len(cluster.members):5d}  {cluster.label:40s}  {keywords}")
        print(f"         e.g. {texts[cluster.representatives[0]]!r}")

    name_hit, name_phrase = naming(
        [c.label for c in result.clusters], [c.members for c in result.clusters], truth, texts
    )
    n_areas, area_nmi = area_scores(result, area_truth)
    print(f"names: name_hit {name_hit:.3f}  name_phrase {name_phrase:.3f}")
    print(f"areas: {n_areas}" + (f"  area NMI {area_nmi:.3f}" if area_nmi is not None else ""))

    bt_nmi = bt_ari = bt_unthemed = bt_seconds = bt_hit = bt_phrase = None
    if not args.skip_bertopic:
        topics, bt_seconds, bt_names = run_bertopic(texts, vectors)
        bt_nmi, bt_ari = scores(truth, topics)
        bt_unthemed = float(np.mean(topics == -1))
        ids = sorted(t for t in bt_names if t >= 0)
        bt_hit, bt_phrase = naming(
            [bt_names[t] for t in ids], [np.flatnonzero(topics == t) for t in ids], truth, texts
        )
        print(f"BERTopic names: name_hit {bt_hit:.3f}  name_phrase {bt_phrase:.3f}")
        print(
            f"BERTopic default: NMI {bt_nmi:.3f}  ARI {bt_ari:.3f}  unthemed {bt_unthemed:.1%}  "
            f"themes {len(set(topics.tolist()) - {-1})}  {bt_seconds:.1f} s (unseeded UMAP: "
            "varies run to run)"
        )
    ref = references(truth, vectors)
    print(
        f"References (given the labels' count or the labels, unlike any pipeline): k-means with "
        f"the true k: NMI {ref['kmeans_true_k_nmi']:.3f}  ARI {ref['kmeans_true_k_ari']:.3f}; "
        f"nearest true-label centroid: NMI {ref['oracle_centroid_nmi']:.3f}  "
        f"ARI {ref['oracle_centroid_ari']:.3f}"
    )
    print(f"load at end {os.getloadavg()}")
    print(
        json.dumps(
            {
                "bench": "themes",
                "nmi": round(nmi, 4),
                "ari": round(ari, 4),
                "unthemed": round(result.unthemed_share, 4),
                "n_themes": len(result.clusters),
                "seconds": round(seconds, 2),
                "order_invariant": order_invariant,
                "name_hit": name_hit,
                "name_phrase": name_phrase,
                "n_areas": n_areas,
                "area_nmi": area_nmi,
                "bertopic_name_hit": bt_hit,
                "bertopic_name_phrase": bt_phrase,
                "bertopic_nmi": None if bt_nmi is None else round(bt_nmi, 4),
                "bertopic_ari": None if bt_ari is None else round(bt_ari, 4),
                "bertopic_unthemed": None if bt_unthemed is None else round(bt_unthemed, 4),
                "bertopic_seconds": None if bt_seconds is None else round(bt_seconds, 2),
                **ref,
            }
        )
    )


if __name__ == "__main__":
    main()
