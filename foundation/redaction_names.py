"""Names from the import row (``customer_name``): where they occur in a text, in any case and
with or without accents, for ``foundation.redaction``. A two-letter part counts only after a
title ("Mr Wu"); a part that is also a common word ("Will") only when it reads as a name.
Standard library only; nothing is compiled per customer (substring searches in folded text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

_TITLES = frozenset({"mr", "mrs", "miss", "ms", "mx", "dr", "sir", "lady", "lord", "rev", "prof"})
# Name parts that are also everyday words: only redacted when they read as a name.
_COMMON_WORDS = frozenset(
    """
    will may mark bill grace hope frank rose dawn joy ray don sue june april august faith jack
    rich sunny pat art guy summer amber ruby pearl holly ivy iris lily daisy heather penny
    robin victor carol chase hunter mason cash sterling bank banks price rice white black
    brown green young king hall wood hill long short little best page lane west north south
    cook baker ward wells field fields card cards money saving savings
    van von der den del della bin ibn
    """.split()  # noqa: SIM905 - a word list reads better as text
)


# A two-letter name part (Wu, Li, Ng) is too short to match on its own; after a title it is not.
_SHORT_TITLES = tuple(
    f"{title}{dot} " for title in ("mr", "mrs", "ms", "miss", "mx", "dr") for dot in ("", ".")
)


def _after_title(lowered: str, start: int) -> bool:
    for title in _SHORT_TITLES:
        before = start - len(title)
        if (
            before >= 0
            and lowered.startswith(title, before)
            and (before == 0 or not _is_word_char(lowered[before - 1]))
        ):
            return True
    return False


# Combining marks (accents written as a separate character after their letter).
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` lower-cased (case-folded) without accents, so "Siobhán", "SIOBHAN" and
    "siobhan" are one string; and, when the lengths differ, the index in ``text`` of each
    folded character (None: the same offsets). Plain ASCII and text whose only non-ASCII
    characters are unaccented (a "£") take the fast path."""
    if text.isascii():
        return text.lower(), None
    decomposed = unicodedata.normalize("NFD", text)
    if len(decomposed) == len(text) and not _MARKS.search(decomposed):
        folded = decomposed.casefold()
        if len(folded) == len(text):
            return folded, None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for part in unicodedata.normalize("NFD", ch.casefold()):
            if not _MARKS.match(part):
                chars.append(part)
                index.append(i)
    return "".join(chars), index


def _original_span(text: str, index: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The span of ``text`` a folded span came from, with any accents after its last letter."""
    if index is None:
        return start, end
    start, end = index[start], index[end - 1] + 1
    while end < len(text) and _MARKS.match(text[end]):
        end += 1
    return start, end


@lru_cache(maxsize=4096)
def _name_needles(names: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """Folded strings to look for, longest first, each with whether it only counts after a
    title: the full name without titles, each part of 3+ letters (and each half of a
    hyphenated part), and a two-letter part after a title ("Mr Wu"). Plain substring search
    over the folded text: no regex to compile per customer."""
    needles: dict[str, bool] = {}
    for raw in names:
        words = [w.strip('.,;:()[]"') for w in _fold(raw)[0].split()]
        meaningful = [w for w in words if w and w.strip(".") not in _TITLES]
        if len(meaningful) > 1:
            needles[" ".join(meaningful)] = False
        for word in meaningful:
            for part in {word, *re.split(r"[\-\u2010]", word)}:
                letters = sum(ch.isalpha() for ch in part)
                if letters > 2:
                    needles[part] = False
                elif letters == 2:
                    needles.setdefault(part, True)
    return tuple(sorted(needles.items(), key=lambda item: (-len(item[0]), item[0])))


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _reads_as_name(text: str, start: int, end: int) -> bool:
    """For a name that is also a common word ("Will", "May", "Hope"): capitalised, and at the
    start of a sentence only when it stands alone ("Will, I'll check" but not "Will you")."""
    if not text[start].isupper():
        return False
    before = text[:start].rstrip(" \t")
    if before and before[-1] not in ".!?:\n":
        return True
    return end == len(text) or text[end] in ",.!?;:"


def name_spans(text: str, names: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    needles = _name_needles(names)
    if not needles:
        return
    folded, index = _fold(text)
    size = len(folded)
    for needle, after_title_only in needles:
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            if (
                (start == 0 or not _is_word_char(folded[start - 1]))
                and (end == size or not _is_word_char(folded[end]))
                and (not after_title_only or _after_title(folded, start))
            ):
                span = _original_span(text, index, start, end)
                if needle not in _COMMON_WORDS or _reads_as_name(text, *span):
                    yield span
            start = folded.find(needle, start + 1)
