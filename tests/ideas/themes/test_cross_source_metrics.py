"""The scoring and input checks of ``bench/cross_source.py`` on hand-made labels: which ideas
count as attached, and what precision, recall and ``none_kept_apart`` make of them."""

from __future__ import annotations

import difflib
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[3] / "bench" / "cross_source.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_cross_source", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


# Evidence: theme 0 is mostly card_arrival, theme 1 pending_transfer, theme 2 a 1-1 tie (the
# label first in sorted order wins), theme 3 holds ideas only, -1 is unthemed.
EVIDENCE_LABELS = ["card_arrival", "card_arrival", "pending_transfer", "pending_transfer"]
EVIDENCE_LABELS += ["card_arrival", "top_up_failed", "exchange_rate", "pin_blocked"]
EVIDENCE_THEMES = [0, 0, 1, 1, 1, 0, 2, 2]


def test_theme_label_is_the_most_common_evidence_label(bench):
    labels = bench.theme_labels(EVIDENCE_LABELS, EVIDENCE_THEMES)
    assert labels == {0: "card_arrival", 1: "pending_transfer", 2: "exchange_rate"}


def test_precision_recall_and_none_kept_apart(bench):
    intents = [
        "card_arrival",  # theme 0: right
        "pending_transfer",  # theme 1: right
        "card_arrival",  # theme 1: wrongly attached, and missed
        "pin_blocked",  # theme 2 (exchange_rate by the tie): wrongly attached, and missed
        "top_up_failed",  # idea-only theme: not attached, missed
        "none",  # unthemed: kept apart
        "None",  # idea-only theme: kept apart (the label is read case-insensitively)
        "none",  # theme 0: attached, not kept apart
    ]
    themes = [0, 1, 1, 2, 3, -1, 3, 0]
    s = bench.score(intents, themes, EVIDENCE_LABELS, EVIDENCE_THEMES)
    assert s.attached == [
        "card_arrival",
        "pending_transfer",
        "pending_transfer",
        "exchange_rate",
        None,
        None,
        None,
        "card_arrival",
    ]
    assert s.precision == pytest.approx(2 / 5)
    assert s.recall == pytest.approx(2 / 5)
    assert s.none_kept_apart == pytest.approx(2 / 3)


def test_an_intent_no_evidence_carries_can_only_lower_the_scores(bench):
    """Documented choice: it counts as an intent that cannot be attached, not as ``none``."""
    s = bench.score(["lost_or_stolen_phone", "card_arrival"], [-1, 0], ["card_arrival"], [0])
    assert s.recall == pytest.approx(1 / 2)
    assert s.none_kept_apart is None
    attached = bench.score(["lost_or_stolen_phone"], [0], ["card_arrival"], [0])
    assert attached.precision == 0.0 and attached.recall == 0.0


def test_nothing_attached_leaves_precision_undefined(bench):
    s = bench.score(["none", "card_arrival"], [-1, -1], ["card_arrival"], [0])
    assert s.precision is None
    assert s.recall == 0.0
    assert s.none_kept_apart == 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty file"),
        ("text,label\nhello there,none\n", "missing column(s) intent"),
        ("text,intent\n", "no rows with text"),
        ("text,intent\nthe canteen is cold,\n", "line 2: empty intent"),
    ],
)
def test_unusable_idea_files_are_refused_with_a_reason(bench, tmp_path, content, message):
    path = tmp_path / "ideas.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(bench.InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        bench.read_labelled(path, "text", "intent")


def test_the_committed_idea_sets_meet_the_brief(bench):
    """At least 100 ideas each, about a third ``none``, every intent a BANKING77 label, and the
    tuning set no near-copy of the reported one."""
    categories = BENCH.parents[2] / "shared" / "data" / "banking77" / "categories.json"
    sets = {}
    for name in ("cross_source_ideas.csv", "cross_source_ideas_tune.csv"):
        texts, intents = bench.read_labelled(BENCH.parent / "data" / name, "text", "intent")
        assert len(texts) >= 100 and len(set(texts)) == len(texts)
        assert 0.3 <= sum(map(bench.is_none, intents)) / len(intents) <= 0.4
        if categories.is_file():
            known = set(json.loads(categories.read_text(encoding="utf-8")))
            assert {i for i in intents if not bench.is_none(i)} <= known
        sets[name] = [t.lower() for t in texts]
    for text in sets["cross_source_ideas_tune.csv"]:
        close = difflib.get_close_matches(text, sets["cross_source_ideas.csv"], n=1, cutoff=0.7)
        assert not close, (text, close)
