"""Benchmark: staff ideas joined to customer evidence only when they are about the same problem.

Run: ``.venv/bin/python bench/cross_source.py [--ideas CSV] [--evidence CSV]`` (defaults:
``bench/data/cross_source_ideas.csv``; BANKING77 test, ``text`` / ``category``). Tune with
``--ideas bench/data/cross_source_ideas_tune.csv --evidence ../shared/data/banking77/train.csv``.

What is measured
- Ideas: a CSV with columns ``text,intent``; ``intent`` is an evidence label (the customer
  problem the idea is about) or ``none`` (an idea about the workplace or the staff's own tools).
  Evidence: each row a gap snippet, its label the customer problem.
- Both are embedded with the real model (cached by a hash of the texts, as ``bench/themes.py``
  does) and clustered together through the product's pipeline,
  ``ideas.themes.clustering.ThemeClusterer().fit``, with the product's document keys: ``idea:<i>``
  and ``gap:<j>``. Labels are used only for scoring.
- A theme's label is the most common label among its evidence members (ties: the first in
  sorted order); a theme without evidence has none. An idea is *attached* when its theme has a
  label.
- ``precision``: attached ideas whose intent is their theme's label / attached ideas (``null``
  when none is attached). ``recall``: ideas with an intent that are attached to a theme labelled
  with that intent / ideas with an intent. ``none_kept_apart``: ``none`` ideas not attached /
  ``none`` ideas. ``n_themes``: themes in the fit.
- An intent that no evidence row carries still counts as an intent: such an idea can never be
  attached correctly, so it lowers recall, and lowers precision when it is attached. (Counting
  it as ``none`` would reward joining it to nothing, which is not what the label says.)
- Baseline in the same run: the same pipeline with the cross-source rule off,
  ``ThemeClusterer(cross_source_threshold=None)``.
- Reference, given what no pipeline has (the evidence labels): ``nearest_intent`` is the share
  of ideas with an intent whose nearest evidence-label centroid (cosine) is their own intent;
  how well the embedding alone tells an idea's problem from its neighbours'.

The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from ideas.themes.clustering import ThemeClusterer

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_IDEAS = ROOT / "bench" / "data" / "cross_source_ideas.csv"
DEFAULT_EVIDENCE = ROOT.parent / "shared" / "data" / "banking77" / "test.csv"
NONE = "none"
SHOW = 10  # confusion examples printed per kind


class InputError(ValueError):
    """A CSV the benchmark cannot use; the message says why."""


def read_labelled(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    """(texts, labels) of a CSV with a header; rows with an empty text are skipped."""
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if not header:
            raise InputError(f"{path}: empty file (expected a header with {text_col},{label_col})")
        missing = [c for c in (text_col, label_col) if c not in header]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}; found {header}")
        texts, labels = [], []
        for line, row in enumerate(reader, start=2):
            text, label = (row.get(text_col) or "").strip(), (row.get(label_col) or "").strip()
            if not text:
                continue
            if not label:
                raise InputError(f"{path}, line {line}: empty {label_col}")
            texts.append(text)
            labels.append(label)
    if not texts:
        raise InputError(f"{path}: no rows with text")
    return texts, labels


def is_none(intent: str) -> bool:
    return intent.strip().lower() == NONE


def theme_labels(evidence_labels: Sequence[str], evidence_themes: Sequence[int]) -> dict[int, str]:
    """Each theme's most common evidence label (ties: first in sorted order); unthemed (-1) and
    themes without evidence have none."""
    counts: dict[int, Counter[str]] = {}
    for label, theme in zip(evidence_labels, evidence_themes, strict=True):
        if theme >= 0:
            counts.setdefault(int(theme), Counter())[label] += 1
    return {t: min(c, key=lambda lab: (-c[lab], lab)) for t, c in counts.items()}


@dataclass(frozen=True)
class Scores:
    precision: float | None  # None when no idea is attached
    recall: float | None  # None when no idea has an intent
    none_kept_apart: float | None  # None when no idea is ``none``
    attached: list[str | None]  # per idea: its theme's label, None when not attached


def score(
    intents: Sequence[str],
    idea_themes: Sequence[int],
    evidence_labels: Sequence[str],
    evidence_themes: Sequence[int],
) -> Scores:
    """The module docstring's precision, recall and ``none_kept_apart``; pure, for the tests."""
    if len(intents) != len(idea_themes):
        raise ValueError("one theme per idea")
    labels = theme_labels(evidence_labels, evidence_themes)
    attached = [labels.get(int(t)) if t >= 0 else None for t in idea_themes]
    hits = [a is not None and a == i for a, i in zip(attached, intents, strict=True)]
    has_intent = [not is_none(i) for i in intents]
    n_attached = sum(a is not None for a in attached)
    n_intent, n_none = sum(has_intent), len(intents) - sum(has_intent)
    kept = sum(a is None for a, h in zip(attached, has_intent, strict=True) if not h)
    return Scores(
        precision=sum(hits) / n_attached if n_attached else None,
        recall=sum(h for h, i in zip(hits, has_intent, strict=True) if i) / n_intent
        if n_intent
        else None,
        none_kept_apart=kept / n_none if n_none else None,
        attached=attached,
    )


