"""Benchmark: embedding throughput of the int8 ONNX fast path against the torch default.

Run: ``.venv/bin/python bench/embed.py [--data CSV] [--text-col text] [--limit N]``: about 2
minutes on 2 busy cores for the 3,080 texts (more the first time, when the ONNX model is
exported into ``$VOICELOOP_MODEL_CACHE``, default ``var/models/``); nothing is downloaded.

What is measured
- Throughput, texts per second: every text embedded once by each model through
  ``foundation.embeddings`` (``Embedder.encode`` with its default batch size: 64 for torch, the
  fast path caps batches at 16), after a warm-up of 64 texts each. The texts go in chunks of 512,
  each chunk through both models in turn (alternating which goes first), so a busy moment on the
  machine hits both alike. The default is sentence-transformers on torch as the product ran it
  before (torch's own thread count); the fast path is the model exported to ONNX and dynamically
  quantised to int8 (``onnx-int8``), on ONNX Runtime with its configured intra-op threads.
- Agreement: the cosine between the two vectors of each text (mean and minimum).
- Quality, where the data has a label column (BANKING77's ``category``): the share of texts whose
  nearest other text (by cosine) has the same label, for both models.
- Single-text latency (p50 / p95 ms) for ``--queries`` texts one at a time, as a web request
  embeds them: torch with one thread, as ``voiceloop serve`` sets, and the fast path as is.
- The export time if this run had to export the ONNX model (``--fresh-export`` forces one into a
  temporary folder, which is deleted).

Data: BANKING77 test queries (Casanueva et al. 2020, CC BY 4.0; ``shared/data/banking77``).

The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
import torch

from bench.common import ms
from foundation import embeddings
from foundation.embeddings import Embedder
from foundation.settings import Settings, get_settings

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "banking77" / "test.csv"
CHUNK = 512
WARMUP = 64


def read_texts(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str] | None]:
    if not path.is_file():
        sys.exit(f"{path} not found (shared/ must sit beside the repository clone)")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or text_col not in rows[0]:
        sys.exit(f"{path} has no column {text_col!r}")
    texts = [row[text_col].strip() for row in rows]
    labels = [row[label_col] for row in rows] if label_col in rows[0] else None
    return texts, labels


def timed_load(settings: Settings, backend: str) -> tuple[Embedder, float]:
    started = time.perf_counter()
    embedder = embeddings.load_embedder(settings, backend)
    return embedder, time.perf_counter() - started


def nn_label_rate(vectors: np.ndarray, labels: list[str]) -> float:
    """Share of texts whose nearest other text has the same label."""
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -2.0)
    nearest = sims.argmax(axis=1)
    return float(np.mean([labels[i] == labels[j] for i, j in enumerate(nearest)]))


def latency(embedder: Embedder, texts: list[str]) -> tuple[float, float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        embedder.encode([text])
        times.append(time.perf_counter() - started)
    return ms(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA, help="CSV file of texts")
    parser.add_argument("--text-col", default="text", help="column holding the text")
    parser.add_argument(
        "--label-col", default="category", help="label column for the nearest-neighbour check"
    )
    parser.add_argument("--limit", type=int, default=0, help="embed only the first N texts")
    parser.add_argument("--queries", type=int, default=100, help="single-text latency samples")
    parser.add_argument(
        "--fresh-export",
        action="store_true",
        help="export the ONNX model into a temporary cache (timing the export) instead of "
        "reusing $VOICELOOP_MODEL_CACHE / var/models",
    )
    args = parser.parse_args()
    wall = time.perf_counter()
    load = os.getloadavg()
    print(
        f"embed benchmark: python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at start"
    )
    texts, labels = read_texts(args.data, args.text_col, args.label_col)
    if args.limit:
        texts, labels = texts[: args.limit], labels[: args.limit] if labels else None
    if len(texts) < 2:
        sys.exit("need at least 2 texts")
    lengths = [len(t) for t in texts]
    print(
        f"data: {len(texts):,} texts from {args.data.name} (column {args.text_col!r}; "
        f"{np.mean(lengths):.0f} characters on average, longest {max(lengths)})"
    )

    tmp = tempfile.TemporaryDirectory(prefix="vl-bench-embed-") if args.fresh_export else None
    settings = get_settings()
    if tmp is not None:
        settings = settings.model_copy(update={"model_cache": Path(tmp.name)})
    try:
        default, t_default = timed_load(settings, embeddings.TORCH)
        fast, t_fast = timed_load(settings, embeddings.ONNX_INT8)
    finally:
        if tmp is not None:
            tmp.cleanup()  # the model is in memory by now
    if fast.backend != embeddings.ONNX_INT8:
        sys.exit("the int8 ONNX model could not be exported or loaded (see the warning above)")
    export_s = embeddings.last_export_s
    assert isinstance(fast, embeddings.OnnxInt8Embedder)
    versions = embeddings.package_versions()
    print(
        f"default: {default.model_name} (sentence-transformers "
        f"{versions['sentence-transformers']} on torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads), loaded in {t_default:.1f} s"
    )
    export_note = (
        f"exported in {export_s:.1f} s" if export_s else f"reused the export in {fast.model_dir}"
    )
    print(
        f"fast:    {fast.model_name} (ONNX Runtime {versions['onnxruntime']}, "
        f"{fast.file_name}, {embeddings.onnx_threads(settings)} intra-op threads), loaded in "
        f"{t_fast:.1f} s; {export_note}"
    )

    default.encode(texts[:WARMUP])
    fast.encode(texts[:WARMUP])
    spent = {"default": 0.0, "fast": 0.0}
    parts: dict[str, list[np.ndarray]] = {"default": [], "fast": []}
    models = {"default": default, "fast": fast}
    for n, first in enumerate(range(0, len(texts), CHUNK)):
        chunk = texts[first : first + CHUNK]
        for name in ("default", "fast") if n % 2 == 0 else ("fast", "default"):
            started = time.perf_counter()
            parts[name].append(models[name].encode(chunk))
            spent[name] += time.perf_counter() - started
    vectors = {name: np.concatenate(parts[name]) for name in parts}
    rate = {name: len(texts) / spent[name] for name in spent}
    for name, v in vectors.items():
        norms = np.linalg.norm(v, axis=1)
        assert v.dtype == np.float32 and v.shape == (len(texts), embeddings.DIMENSIONS)
        assert np.allclose(norms, 1.0, atol=1e-4), f"{name}: vectors not normalised"
    cos = np.sum(vectors["default"] * vectors["fast"], axis=1)
    print(
        f"throughput: default {rate['default']:.1f} texts/s ({spent['default']:.1f} s), "
        f"fast {rate['fast']:.1f} texts/s ({spent['fast']:.1f} s): "
        f"{rate['fast'] / rate['default']:.2f}x"
    )
    print(
        f"cosine fast vs default, same text: mean {cos.mean():.4f}, min {cos.min():.4f}, "
        f"5th percentile {np.percentile(cos, 5):.4f}"
    )
    if labels is not None:
        print(
            f"nearest other text has the same {args.label_col!r}: default "
            f"{nn_label_rate(vectors['default'], labels):.1%}, fast "
            f"{nn_label_rate(vectors['fast'], labels):.1%}"
        )

    if args.queries:
        queries = texts[:: max(1, len(texts) // args.queries)][: args.queries]
        threads = torch.get_num_threads()
        torch.set_num_threads(1)  # as `voiceloop serve` runs
        d50, d95 = latency(default, queries)
        torch.set_num_threads(threads)
        f50, f95 = latency(fast, queries)
        print(
            f"single-text latency over {len(queries)} texts: default (1 torch thread) "
            f"p50 {d50:.1f} ms / p95 {d95:.1f} ms; fast p50 {f50:.1f} ms / p95 {f95:.1f} ms"
        )

    load = os.getloadavg()
    print(
        f"whole benchmark: {time.perf_counter() - wall:.0f} s; load average {load[0]:.1f} / "
        f"{load[1]:.1f} / {load[2]:.1f} at the end (above ~1 on 2 CPUs, other work was running)"
    )
    print(
        json.dumps(
            {
                "bench": "embed",
                "default_texts_per_s": round(rate["default"], 1),
                "fast_texts_per_s": round(rate["fast"], 1),
                "cos_mean": round(float(cos.mean()), 4),
                "cos_min": round(float(cos.min()), 4),
            }
        )
    )


if __name__ == "__main__":
    main()
