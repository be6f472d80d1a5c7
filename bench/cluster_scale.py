"""Benchmark: wall time and peak memory of a full re-clustering at 10k, 100k and 1M documents.

Run: ``.venv/bin/python bench/cluster_scale.py [--sizes 10000,100000,1000000]``; nothing is
downloaded.

What is measured
- Documents: the 3,080 real BANKING77 test queries (Casanueva et al. 2020, CC BY 4.0), embedded
  once with the real model (cached under ``--cache-dir``), then perturbed copies up to the size:
  a real vector plus Gaussian noise (0.03 per dimension, cosine to its source about 0.86),
  renormalised, with the source's text. Keys mix ``idea:N`` and ``gap:N`` (one in five).
- Each size runs in its own process, so each peak RSS (``getrusage``) is that size's alone; it
  includes the embeddings the caller holds (1M x 384 float32 = 1.5 GB).
- ``ideas.themes.clustering.ThemeClusterer().fit`` with the defaults, timed after UMAP's one-off
  numba compilation (reported apart, with the import time: a worker pays them once per process).
- What the pipeline does differently at scale: above ``fit_sample`` (10,000) documents, UMAP and
  HDBSCAN see only the documents with the smallest key hashes; every other document joins its
  nearest centroid by cosine (at least ``JOIN_THRESHOLD``) in blocks, and c-TF-IDF reads at most
  ``label_docs`` (300) texts per theme, chosen by key hash.

The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

NOISE = 0.03
SEED = 2026


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def base(cache_dir: Path) -> tuple[list[str], np.ndarray]:
    from bench.themes import DEFAULT_DATA, embed, read

    texts, _ = read(DEFAULT_DATA, "text", "category")
    return texts, embed(texts, cache_dir)


def one_size(size: int, cache_dir: Path) -> dict[str, float]:
    """Runs in a child process: build ``size`` documents, fit, report."""
    texts, real = base(cache_dir)
    started = time.perf_counter()
    from ideas.themes.clustering import ThemeClusterer

    import_seconds = time.perf_counter() - started
    rng = np.random.default_rng(SEED)
    warm = rng.normal(size=(300, real.shape[1])).astype(np.float32)
    started = time.perf_counter()
    ThemeClusterer().fit([str(i) for i in range(300)], ["warm up"] * 300, warm)
    warmup_seconds = time.perf_counter() - started

    vectors = np.empty((size, real.shape[1]), dtype=np.float32)
    source = np.arange(size) % len(real)
    step = 100_000
    for start in range(0, size, step):
        block = vectors[start : start + step]
        block[:] = real[source[start : start + step]]
        synthetic = np.arange(start, start + len(block)) >= len(real)
        block[synthetic] += rng.normal(0.0, NOISE, (int(synthetic.sum()), block.shape[1])).astype(
            np.float32
        )
        block /= np.linalg.norm(block, axis=1, keepdims=True)
    doc_texts = [texts[i] for i in source.tolist()]
    keys = [f"gap:{i}" if i % 5 == 4 else f"idea:{i}" for i in range(size)]
    before = peak_rss_mb()

    marks: list[tuple[float, float]] = []
    started = time.perf_counter()
    result = ThemeClusterer().fit(
        keys, doc_texts, vectors, progress=lambda f: marks.append((f, time.perf_counter()))
    )
    seconds = time.perf_counter() - started
    stages = {f"{f:.2f}": round(t - started, 1) for f, t in marks if f in (0.05, 0.6, 0.7, 0.9)}
    return {
        "size": size,
        "seconds": seconds,
        "peak_rss_mb": peak_rss_mb(),
        "peak_rss_mb_before_fit": before,
        "import_seconds": import_seconds,
        "warmup_seconds": warmup_seconds,
        "themes": len(result.clusters),
        "unthemed": result.unthemed_share,
        "stages": stages,  # type: ignore[dict-item]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp"))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_size(args.child, args.cache_dir)))
        return

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    base(args.cache_dir)  # embed (or load the cache) once, before any timing
    figures: dict[int, dict[str, float]] = {}
    for size in [int(s) for s in args.sizes.split(",")]:
        child = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--cache-dir", str(args.cache_dir)],
            check=True,
            capture_output=True,
            text=True,
        )
        figures[size] = json.loads(child.stdout.strip().splitlines()[-1])
        f = figures[size]
        print(
            f"{size:>9,} documents: {f['seconds']:.1f} s, peak RSS {f['peak_rss_mb']:.0f} MB "
            f"({f['peak_rss_mb_before_fit']:.0f} MB holding the data before fit), "
            f"{f['themes']} themes, unthemed {f['unthemed']:.1%}; progress marks (s): "
            f"{f['stages']}; import {f['import_seconds']:.1f} s, UMAP import + numba warm-up "
            f"{f['warmup_seconds']:.1f} s (once per process, not in the time)"
        )
    print(f"load at end {os.getloadavg()}")

    def pick(size: int, field: str) -> float | None:
        return round(figures[size][field], 1) if size in figures else None

    print(
        json.dumps(
            {
                "bench": "cluster_scale",
                "seconds_10k": pick(10_000, "seconds"),
                "seconds_100k": pick(100_000, "seconds"),
                "seconds_1m": pick(1_000_000, "seconds"),
                "peak_rss_mb_1m": pick(1_000_000, "peak_rss_mb"),
            }
        )
    )


if __name__ == "__main__":
    main()