def nearest_intent(
    intents: Sequence[str], ideas: np.ndarray, labels: Sequence[str], evidence: np.ndarray
) -> float | None:
    """The module docstring's reference: ideas with an intent whose nearest evidence-label
    centroid is that intent, over ideas with an intent."""
    names = sorted(set(labels))
    index = np.array([names.index(label) for label in labels])
    centroids = np.stack([evidence[index == i].mean(axis=0) for i in range(len(names))])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    nearest = np.argmax(ideas @ centroids.T, axis=1)
    pairs = [(i, names[n]) for i, n in zip(intents, nearest, strict=True) if not is_none(i)]
    return sum(i == n for i, n in pairs) / len(pairs) if pairs else None


def clusterer(cross_source: bool) -> tuple[ThemeClusterer, str]:
    """The product's clusterer, or its baseline with the cross-source rule off (the plain
    defaults, said so, when this version has no such parameter)."""
    if cross_source:
        return ThemeClusterer(), "ThemeClusterer()"
    off: dict[str, Any] = {"cross_source_threshold": None}
    try:
        return ThemeClusterer(**off), "cross_source_threshold=None"
    except TypeError:
        return ThemeClusterer(), "ThemeClusterer() (no cross_source_threshold parameter yet)"


@dataclass(frozen=True)
class Fit:
    scores: Scores
    idea_themes: np.ndarray
    theme_names: list[str]
    sims: np.ndarray  # each idea's cosine to its theme's centroid (nan when unthemed)


def fit(
    model: ThemeClusterer,
    ideas: tuple[list[str], list[str]],
    evidence: tuple[list[str], list[str]],
    vectors: np.ndarray,
) -> Fit:
    """Ideas and evidence clustered together; ``vectors`` holds the ideas' rows first."""
    (idea_texts, intents), (ev_texts, ev_labels) = ideas, evidence
    n = len(idea_texts)
    keys = [f"idea:{i}" for i in range(n)] + [f"gap:{j}" for j in range(len(ev_texts))]
    result = model.fit(keys, idea_texts + ev_texts, vectors, languages=None)
    themes = result.labels
    unit = vectors[:n] / np.linalg.norm(vectors[:n], axis=1, keepdims=True)
    sims = np.array(
        [
            float(unit[i] @ result.clusters[t].centroid) if t >= 0 else np.nan
            for i, t in enumerate(themes[:n])
        ]
    )
    return Fit(
        scores=score(intents, themes[:n].tolist(), ev_labels, themes[n:].tolist()),
        idea_themes=themes[:n],
        theme_names=[c.label for c in result.clusters],
        sims=sims,
    )


