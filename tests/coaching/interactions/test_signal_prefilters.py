"""The cheap necessary conditions in ``coaching.interactions.signals`` can never skip a real match.

Each phrase family (``_Phrases``) skips its regex on a text that holds none of its needles. That
is only sound if every match of the pattern holds a needle once the text is folded. Three proofs:

1. Walk every path through each family's parsed pattern (Python's own regex parser) and find a
   needle in the literal text the path must contain.
2. For every Unicode character, ``_folded`` gives exactly the ASCII character that
   ``re.IGNORECASE`` matches it to (and keeps white space white space), one for one.
3. Build a text that realises each path, in upper case, with odd white space and with the
   letters IGNORECASE treats specially: the pattern matches it and the pre-filter lets it
   through; and ``detect`` gives the same signals with and without the pre-filters on those
   texts, on the real Schema-Guided Dialogue banking dialogues (CC BY-SA 4.0,
   ``shared/data/sgd_banks``) and on every string in the signal tests.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

import pytest

from coaching.interactions import phrases as phrase_tables
from coaching.interactions.matching import _folded, _Phrases, _uncertainty_pattern
from coaching.interactions.models import Outcome
from coaching.interactions.signals import detect
from coaching.interactions.transcript import parse_turns
from foundation.settings import Settings

PHRASES = Settings.model_fields["uncertainty_phrases"].default
# Configured phrases that stress the needle chosen for them: apostrophes, negations with an
# adverb slot, digits and symbols, non-ASCII letters, one-letter words.
ODD_PHRASES = [
    "I'm not 100% sure",
    "won't know",
    "never   heard of it",
    "c'est la vie",
    "naïve question",
    "no idea",
    "I",
    "don't",
    "n't",
    "can-do",
]
SGD = Path(__file__).resolve().parents[4] / "shared" / "data" / "sgd_banks"

# --- walking a pattern ------------------------------------------------------------------------
# A path is a list of tokens: a literal character, SPACE (one or more white-space characters,
# which a needle writes as one space) or BREAK (anything else: the literal text is cut there).
SPACE, BREAK = " ", None
Token = str | None
WHITE = "\x1e"  # where a sample holds what ``\s`` matched (literal spaces stay spaces)


def _is_space_class(op: Any, av: Any) -> bool:
    return op is sre.IN and av == [(sre.CATEGORY, sre.CATEGORY_SPACE)]


def _paths(items: Any) -> list[list[tuple[Token, str]]]:
    """Every path through a parsed sequence: (token, a character that realises it) pairs."""
    paths: list[list[tuple[Token, str]]] = [[]]
    for op, av in items:
        options = _item(op, av)
        paths = [path + option for path in paths for option in options]
        assert len(paths) < 100_000, "too many paths to walk"
    return paths


def _item(op: Any, av: Any) -> list[list[tuple[Token, str]]]:
    if op is sre.LITERAL:
        ch = chr(av)
        return [[(SPACE if ch.isspace() else ch, ch)]]
    if op is sre.SUBPATTERN:
        return _paths(av[-1])
    if op is sre.BRANCH:
        return [path for alternative in av[1] for path in _paths(alternative)]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return [[]]  # zero-width: adds no text
    if _is_space_class(op, av):
        return [[(SPACE, WHITE)]]
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        once = _paths(sub)
        if len(sub) == 1 and _is_space_class(*sub[0]):
            return ([[]] if low == 0 else []) + [[(SPACE, WHITE)]]
        if low == high:
            copies: list[list[tuple[Token, str]]] = [[]]
            for _ in range(low):
                copies = [done + path for done in copies for path in once]
            return copies
        # A repeat that may come again cuts the literal text after its first time.
        more: list[tuple[Token, str]] = [] if high == 1 else [(BREAK, "")]
        skip: list[list[tuple[Token, str]]] = [[]] if low == 0 else []
        return skip + [path + more for path in once]
    if op is sre.IN:
        return [[(BREAK, _class_sample(av))]]
    return [[(BREAK, "x")]]  # any other construct: cut the literal text


def _class_sample(items: Any) -> str:
    """A character the class accepts (the test checks the pattern matches the sample)."""
    op, av = items[0]
    if op is sre.LITERAL:
        return chr(av)
    if op is sre.RANGE:
        return chr(av[0])
    if op is sre.CATEGORY:
        return {sre.CATEGORY_DIGIT: "1", sre.CATEGORY_SPACE: WHITE}.get(av, "x")
    return "x"


def _runs(path: list[tuple[Token, str]]) -> list[str]:
    """The literal texts a path must contain, lower case, white space as one space."""
    runs, run = [], ""
    for token, _ in path:
        if token is BREAK:
            runs.append(run)
            run = ""
        elif token == SPACE:
            run = run if run.endswith(" ") else run + " "
        else:
            run += token.lower()
    return [*runs, run]


def families() -> Iterator[tuple[str, _Phrases]]:
    for name, value in vars(phrase_tables).items():
        if isinstance(value, _Phrases):
            yield name, value
    for label, phrases in (("default phrases", PHRASES), ("odd phrases", ODD_PHRASES)):
        family, _ = _uncertainty_pattern(tuple(phrases))
        assert family is not None
        yield f"uncertainty ({label})", family
    for phrase in ODD_PHRASES:
        family, _ = _uncertainty_pattern((phrase,))
        assert family is not None
        yield f"uncertainty {phrase!r}", family


FAMILIES = dict(families())


def _parsed(family: _Phrases) -> Any:
    return sre_parse.parse(family.pattern.pattern, family.pattern.flags)


# --- 1. every path holds a needle -------------------------------------------------------------


def test_every_phrase_family_is_covered() -> None:
    names = {name for name in FAMILIES if not name.startswith("uncertainty")}
    assert names == {
        "_TRANSFER",
        "_ESCALATION",
        "_ANY_CUE",
        "_ACKNOWLEDGEMENT",
        "_OFFLINE_HELP",
        "_DISSATISFIED",
    }
    assert FAMILIES["uncertainty (default phrases)"].needles is not None
    assert _uncertainty_pattern(("é",))[0].needles is None  # type: ignore[union-attr]


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_every_path_through_the_pattern_holds_a_needle(name: str) -> None:
    family = FAMILIES[name]
    if family.needles is None:
        pytest.skip("no needles: the pattern always runs")
    assert all(
        needle and needle.isascii() and needle == needle.lower() for needle in family.needles
    )
    assert all(needle == " ".join(needle.split(" ")) for needle in family.needles)
    paths = _paths(_parsed(family))
    missed = [
        "".join(ch for _, ch in path)
        for path in paths
        if not any(needle in run for run in _runs(path) for needle in family.needles)
    ]
    assert not missed, f"{len(missed)} of {len(paths)} paths hold no needle, e.g. {missed[:5]}"


def test_the_walk_finds_what_a_needle_would_miss() -> None:
    """The walk is not vacuous: a needle list that misses an alternative is caught."""
    family = _Phrases(re.compile(r"(?<!\w)(?:passed\s+away|died)(?!\w)", re.I), ("died",))
    paths = _paths(_parsed(family))
    assert [any("died" in run for run in _runs(path)) for path in paths] == [False, True]
    optional = _Phrases(re.compile(r"lost\s+(?:my\s+)?job", re.I), ("lost my",))
    assert not all(
        any("lost my" in run for run in _runs(path)) for path in _paths(_parsed(optional))
    )


# --- 2. folding agrees with re.IGNORECASE, character by character -----------------------------


def test_folding_maps_every_character_as_ignorecase_does() -> None:
    needle_chars = sorted({ch for f in FAMILIES.values() for n in f.needles or () for ch in n})
    alphabet = re.compile("[" + re.escape("".join(needle_chars).replace(" ", "")) + "]", re.I)
    space = re.compile(r"\s")
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if code != 0x130:  # the one character whose lower case is two (i + combining dot)
            assert len(ch.lower()) == 1, hex(code)  # so folding keeps text in step
        folded = _folded(ch)
        assert len(folded) == 1, hex(code)
        if alphabet.fullmatch(ch):
            matched = [a for a in needle_chars if re.fullmatch(re.escape(a), ch, re.I)]
            assert matched == [folded], (hex(code), matched, folded)
        if space.fullmatch(ch):
            assert space.fullmatch(folded), hex(code)


# --- 3. texts that realise each path pass, and detect is unchanged ------------------------------


def _variants(text: str) -> Iterator[str]:
    """The text (``WHITE`` a space), in capitals, with odd white space where ``\\s`` matched,
    and with the letters IGNORECASE also matches to i, s and k."""
    plain = text.replace(WHITE, " ")
    yield plain
    yield plain.upper()
    yield text.replace(WHITE, "\u00a0\n\t ")
    yield plain.replace("i", "\u0131").replace("s", "\u017f").replace("k", "\u212a")
    yield plain.upper().replace("I", "\u0130")


def _samples(family: _Phrases) -> list[str]:
    return ["".join(ch for _, ch in path) for path in _paths(_parsed(family))]


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_a_text_realising_each_path_passes_the_filter(name: str) -> None:
    family = FAMILIES[name]
    for sample in _samples(family):
        for text in _variants(f"Well, {sample}. ok"):
            assert family.pattern.search(text), text  # the text does realise the path
            assert family.may_match(_folded(text)), text


def _literals_of_the_signal_tests() -> list[str]:
    here = Path(__file__).parent
    texts = []
    for name in ("test_signals.py", "test_import.py", "test_import_kill.py"):
        for node in ast.walk(ast.parse((here / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                texts.append(node.value)
    return texts


def _without_prefilters(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_Phrases, "may_match", lambda self, folded: True)


def _signals(turns: list[dict[str, str]], phrases: list[str], **fields: Any) -> list[Any]:
    found = detect(
        turns,
        outcome=fields.get("outcome"),
        csat=fields.get("csat"),
        actions=fields.get("actions", []),
        uncertainty_phrases=phrases,
    )
    return [(f.kind, f.evidence, f.reason, f.turn_index) for f in found]


def _cases() -> Iterator[tuple[list[dict[str, str]], dict[str, Any]]]:
    """Turns to run ``detect`` on: every realised path in every speaker's mouth, every string
    of the signal tests as a transcript and as each speaker's turn, and the SGD dialogues."""
    texts = [s for f in FAMILIES.values() for s in _samples(f)] + _literals_of_the_signal_tests()
    for text in texts:
        plain, upper, spaced, *_ = _variants(text)
        for variant in (plain, upper, spaced):
            yield parse_turns(variant), {}
        for speaker in ("customer", "agent", "notes"):
            turns = [
                {"speaker": "customer", "text": plain},
                {"speaker": speaker, "text": upper},
                {"speaker": "agent", "text": "Thanks, anything else?"},
                {"speaker": "customer", "text": spaced},
            ]
            yield turns, {"outcome": Outcome.resolved, "csat": 4}
    for name in ("dev_banks_dialogues.json", "train_banks_dialogues.json"):
        for dialogue in json.loads((SGD / name).read_text()):
            text = "\n".join(f"{t['speaker']}: {t['utterance']}" for t in dialogue["turns"])
            yield parse_turns(text), {}


def test_detect_finds_the_same_with_and_without_the_prefilters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cases = list(_cases())
    phrase_lists = [PHRASES, ODD_PHRASES]
    with_filters = [_signals(t, p, **f) for t, f in cases for p in phrase_lists]
    _without_prefilters(monkeypatch)
    without = [_signals(t, p, **f) for t, f in cases for p in phrase_lists]
    assert len(cases) > 10_000
    assert sum(map(bool, without)) > 1_000  # the corpus does fire
    assert with_filters == without
