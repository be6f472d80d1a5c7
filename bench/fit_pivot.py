"""Fits the linear map from the multilingual encoder's space into MiniLM's
(``foundation/models/use_to_minilm.npy``, used by ``foundation.crosslingual`` when no English
text is close enough to place a Chinese or Japanese one by its neighbours).

Run: ``.venv/bin/python bench/fit_pivot.py [--out PATH] [--cache-dir DIR]``

Training data: English only, BANKING77's training split and the instructions of the Bitext
customer-support sample (4,514; at most 8,000, seeded), from ``shared/data`` beside the
repository clone; no test split, no translation, nothing of ``bench/data`` is used. Both models
embed every text; ridge regression ``W = (X'X + lambda I)^-1 X'Y`` maps the multilingual vectors
X (512-d) to the MiniLM vectors Y (384-d). Lambda is chosen on a held-out tenth of the texts
(mean cosine between the mapped and the real MiniLM vector); the map is then refitted on all
texts and saved as float16 (the cosine it loses to float32 is below 1e-5). Prints the held-out
cosine per lambda and ends with one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from foundation.crosslingual import MAP_FILE, get_encoder, normalise
from foundation.embeddings import get_embedder
from foundation.settings import Settings

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
BITEXT = "bitext_customer_support/Bitext_Sample_Customer_Support_Training_Dataset_337b968.csv"
LAMBDAS = (0.1, 0.3, 1.0, 3.0, 10.0)


def training_texts() -> list[str]:
    with open(SHARED / "banking77" / "train.csv", encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    with open(SHARED / BITEXT, encoding="utf-8") as handle:
        bitext = [row["instruction"] for row in csv.DictReader(handle)]
    random.Random(0).shuffle(bitext)
    return texts + bitext[:8000]


def embedded(texts: list[str], cache_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    key = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache_dir / f"pivot-{key}.npz"
    if path.is_file():
        cached = np.load(path)
        return cached["x"], cached["y"]
    x = get_encoder().encode(texts)
    y = get_embedder(Settings()).encode(texts)
    cache_dir.mkdir(parents=True, exist_ok=True)
    np.savez(path, x=x, y=y)
    return x, y


def ridge(x: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    x64, y64 = x.astype(np.float64), y.astype(np.float64)
    solved: np.ndarray = np.linalg.solve(x64.T @ x64 + lam * np.eye(x.shape[1]), x64.T @ y64)
    return solved.astype(np.float32)


def mean_cosine(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    return float(np.mean(np.sum(normalise(x @ w) * y, axis=1)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=MAP_FILE)
    parser.add_argument("--cache-dir", type=Path, default=Path("var/bench-cache"))
    args = parser.parse_args()
    texts = training_texts()
    x, y = embedded(texts, args.cache_dir)
    order = np.random.default_rng(0).permutation(len(texts))
    held, fit = order[: len(texts) // 10], order[len(texts) // 10 :]
    scores = {lam: mean_cosine(x[held], y[held], ridge(x[fit], y[fit], lam)) for lam in LAMBDAS}
    for lam, score in scores.items():
        print(f"lambda {lam:>5}: held-out mean cosine {score:.4f}")
    best = max(scores, key=lambda lam: scores[lam])
    w = ridge(x, y, best)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.save(args.out, w.astype(np.float16))
    loss = mean_cosine(x[held], y[held], w) - mean_cosine(
        x[held], y[held], np.load(args.out).astype(np.float32)
    )
    print(f"saved {args.out} ({w.shape[0]}x{w.shape[1]}, float16; cosine lost {loss:.2e})")
    result = {"bench": "fit_pivot", "texts": len(texts), "lambda": best}
    print(json.dumps(result | {"heldout_cosine": round(scores[best], 4)}))


if __name__ == "__main__":
    main()