def show_confusions(result: Fit, texts: list[str], intents: list[str]) -> None:
    """Wrongly attached ideas (most central first: the most confident mistakes) and missed
    ones, with where each landed."""
    attached = result.scores.attached
    wrong = [i for i, a in enumerate(attached) if a is not None and a != intents[i]]
    wrong.sort(key=lambda i: (-result.sims[i], i))
    print(f"\nWrongly attached ({len(wrong)}; {SHOW} most central shown):")
    for i in wrong[:SHOW]:
        theme = int(result.idea_themes[i])
        print(
            f"  [{intents[i]} -> {attached[i]}] sim {result.sims[i]:.2f} theme "
            f"{result.theme_names[theme]!r}: {texts[i]!r}"
        )
    workplace = [i for i in wrong if is_none(intents[i])]
    print(f"Of them, workplace ideas ({len(workplace)}; {SHOW} most central shown):")
    for i in workplace[:SHOW]:
        theme = int(result.idea_themes[i])
        print(
            f"  [-> {attached[i]}] sim {result.sims[i]:.2f} theme "
            f"{result.theme_names[theme]!r}: {texts[i]!r}"
        )
    missed = [i for i, a in enumerate(attached) if not is_none(intents[i]) and a != intents[i]]
    print(f"Missed ideas with an intent ({len(missed)}; first {SHOW} shown):")
    for i in missed[:SHOW]:
        theme = int(result.idea_themes[i])
        where = (
            "unthemed"
            if theme < 0
            else (f"theme {result.theme_names[theme]!r} ({attached[i] or 'no evidence'})")
        )
        print(f"  [{intents[i]}] -> {where}: {texts[i]!r}")


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def describe(name: str, result: Fit, n_themes: int, seconds: float) -> None:
    s = result.scores
    values = {"precision": s.precision, "recall": s.recall, "none kept apart": s.none_kept_apart}
    text = "  ".join(f"{k} {'n/a' if v is None else f'{v:.3f}'}" for k, v in values.items())
    attached = sum(a is not None for a in s.attached)
    print(f"{name}: {text}  attached {attached}  themes {n_themes}  {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=Path, default=DEFAULT_IDEAS)
    parser.add_argument("--evidence", type=Path, default=DEFAULT_EVIDENCE)
    parser.add_argument("--evidence-text-col", default="text")
    parser.add_argument("--evidence-label-col", default="category")
    parser.add_argument("--cache-dir", type=Path, default=Path("/tmp"))
    args = parser.parse_args()

    try:
        ideas = read_labelled(args.ideas, "text", "intent")
        evidence = read_labelled(args.evidence, args.evidence_text_col, args.evidence_label_col)
    except InputError as error:
        sys.exit(f"cross_source: {error}")
    from bench.themes import embed

    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()}")
    known = set(evidence[1])
    unknown = sorted({i for i in ideas[1] if not is_none(i) and i not in known})
    n_none = sum(map(is_none, ideas[1]))
    print(
        f"ideas: {args.ideas} ({len(ideas[0])}: {n_none} none, "
        f"{len(ideas[0]) - n_none} with an intent, "
        f"{len({i for i in ideas[1] if not is_none(i)})} distinct intents)"
    )
    print(f"evidence: {args.evidence} ({len(evidence[0])} texts, {len(known)} labels)")
    if unknown:
        print(f"intents no evidence carries (can never be attached correctly): {unknown}")
    vectors = np.concatenate([embed(ideas[0], args.cache_dir), embed(evidence[0], args.cache_dir)])

    runs = {}
    for name, cross in (("VoiceLoop", True), ("Baseline", False)):
        model, spec = clusterer(cross)
        started = time.perf_counter()
        runs[name] = fit(model, ideas, evidence, vectors)
        seconds = time.perf_counter() - started
        describe(f"{name} [{spec}]", runs[name], len(runs[name].theme_names), seconds)
    print("(the first fit's time includes UMAP's one-off numba compilation)")
    show_confusions(runs["VoiceLoop"], *ideas)
    main_run, base = runs["VoiceLoop"], runs["Baseline"]
    reference = nearest_intent(
        ideas[1], vectors[: len(ideas[0])], evidence[1], vectors[len(ideas[0]) :]
    )
    print(f"reference (given the evidence labels): nearest intent centroid {rounded(reference)}")
    print(f"load at end {os.getloadavg()}")
    print(
        json.dumps(
            {
                "bench": "cross_source",
                "ideas": len(ideas[0]),
                "precision": rounded(main_run.scores.precision),
                "recall": rounded(main_run.scores.recall),
                "none_kept_apart": rounded(main_run.scores.none_kept_apart),
                "n_themes": len(main_run.theme_names),
                "baseline_precision": rounded(base.scores.precision),
                "baseline_recall": rounded(base.scores.recall),
                "baseline_none_kept_apart": rounded(base.scores.none_kept_apart),
                "nearest_intent": rounded(reference),
            }
        )
    )


if __name__ == "__main__":
    main()
