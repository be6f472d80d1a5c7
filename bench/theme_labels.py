"""Benchmark: the cost of naming themes per language (``keywords.language_labels``).

Run: ``.venv/bin/python bench/theme_labels.py [--docs 2000] [--clusters 60]``; nothing is
downloaded, no model is loaded (labelling reads texts only).

What is measured
- Documents: half English, a quarter each Chinese and Japanese, spread over ``--clusters``
  clusters. English texts are real BANKING77 test queries (Casanueva et al. 2020, CC BY 4.0),
  one intent per cluster; Chinese and Japanese texts are made from ``bench/data/
  multilingual_pairs.csv`` (one topic per cluster, each text one or two clauses of the topic's
  sentence, now and then with a clause of another topic), so their length and vocabulary are
  those of contact-centre ideas.
- In a fresh process: the one-off dictionary loads (jieba, janome), then ``language_labels``
  over every cluster, then English-only ``keywords_and_label`` on the same texts (what a run
  paid before languages), each the median of ``--repeats`` runs.

The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BANKING77 = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"
PAIRS = ROOT / "bench" / "data" / "multilingual_pairs.csv"
CLAUSE = re.compile(r"(?<=[，。；、,;])")


def corpus(docs: int, clusters: int, seed: int = 2026) -> list[list[tuple[str, str]]]:
    """``(language, text)`` per cluster."""
    rng = random.Random(seed)
    with BANKING77.open(newline="", encoding="utf-8") as handle:
        by_intent: dict[str, list[str]] = {}
        for row in csv.DictReader(handle):
            by_intent.setdefault(row["category"], []).append(row["text"].strip())
    with PAIRS.open(newline="", encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    intents = sorted(by_intent)[:clusters]
    out: list[list[tuple[str, str]]] = [[] for _ in range(clusters)]
    for n in range(docs):
        c = n % clusters
        language = ("en", "en", "zh", "ja")[rng.randrange(4)]
        if language == "en":
            out[c].append(("en", rng.choice(by_intent[intents[c]])))
            continue
        own = [p for p in CLAUSE.split(pairs[c % len(pairs)][language]) if p]
        text = "".join(rng.sample(own, min(len(own), rng.choice((1, 2)))))
        if rng.random() < 0.2:
            other = [p for p in CLAUSE.split(rng.choice(pairs)[language]) if p]
            text += rng.choice(other)
        out[c].append((language, text))
    return out


def timed(fn: object, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()  # type: ignore[operator]
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--clusters", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    clusters = corpus(args.docs, args.clusters)

    started = time.perf_counter()
    from ideas.themes import keywords, tokens

    imported = time.perf_counter() - started
    started = time.perf_counter()
    tokens._jieba()
    jieba_s = time.perf_counter() - started
    started = time.perf_counter()
    tokens._janome()
    janome_s = time.perf_counter() - started

    labelled = keywords.language_labels(clusters)
    per_language = timed(lambda: keywords.language_labels(clusters), args.repeats)
    texts = [[text for _, text in docs] for docs in clusters]
    english_only = timed(lambda: keywords.keywords_and_label(texts), args.repeats)
    counts = {
        lang: sum(lang == lg for docs in clusters for lg, _ in docs) for lang in ("en", "zh", "ja")
    }
    tokenise = {}
    for language in ("zh", "ja"):
        mine = [t for docs in clusters for lg, t in docs if lg == language]
        tokenise[language] = timed(
            lambda m=mine, lg=language: [keywords.terms(t, lg) for t in m], 1
        )
    for labels in labelled[:3]:
        print({lang: entry["name"] for lang, entry in labels.items()})
    load = os.getloadavg()[0]
    print(
        f"{args.docs} documents ({counts}), {args.clusters} clusters; load average {load:.1f}\n"
        f"import {imported:.2f} s; jieba dictionary {jieba_s:.2f} s; janome {janome_s:.2f} s "
        f"(once per process)\n"
        f"labels per language {per_language:.2f} s (English-only before: {english_only:.2f} s); "
        f"tokenising alone: zh {tokenise['zh']:.2f} s, ja {tokenise['ja']:.2f} s"
    )
    print(
        json.dumps(
            {
                "docs": args.docs,
                "clusters": args.clusters,
                "languages": counts,
                "jieba_init_s": round(jieba_s, 3),
                "janome_init_s": round(janome_s, 3),
                "labels_s": round(per_language, 3),
                "english_only_s": round(english_only, 3),
                "tokenise_zh_s": round(tokenise["zh"], 3),
                "tokenise_ja_s": round(tokenise["ja"], 3),
                "load_average": round(load, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
