"""Theme names as short phrases that occur in the members' own texts ("card payment still
pending", "国际转账还没有到账"), instead of keywords joined together. Pure functions, no database.

A text comes in as a sequence of tokens, ``(key, word)``: ``key`` the token as matched across
texts (lower-cased English, the written form in Chinese and Japanese), ``word`` its content
word (what c-TF-IDF counts) or ``None`` for a function word; ``None`` in place of a token marks
where no phrase may run across (punctuation, numbers, redaction tokens, speaker labels).

Candidates (``candidates``): every run of tokens inside one stretch between breaks that starts
and ends on a token the caller allows at an edge (a content word: "top" of "top up failed"
is one, see ``keywords._KEEP``), with ``Shape``'s bounds on its content words and its
length. Function words may sit inside ("transfer not received").

Score (``score``), the product of:
- support ``** SUPPORT_POWER``: how many of the cluster's texts use all the phrase's content
  words, in any order (what share of the theme it speaks for);
- the sum of its distinct content words' weights, which the caller gives (``keywords``: the
  share of the cluster's texts using the word, times a mild inverse document frequency, so
  "card" in every cluster counts for less than "pending");
- ``LENGTH_DECAY`` per token: of two phrases saying as much, the shorter wins;
- ``1 - GLUED`` for a phrase that never stands apart in a text (a content word right before
  or after it: a fragment of a longer phrase), up to 1 for one that always does.
A phrase must occur as written in ``min_df`` texts. Ties break alphabetically, so names are
deterministic. The constants were chosen on BANKING77 ``train.csv`` clusters with
``bench/naming_metrics.py`` (``name_hit`` varied by about 0.01 over the grid near them; the
choice among those favoured fewer fragments).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

Token = tuple[str, str | None]
Key = tuple[str, ...]

SUPPORT_POWER = 0.3
LENGTH_DECAY = 0.9
GLUED = 0.7  # the share of the score a phrase loses when it never stands apart
IDF_POWER = 0.25  # for the caller's word weights (``keywords``)


@dataclass(frozen=True)
class Shape:
    """Bounds of a candidate: content words, and tokens in all (function words included)."""

    min_content: int
    max_content: int
    max_tokens: int


ENGLISH = Shape(min_content=2, max_content=6, max_tokens=6)  # a name of 2 to 6 words
CJK = Shape(min_content=2, max_content=4, max_tokens=6)


def stretches(tokens: Sequence[Token | None]) -> list[list[Token]]:
    """The runs of tokens between breaks."""
    out: list[list[Token]] = [[]]
    for token in tokens:
        if token is None:
            if out[-1]:
                out.append([])
        else:
            out[-1].append(token)
    return [run for run in out if run]


@dataclass(frozen=True)
class Found:
    """A candidate in one text: its content words in order (no repeats), and whether it stood
    apart there at least once (no content word right before or after it): "card payment"
    inside "card payment pending" does not, "long does a transfer" before "take" does not."""

    words: tuple[str, ...]
    closed: bool


# Function words that bind to the word after them: a phrase right after one is the tail of a
# longer one ("how [long it takes]"), a phrase right before one is cut short ("[soon can I
# expect] my refund").
GLUE_BEFORE = frozenset({"how", "which", "what", "so", "too", "very"})
GLUE_AFTER = frozenset({"my", "the", "a", "an", "your", "our", "their", "his", "her", "this"})


def _closed(run: list[Token], start: int, end: int) -> bool:
    if start > 0 and (run[start - 1][1] is not None or run[start - 1][0] in GLUE_BEFORE):
        return False
    return end + 1 == len(run) or (run[end + 1][1] is None and run[end + 1][0] not in GLUE_AFTER)


def candidates(
    tokens: Sequence[Token | None],
    edge: Callable[[Token], bool],
    shape: Shape,
    last_as_word: bool = False,
    last: Callable[[Token], bool] | None = None,
) -> dict[Key, Found]:
    """Each candidate phrase of one text. ``last_as_word``: the last token's key is its
    content word (a Japanese verb's base form, so a name ends ``忘れる``, not on a stem);
    ``last``: whether a token may end a phrase, when that is stricter than ``edge``."""
    out: dict[Key, Found] = {}
    for run in stretches(tokens):
        edges = [edge(t) for t in run]
        ends = [e and (last is None or last(t)) for e, t in zip(edges, run, strict=True)]
        keys = [t[0] for t in run]
        for start in range(len(run)):
            if not edges[start]:
                continue
            content = 1
            for end in range(start + 1, min(len(run), start + shape.max_tokens)):
                content += run[end][1] is not None
                if content > shape.max_content:
                    break
                if content < shape.min_content or not ends[end]:
                    continue
                key = keys[start : end + 1]
                if last_as_word:
                    key[-1] = run[end][1] or key[-1]
                found = out.get(tuple(key))
                if found is None or not found.closed:
                    words = tuple(dict.fromkeys(t[1] for t in run[start : end + 1] if t[1]))
                    out[tuple(key)] = Found(words, _closed(run, start, end))
    return out


@dataclass
class Tally:
    """Candidates counted over one cluster's texts: in how many texts each occurs (``df``)
    and stands apart (``closed``), and which texts use each content word (``texts``, a bit
    per text) for a phrase's support."""

    df: Counter[Key] = field(default_factory=Counter)
    closed: Counter[Key] = field(default_factory=Counter)
    words: dict[Key, tuple[str, ...]] = field(default_factory=dict)
    texts: dict[str, int] = field(default_factory=dict)
    size: int = 0

    def add(self, found: Mapping[Key, Found], content: Iterable[str]) -> None:
        """One more text: its candidates and its content words."""
        bit = 1 << self.size
        self.size += 1
        for word in set(content):
            self.texts[word] = self.texts.get(word, 0) | bit
        for key, one in found.items():
            self.df[key] += 1
            self.closed[key] += one.closed
            # The same written phrase can be read as different words (janome's base forms
            # depend on context): keep the least, so the input's order does not matter.
            seen = self.words.get(key)
            self.words[key] = one.words if seen is None else min(seen, one.words)

    def support(self, key: Key) -> int:
        """The texts that use all of a phrase's content words, in any order."""
        common = -1
        for word in self.words[key]:
            common &= self.texts.get(word, 0)
        return common.bit_count()


def score(tally: Tally, key: Key, weight: Callable[[str], float]) -> float:
    """The module docstring's score of one candidate."""
    apart = tally.closed[key] / tally.df[key]
    return (
        math.pow(tally.support(key), SUPPORT_POWER)
        * sum(map(weight, tally.words[key]))
        * LENGTH_DECAY ** len(key)
        * (1.0 - GLUED + GLUED * apart)
    )


def best(tally: Tally, weight: Callable[[str], float], min_df: int) -> Key | None:
    """The best-scoring phrase that occurs in ``min_df`` texts, or ``None`` when none does."""
    found = ranked(tally, weight, min_df)
    return found[0] if found else None


def ranked(tally: Tally, weight: Callable[[str], float], min_df: int) -> list[Key]:
    """The phrases that occur in ``min_df`` texts, best first (ties alphabetically)."""
    scored = [(-score(tally, key, weight), key) for key, df in tally.df.items() if df >= min_df]
    return [key for _, key in sorted(scored)]
