"""Names from the import row (``customer_name``): where they occur in a text, for
``foundation.redaction``. Latin names match word-bounded, in any case, with or without accents
and in either order ("Wang Xiaoming" / "Xiaoming Wang"); a two-letter part counts only after a
title ("Mr Wu") or before an honorific ("Wu先生"), and a part that is also a common word
("Will") only when it reads as a name. Han and kana names match in the script the row gives, as
substrings (Chinese and Japanese put no spaces between words), with or without a space between
family and given name; a part alone ("王", "山田") only right before an honorific ("王先生",
"山田様"). Standard library only; nothing is compiled per customer (substring searches in
folded text).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from foundation.redaction_text import char_class, is_cjk

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
# Chinese and Japanese forms of address, written right after the name.
_HONORIFICS = tuple(
    "先生 女士 小姐 太太 夫人 老师 老師 师傅 師傅 阿姨 さん 様 さま 氏 殿 君 くん ちゃん".split()  # noqa: SIM905
)
# Between the family and the given name in a Chinese or Japanese name column.
_CJK_NAME_SEPARATORS = re.compile(r"[\s・·]+")

# How a needle counts: anywhere (word-bounded if Latin), after a title or before an honorific
# (a two-letter Latin part), or only before an honorific (a part of a Han or kana name).
_ANY, _TITLE, _HONORIFIC = "any", "title", "honorific"

# A two-letter name part (Wu, Li, Ng) is too short to match on its own; after a title it is not.
_SHORT_TITLES = tuple(
    f"{title}{dot} " for title in ("mr", "mrs", "ms", "miss", "mx", "dr") for dot in ("", ".")
)


def _is_word_char(ch: str) -> bool:
    """A letter, digit or underscore that is not Chinese or Japanese: next to a name those
    are a boundary ("我是Wang Xiaoming")."""
    return (ch.isalnum() or ch == "_") and not is_cjk(ch)


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


def _before_honorific(folded: str, end: int) -> bool:
    return folded.startswith(_HONORIFICS, end)


# Combining marks (accents written as a separate character after their letter).
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def _strip_accents(ch: str) -> str:
    return "".join(p for p in unicodedata.normalize("NFD", ch.casefold()) if not _MARKS.match(p))


@lru_cache(maxsize=1)
def _fold_tables() -> tuple[re.Pattern[str], dict[str, str], re.Pattern[str]]:
    """The non-ASCII letters that fold to one other character ("É" to "e"), a pattern finding
    them, and a pattern finding those that fold to none or several ("ß" to "ss", a combining
    accent to nothing). Only Latin, Greek, Cyrillic and the like fold; Chinese and Japanese
    characters are kept as they are (decomposing kana would only slow the search down)."""
    one: dict[str, str] = {}
    other: list[str] = []
    for cp in (*range(0x80, 0x3000), *range(0xFE20, 0xFE30)):
        ch = chr(cp)
        folded = _strip_accents(ch)
        if folded != ch:
            if len(folded) == 1:
                one[ch] = folded
            else:
                other.append(ch)
    return re.compile(char_class(one)), one, re.compile(char_class(other))


def _fold_char(ch: str) -> str:
    return _strip_accents(ch) if ord(ch) < 0x3000 or _MARKS.match(ch) else ch.lower()


def _fold(text: str) -> tuple[str, list[int] | None]:
    """``text`` lower-cased (case-folded) without accents, so "Siobhán", "SIOBHAN" and
    "siobhan" are one string; and, when the lengths differ, the index in ``text`` of each
    folded character (None: the same offsets). Text where every character folds to one
    (plain ASCII, Chinese, Japanese, most accented letters) takes the fast path."""
    if text.isascii():
        return text.lower(), None
    one_pattern, one, other = _fold_tables()
    if not other.search(text):
        if one_pattern.search(text):
            text = one_pattern.sub(lambda m: one[m.group()], text)
        return text.lower(), None
    chars: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for part in _fold_char(ch):
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


def _latin_needles(folded: str, needles: dict[str, str]) -> None:
    """The full name without titles, in its order and family name first ("xiaoming wang" and
    "wang xiaoming"), each part of 3+ letters (and each half of a hyphenated part), and a
    two-letter part after a title or before an honorific."""
    words = [w.strip('.,;:()[]"') for w in folded.split()]
    meaningful = [w for w in words if w and w.strip(".") not in _TITLES]
    if len(meaningful) > 1:
        needles[" ".join(meaningful)] = _ANY
        needles[" ".join([meaningful[-1], *meaningful[:-1]])] = _ANY
    for word in meaningful:
        for part in {word, *re.split(r"[\-\u2010]", word)}:
            letters = sum(ch.isalpha() for ch in part)
            if letters > 2:
                needles[part] = _ANY
            elif letters == 2:
                needles.setdefault(part, _TITLE)


def _cjk_needles(folded: str, needles: dict[str, str]) -> None:
    """The full name, with and without a space between family and given name (anywhere, as a
    substring), and the family or given name before an honorific. When the column has no space
    the split is unknown, so every split is tried: a prefix or suffix only counts right before
    an honorific, which the wrong split never is."""
    parts = [p for p in _CJK_NAME_SEPARATORS.split(folded) if p]
    joined = "".join(parts)
    if not joined:
        return
    needles[joined] = _ANY
    if len(parts) > 1:
        needles[" ".join(parts)] = _ANY
        needles.setdefault(parts[0], _HONORIFIC)
        if len(parts[-1]) > 1:
            needles.setdefault(parts[-1], _HONORIFIC)
        return
    for i in range(1, len(joined)):
        needles[f"{joined[:i]} {joined[i:]}"] = _ANY
        needles.setdefault(joined[:i], _HONORIFIC)
        if len(joined) - i > 1:
            needles.setdefault(joined[i:], _HONORIFIC)


@lru_cache(maxsize=4096)
def _name_needles(names: tuple[str, ...]) -> tuple[tuple[str, str, bool], ...]:
    """Folded strings to look for, longest first, each with how it counts and whether it must
    stand as a word (Latin) or may touch other characters (Han, kana). Plain substring search
    over the folded text: no regex to compile per customer."""
    needles: dict[str, str] = {}
    for raw in names:
        folded = _fold(raw)[0].strip()
        if is_cjk(folded):
            _cjk_needles(folded, needles)
        else:
            _latin_needles(folded, needles)
    ordered = sorted(needles.items(), key=lambda item: (-len(item[0]), item[0]))
    return tuple((needle, rule, not is_cjk(needle)) for needle, rule in ordered)


def _reads_as_name(text: str, start: int, end: int) -> bool:
    """For a name that is also a common word ("Will", "May", "Hope"): capitalised, and at the
    start of a sentence only when it stands alone ("Will, I'll check" but not "Will you")."""
    if not text[start].isupper():
        return False
    before = text[:start].rstrip(" \t")
    if before and before[-1] not in ".!?:\n。":
        return True
    return end == len(text) or text[end] in ",.!?;:"


def _counts(folded: str, start: int, end: int, rule: str, bounded: bool) -> bool:
    if bounded and (
        (start > 0 and _is_word_char(folded[start - 1]))
        or (end < len(folded) and _is_word_char(folded[end]))
    ):
        return False
    if rule == _TITLE:
        return _after_title(folded, start) or _before_honorific(folded, end)
    return rule == _ANY or _before_honorific(folded, end)


def name_spans(text: str, names: tuple[str, ...]) -> Iterator[tuple[int, int]]:
    needles = _name_needles(names)
    if not needles:
        return
    folded, index = _fold(text)
    for needle, rule, bounded in needles:
        start = folded.find(needle)
        while start != -1:
            end = start + len(needle)
            if _counts(folded, start, end, rule, bounded):
                span = _original_span(text, index, start, end)
                if needle not in _COMMON_WORDS or _reads_as_name(text, *span):
                    yield span
            start = folded.find(needle, start + 1)
