"""Quality of similar-idea suggestions on real data: BANKING77 (see ``tests/support/banking77.py``
for the data, its licence and what one evaluation does).

The suite's check is a balanced sample of every one of the 77 intents: the first 35 train queries
of each (the smallest intent has 35, so no intent is weighted more than another; 2,695 stored
ideas) and the first 10 test queries of each (770 typed ideas), plus 40 hidden and 40 merged
copies of test queries that must never be suggested. The bar is the same as on the full data:
90% of test queries get a top-5 suggestion with their intent. The sample gives 0.97 (746 / 770),
as the full data does (2,994 / 3,080), so a broken model, threshold, index or filter still fails
it; it takes about 15 s on 2 cores, most of it embedding 3,465 texts.

The full variant, all 10,003 train and 3,080 test queries (about a minute on 2 cores), is the
benchmark ``bench/similar_quality.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from foundation.embeddings import Embedder
from tests.support.banking77 import (
    FULL_SIZES,
    DataMissing,
    evaluate,
    first_per_intent,
    read_split,
)

TOP_K = 5
THRESHOLD = 0.90
TRAIN_PER_INTENT = 35
TEST_PER_INTENT = 10
INTENTS = 77


def test_top5_suggestions_share_the_intent_for_90_percent_of_banking77_test_queries(
    embedder: Embedder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    record_property,
) -> None:
    try:
        train, test = read_split("train"), read_split("test")
    except DataMissing as exc:
        pytest.fail(str(exc), pytrace=False)
    assert (len(train), len(test)) == (FULL_SIZES["train"], FULL_SIZES["test"])
    train = first_per_intent(train, TRAIN_PER_INTENT)
    test = first_per_intent(test, TEST_PER_INTENT)
    assert (len(train), len(test)) == (INTENTS * TRAIN_PER_INTENT, INTENTS * TEST_PER_INTENT)

    quality = evaluate(embedder, train, test, tmp_path, top_k=TOP_K)

    record_property("banking77_top5_intent_hit_rate", round(quality.rate, 4))
    with capsys.disabled():  # shown in a normal (captured) run too
        print(f"\n{quality.summary(TOP_K)} (sample: {TRAIN_PER_INTENT}/{TEST_PER_INTENT} a intent)")
    # Speed is measured by the benchmarks: bench/embed.py (encoding BANKING77) and
    # bench/similar_ideas.py (similar_ideas latency over a BANKING77-phrased index).
    assert quality.shown_filtered == 0, (
        f"{quality.shown_filtered} hidden or merged ideas were suggested"
    )
    assert quality.rate >= THRESHOLD, (
        f"top-{TOP_K} intent hit rate {quality.rate:.3f} ({quality.hits:,} / "
        f"{quality.queries:,}) is below {THRESHOLD}"
    )
