"""Benchmark: quality of the similar-idea suggestions on the whole of BANKING77.

Run: ``.venv/bin/python bench/similar_quality.py``: about a minute on 2 cores (almost
all of it embedding 13,083 texts); nothing is downloaded; a temporary SQLite file is deleted at
the end.

What it does: the full variant of ``tests/ideas/submissions/test_similar_quality.py`` (which runs
a balanced sample of every intent). All 10,003 train queries are stored as existing ideas, and
each of the 3,080 test queries is typed as a new idea and sent through
``ideas.submissions.similar.similar_ideas`` (``tests/support/banking77.py``: the real index,
over-fetch, MIN_SIMILARITY and hidden/merged filter; 40 hidden and 40 merged copies of test
queries must never be suggested). A test query is a hit when one of the five suggestions has
its intent. The full train set is used, not a subsample: some intents have only 35 train
examples.

Data: BANKING77 (Casanueva et al. 2020, CC BY 4.0; ``shared/data/banking77``).

Goal: a top-5 intent hit rate of at least 0.90 and no hidden or merged idea suggested; the
script exits with status 1 otherwise. The last line printed is one JSON object.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foundation.embeddings import get_embedder
from foundation.settings import get_settings
from tests.support.banking77 import FULL_SIZES, DataMissing, evaluate, read_split

TOP_K = 5
THRESHOLD = 0.90


def main() -> None:
    try:
        train, test = read_split("train"), read_split("test")
    except DataMissing as exc:
        sys.exit(str(exc))
    assert (len(train), len(test)) == (FULL_SIZES["train"], FULL_SIZES["test"])
    print(f"load average: {os.getloadavg()[0]:.2f}; {len(train):,} train, {len(test):,} test")
    started = time.perf_counter()
    embedder = get_embedder(get_settings())
    with tempfile.TemporaryDirectory(prefix="vl-bench-similar-quality-") as folder:
        quality = evaluate(embedder, train, test, Path(folder), top_k=TOP_K)
    seconds = time.perf_counter() - started
    print(f"{quality.summary(TOP_K)}; {quality.shown_filtered} hidden or merged shown")
    print(f"{seconds:.0f} s in all (model load, embedding, storing, {len(test):,} look-ups)")
    ok = quality.rate >= THRESHOLD and quality.shown_filtered == 0
    print(
        json.dumps(
            {
                "bench": "similar_quality",
                "top5_intent_hit_rate": round(quality.rate, 4),
                "hits": quality.hits,
                "queries": quality.queries,
                "shown_filtered": quality.shown_filtered,
                "seconds": round(seconds, 1),
                "ok": ok,
            }
        )
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
