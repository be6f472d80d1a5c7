"""How well theme names read: ``name_hit`` and ``name_phrase`` (issue 15). Pure functions.

Words: a text is lower-cased, apostrophes are removed (``hasn't`` -> ``hasnt``) and it is split
on every character that is not a letter or a digit, so case and punctuation are ignored.

Stop words: scikit-learn's ``ENGLISH_STOP_WORDS`` (318 words) less ``DOMAIN_WORDS``, 13 words
its list drops that name contact-centre problems: amount, back, bill, call, detail, empty, fire,
full, interest, move, name, system, top ("top up failed", "bill payment", "call back"; the
product keeps the same 13 as content words).

Stemming (``stem``): a small suffix stemmer of our own, the same on every machine (no NLTK):
``sses`` -> ``ss``; ``ies``/``ied`` -> ``y``; then one of ``ing``, ``ed``, ``es``, ``s`` is
removed when at least three letters stay (``s`` not after ``s``, ``u`` or ``i``: ``bus``,
``status``, ``this``), a doubled final consonant other than l, s or z left by ``ing``/``ed``
is undoubled (``topping`` -> ``top``, but ``called`` -> ``call``), and a final ``e`` is
dropped (``charge``, ``charges``, ``charged``, ``charging`` -> ``charg``; ``declined`` and
``decline`` -> ``declin``).

- ``name_hit``: the share of themes whose name contains a word, stemmed, of its members' most
  common true label (ties: the alphabetically first label), a label's words being its parts
  split on ``_``, ``-`` and spaces, stop words left out (``card_payment_not_recognised`` ->
  card, payment, recognised). A theme whose label has no such word counts as a miss.
- ``name_phrase``: the share of themes whose name has 2 to 6 words, neither its first nor its
  last word a stop word, and occurs as one run of words in at least one member's text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import cache

_WORD = re.compile(r"[^\W_]+")
_LABEL_SPLIT = re.compile(r"[_\-\s]+")
_UNDOUBLE = set("bcdfghjkmnpqrtvwx")  # consonants, less l, s and z


DOMAIN_WORDS = frozenset(
    {"amount", "back", "bill", "call", "detail", "empty", "fire", "full", "interest", "move"}
    | {"name", "system", "top"}
)


@cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words less ``DOMAIN_WORDS``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS) - DOMAIN_WORDS


def words(text: str) -> list[str]:
    """Lower-cased words, apostrophes removed, split on anything but letters and digits."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def stem(word: str) -> str:
    """The suffix stemmer of the module docstring."""
    if word.endswith("sses"):
        return word[:-2]
    if len(word) > 4 and word.endswith(("ies", "ied")):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word[-2] in "sui":
            continue
        word = word[: -len(suffix)]
        if suffix in ("ing", "ed") and word[-1] == word[-2] and word[-1] in _UNDOUBLE:
            word = word[:-1]
        break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def label_words(label: str) -> set[str]:
    """A true label's content words, stemmed."""
    parts = _LABEL_SPLIT.split(label.lower())
    return {stem(p) for p in parts if p and p not in stop_words()}


def _most_common(labels: Sequence[str]) -> str | None:
    counts = Counter(labels)
    return min(counts, key=lambda label: (-counts[label], label)) if counts else None


def name_hit(names: list[str], member_labels: list[list[str]]) -> float:
    """Share of themes whose name holds a stemmed content word of its most common label."""
    if not names:
        return 0.0
    hits = 0
    for name, labels in zip(names, member_labels, strict=True):
        label = _most_common(labels)
        found = {stem(w) for w in words(name)}
        hits += label is not None and bool(label_words(label) & found)
    return hits / len(names)


def _runs_in(needle: list[str], haystack: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def is_phrase(name: str, texts: Sequence[str]) -> bool:
    """Whether one name meets ``name_phrase``'s definition for its members' ``texts``."""
    found = words(name)
    if not 2 <= len(found) <= 6 or found[0] in stop_words() or found[-1] in stop_words():
        return False
    return any(_runs_in(found, words(text)) for text in texts)


def name_phrase(names: list[str], member_texts: list[list[str]]) -> float:
    """Share of themes whose name is a 2-6 word phrase of a member's text (module docstring)."""
    if not names:
        return 0.0
    hits = sum(is_phrase(name, texts) for name, texts in zip(names, member_texts, strict=True))
    return hits / len(names)
