"""Benchmark: Chinese and Japanese ideas find their English originals, and English themes keep
their quality (issue 14; the design is ``foundation/crosslingual.py``).

Run: ``.venv/bin/python bench/multilingual.py [--pairs CSV] [--distractors N]``
(default ``bench/data/multilingual_pairs.csv``: columns ``key,en,zh,ja``, one banking idea per row
with faithful translations; any file with those columns works).

What is measured
- Similar ideas across languages: the English texts are stored as ideas, among the English demo
  ideas and BANKING77's training texts (10,003 by default) as distractor ideas, each with the
  vectors the product stores (``Embedder.encode_for_storage``, in a migrated SQLite database).
  Every Chinese and Japanese text is then typed as a new idea through the product's similar-ideas
  path (``ideas.submissions.similar.similar_ideas``: index refresh, placement among the English
  ideas, the 0.3 display threshold, visibility), five suggestions shown. ``top5_*``: the share
  whose English original is among them; ``top1_*``: shown first. The per-query time (query
  embedding included) is reported as p50 / p95.
- The cost to English: BANKING77's test split clustered by the theme pipeline
  (``ThemeClusterer``) on MiniLM's own vectors (the English-only pipeline) and on the vectors of
  the chosen design, in the same run; NMI of each (unthemed counted as one group).
- Themes across languages: the same test split plus every pair's three texts, clustered together
  with the CJK texts placed among the English ones as a theme run does
  (``ideas.themes.documents.load_vectors``); ``same_theme_*``: the share of Chinese / Japanese texts
  in the same theme as their English original (an unthemed original counts as a miss).

The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from sklearn.metrics import normalized_mutual_info_score
from sqlmodel import Session, col, select

from bench.common import app_database, ms
from demo.ideas import SEEDS
from foundation.crosslingual import is_cjk, place
from foundation.embeddings import Embedder, Embedding, get_embedder, text_hash, to_bytes
from ideas.submissions.models import Category, Idea
from ideas.submissions.similar import SOURCE, VectorIndex, similar_ideas
from ideas.themes.clustering import ThemeClusterer

ROOT = Path(__file__).resolve().parents[1]
BANKING77 = ROOT.parent / "shared" / "data" / "banking77"
LANGUAGES = ("zh", "ja")


def read_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            {k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)
        ]
    missing = {"key", "en", *LANGUAGES} - set(rows[0] if rows else {})
    if missing:
        raise SystemExit(f"{path}: missing columns {sorted(missing)}")
    return [row for row in rows if row["en"]]


def read_banking(split: str) -> tuple[list[str], list[str]]:
    with (BANKING77 / f"{split}.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [row["text"] for row in rows], [row["category"] for row in rows]


def store_ideas(session: Session, embedder: Embedder, texts: list[str]) -> list[int]:
    """Idea rows with the Embedding rows ``submit_idea`` would store, in batches."""
    category_id = session.exec(select(Category.id).order_by(col(Category.id))).first()
    assert category_id is not None
    ids: list[int] = []
    for first in range(0, len(texts), 256):
        batch = texts[first : first + 256]
        ideas = [Idea(title=text, body="", category_id=category_id) for text in batch]
        session.add_all(ideas)
        session.flush()
        encoded = embedder.encode_for_storage(batch)
        assert encoded.xvectors is not None
        for i, idea in enumerate(ideas):
            session.add(
                Embedding(
                    source=SOURCE,
                    source_id=idea.id or 0,
                    model=embedder.model_name,
                    text_hash=text_hash(batch[i]),
                    vector=to_bytes(encoded.vectors[i]),
                    xvector=to_bytes(encoded.xvectors[i]),
                    anchor=bool(encoded.anchor[i]),
                )
            )
        ids += [idea.id or 0 for idea in ideas]
    session.commit()
    return ids


def similar_across(
    embedder: Embedder, pairs: list[dict[str, str]], distractors: list[str]
) -> dict[str, float]:
    demo = [f"{seed.title}\n{seed.body}".strip() for seed in SEEDS]
    demo = [text for text in demo if not is_cjk(text)]
    with tempfile.TemporaryDirectory() as folder:
        engine, _settings = app_database(folder)
        with Session(engine, expire_on_commit=False) as session:
            started = time.perf_counter()
            originals = store_ideas(session, embedder, [row["en"] for row in pairs])
            store_ideas(session, embedder, demo + distractors)
            index = VectorIndex(SOURCE, embedder.model_name)
            index.refresh(session)
            print(
                f"indexed {len(index):,} ideas ({len(pairs)} originals, {len(demo)} demo, "
                f"{len(distractors):,} BANKING77) in {time.perf_counter() - started:.0f} s"
            )
            figures: dict[str, float] = {}
            for lang in LANGUAGES:
                top1 = top5 = 0
                times = []
                for row, original in zip(pairs, originals, strict=True):
                    if not row[lang]:
                        continue
                    started = time.perf_counter()
                    shown = [m.idea.id for m in similar_ideas(session, index, embedder, row[lang])]
                    times.append(time.perf_counter() - started)
                    top5 += original in shown
                    top1 += bool(shown) and shown[0] == original
                    if original not in shown:
                        print(f"  {lang} miss: {row['key']}")
                asked = max(1, len(times))
                figures[f"top5_{lang}"] = round(top5 / asked, 3)
                figures[f"top1_{lang}"] = round(top1 / asked, 3)
                p50, p95 = ms(times)
                figures[f"p95_ms_{lang}"] = round(p95, 1)
                print(
                    f"{lang}: top-5 {top5}/{asked}, top-1 {top1}/{asked}; "
                    f"query p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                )
        engine.dispose()
    return figures


def nmi(truth: list[str], vectors: np.ndarray, texts: list[str]) -> tuple[float, np.ndarray]:
    keys = [str(i) for i in range(len(texts))]
    labels = ThemeClusterer().fit(keys, texts, vectors).labels
    return float(normalized_mutual_info_score(truth, labels)), labels


def english_cost(embedder: Embedder) -> dict[str, float]:
    texts, truth = read_banking("test")
    own = embedder._encode(texts, 64)  # MiniLM itself: the English-only pipeline
    chosen = embedder.encode_for_storage(texts).vectors
    started = time.perf_counter()
    nmi_english, _ = nmi(truth, own, texts)
    nmi_chosen, _ = nmi(truth, chosen, texts)
    print(
        f"BANKING77 test NMI: English-only pipeline {nmi_english:.4f}, chosen design "
        f"{nmi_chosen:.4f} ({time.perf_counter() - started:.0f} s for both)"
    )
    return {"nmi_english_only": round(nmi_english, 4), "nmi_chosen": round(nmi_chosen, 4)}


def themes_across(embedder: Embedder, pairs: list[dict[str, str]]) -> dict[str, float]:
    texts, truth = read_banking("test")
    base = len(texts)
    rows = [row for row in pairs if all(row[lang] for lang in LANGUAGES)]
    for lang in ("en", *LANGUAGES):
        texts += [row[lang] for row in rows]
        truth += [f"pair:{row['key']}" for row in rows]
    encoded = embedder.encode_for_storage(texts)
    assert encoded.xvectors is not None
    vectors, anchor = encoded.vectors.copy(), encoded.anchor
    vectors[~anchor] = place(encoded.xvectors[~anchor], encoded.xvectors, vectors, anchor)
    langs = [
        "en" if a else ("ja" if i >= base + 2 * len(rows) else "zh") for i, a in enumerate(anchor)
    ]
    labels = (
        ThemeClusterer()
        .fit([str(i) for i in range(len(texts))], texts, vectors, languages=langs)
        .labels
    )
    english = labels[base : base + len(rows)]
    figures = {}
    for n, lang in enumerate(LANGUAGES, start=1):
        theirs = labels[base + n * len(rows) : base + (n + 1) * len(rows)]
        together = int(np.sum((theirs == english) & (english >= 0)))
        figures[f"same_theme_{lang}"] = round(together / max(1, len(rows)), 3)
        print(f"{lang}: {together}/{len(rows)} in their English original's theme")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--pairs", type=Path, default=ROOT / "bench" / "data" / "multilingual_pairs.csv"
    )
    parser.add_argument("--distractors", type=int, default=None, help="BANKING77 train texts")
    args = parser.parse_args()
    pairs = read_pairs(args.pairs)
    distractors, _ = read_banking("train")
    distractors = distractors[: args.distractors]
    from foundation.settings import Settings

    embedder = get_embedder(Settings())
    result: dict[str, Any] = {"bench": "multilingual", "pairs": len(pairs)}
    result |= similar_across(embedder, pairs, distractors)
    result |= english_cost(embedder)
    result["nmi_drop"] = round(result["nmi_english_only"] - result["nmi_chosen"], 4)
    result |= themes_across(embedder, pairs)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
