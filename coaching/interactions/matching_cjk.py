"""Matching the Chinese and Japanese phrase families (``phrases_cjk``) in turns.

A turn is read in Chinese or Japanese when it holds a CJK character: kana make it Japanese, and
Han-only text follows the interaction's language (``foundation.language``), Chinese when that
is not Japanese. The text is NFKC-normalised (full-width letters and digits, half-width kana)
and, for Chinese, Traditional characters are mapped to Simplified; the phrase then matches as a
substring, with the negation and word-boundary checks described in ``phrases_cjk``. An
English-only interaction costs one search for a CJK character over the text the English
prefilters already joined.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Literal

from coaching.interactions.phrases_cjk import DRIVERS, TRADITIONAL, CjkPhrases
from coaching.interactions.phrases_ja import JA
from coaching.interactions.phrases_zh import ZH
from foundation.language import detect_language

_CJK = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc]")
# Where a clause ends: negation does not reach across it (as in English).
_CLAUSE = re.compile(r"[。！？!?；;：:，,、()「」『』\"\n]|但是|可是|不过|然而|但|しかし|でも|けど")
_PREFIX_WINDOW = 30
MAX_BRIDGES = 3

Family = Literal["uncertainty", "transfer", "escalation", "acknowledgement", "offline_help"]


def has_cjk(text: str) -> bool:
    """Does ``text`` hold a Chinese or Japanese character?"""
    return not text.isascii() and _CJK.search(text) is not None


class _Language:
    """One language's families, compiled."""

    def __init__(self, code: str, phrases: CjkPhrases) -> None:
        def rx(source: str) -> re.Pattern[str]:
            return re.compile(source, re.IGNORECASE)

        self.code = code
        self.families = {
            "uncertainty": rx(phrases.uncertainty),
            "transfer": rx(phrases.transfer),
            "escalation": rx(phrases.escalation),
            "acknowledgement": rx(phrases.acknowledgement),
            "offline_help": rx(phrases.offline_help),
            "dissatisfied": rx(phrases.dissatisfied),
        }
        self.not_a_gap_after = rx(phrases.not_a_gap_after)
        self.cues = rx("|".join(f"(?P<c{i}>{p})" for i, (_, p) in enumerate(phrases.cues)))
        self.categories = [category for category, _ in phrases.cues]
        # A negator or bridge word ending a text (longest first).
        self.negator_end = _ending_with(phrases.negators)
        self.bridge_end = _ending_with(phrases.bridges)
        self.negated_after = rx(phrases.negated_after) if phrases.negated_after else None
        self.bounded = phrases.bounded


def _ending_with(words: tuple[str, ...]) -> re.Pattern[str] | None:
    alternatives = "|".join(map(re.escape, sorted(words, key=len, reverse=True)))
    return re.compile(f"(?:{alternatives})\\s*$") if words else None


@cache
def _language(code: str) -> _Language:
    return _Language(code, ZH if code == "zh" else JA)


def normalise(text: str, language: str) -> str:
    """NFKC, and Traditional Chinese as Simplified for Chinese."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text.translate(TRADITIONAL) if language == "zh" else text


# --- negation and word boundaries -------------------------------------------------------------


def _negated(lang: _Language, text: str, start: int, end: int) -> bool:
    """Cancelled by a negator before it in its clause (bridges allowed) or, in Japanese, a
    negative ending right after it."""
    if lang.negated_after is not None and lang.negated_after.match(text, end):
        return True
    window = text[max(0, start - _PREFIX_WINDOW) : start]
    clauses = list(_CLAUSE.finditer(window))
    prefix = window[clauses[-1].end() :] if clauses else window
    if lang.negator_end is None:
        return False
    for _ in range(MAX_BRIDGES + 1):
        if lang.negator_end.search(prefix):
            return True
        bridge = lang.bridge_end.search(prefix) if lang.bridge_end else None
        if bridge is None:
            return False
        prefix = prefix[: bridge.start()]
    return False


_JANOME_LOCK = threading.Lock()


@cache
def _segmenter(language: str) -> Callable[[str], list[str]]:
    """Words of a text: jieba (dictionary only, no HMM guesses) or janome; loaded on first use
    (jieba about a second, janome a tenth)."""
    if language == "zh":
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        return lambda text: list(jieba.cut(text, HMM=False))
    from janome.tokenizer import Tokenizer

    tokenizer: Any = Tokenizer(wakati=True)

    def words(text: str) -> list[str]:
        with _JANOME_LOCK:  # janome's tokenizer is not documented as thread-safe
            return list(tokenizer.tokenize(text))

    return words


def words(text: str, language: str) -> list[str]:
    """``text`` split into words by the language's segmenter."""
    return _segmenter(language)(text)


@lru_cache(maxsize=256)
def _boundaries(text: str, language: str) -> frozenset[int]:
    offsets, position = {0}, 0
    for word in words(text, language):
        position += len(word)
        offsets.add(position)
    return frozenset(offsets)


def _whole_word(lang: _Language, text: str, start: int, end: int) -> bool:
    bounds = _boundaries(text, lang.code)
    return start in bounds and end in bounds


def _matches(lang: _Language, pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``pattern`` that are neither negated nor part of a longer word."""
    for match in pattern.finditer(text):
        if match.group(0) in lang.bounded and not _whole_word(lang, text, *match.span()):
            continue
        if not _negated(lang, text, *match.span()):
            yield match


# --- per interaction ---------------------------------------------------------------------------


def turns_language(turns: list[dict[str, str]]) -> str:
    """An interaction's language: of its agent's and customer's turns together (of its notes
    when it has neither, as a transcript with no speaker labels)."""
    spoken = [t["text"] for t in turns if t.get("speaker") in ("agent", "customer")]
    return detect_language("\n".join(spoken or [t["text"] for t in turns]))


@dataclass(frozen=True)
class Prepared:
    """A turn as the CJK families read it: its language ("zh" / "ja") and normalised text."""

    language: str
    text: str


class CjkTurns:
    """One interaction's turns as the CJK families read them, each turn prepared on first use.
    ``language`` is the interaction's (None: detected from the turns when first needed)."""

    def __init__(self, turns: list[dict[str, str]], language: str | None) -> None:
        self._turns = turns
        self._language = language
        self._prepared: dict[int, Prepared | None] = {}
        self._present: bool | None = None

    def present(self) -> bool:
        """Does any turn hold a CJK character? (Asked once: most contacts are English.)"""
        if self._present is None:
            self._present = has_cjk("".join([t["text"] for t in self._turns]))
        return self._present

    def interaction_language(self) -> str:
        if self._language is None:
            self._language = turns_language(self._turns)
        return self._language

    def turn(self, index: int) -> Prepared | None:
        """Turn ``index`` prepared; None when it has no CJK character."""
        if not self.present():
            return None
        if index not in self._prepared:
            text = self._turns[index]["text"]
            prepared = None
            if has_cjk(text):
                japanese = _KANA.search(text) or self.interaction_language() == "ja"
                code = "ja" if japanese else "zh"
                prepared = Prepared(code, normalise(text, code))
            self._prepared[index] = prepared
        return self._prepared[index]

    def _span(self, index: int, match: re.Match[str]) -> tuple[int, int]:
        """Where ``match`` is in the turn as stored. NFKC may change a turn's length (rarely):
        the span is then scaled, close enough for the evidence excerpt it is used for."""
        stored, normalised = len(self._turns[index]["text"]), len(match.string)
        start, end = match.span()
        if stored != normalised:
            start, end = start * stored // normalised, end * stored // normalised
        return start, end

    def phrase(self, index: int, family: Family) -> tuple[tuple[int, int], str] | None:
        """The first phrase of ``family`` in turn ``index`` that counts: (span, said)."""
        prepared = self.turn(index)
        if prepared is None:
            return None
        lang, text = _language(prepared.language), prepared.text
        for match in _matches(lang, lang.families[family], text):
            if family == "uncertainty" and lang.not_a_gap_after.match(text, match.end()):
                continue
            return self._span(index, match), match.group(0)
        return None

    def cue(self, index: int) -> tuple[str, str, tuple[int, int], str] | None:
        """The first vulnerability cue in turn ``index``: (category, driver, span, said)."""
        prepared = self.turn(index)
        if prepared is None:
            return None
        lang, text = _language(prepared.language), prepared.text
        for match in _matches(lang, lang.cues, text):
            category = lang.categories[int(str(match.lastgroup)[1:])]
            return category, DRIVERS[category], self._span(index, match), match.group(0)
        return None


def negated_after(text: str, end: int, language: str) -> bool:
    """Does a negative ending follow position ``end`` (Japanese only)?"""
    pattern = _language(language).negated_after
    return pattern is not None and pattern.match(text, end) is not None


def dissatisfied(text: str, language: str) -> str | None:
    """The first dissatisfaction phrase in a normalised ``text`` that counts, or None."""
    lang = _language(language)
    match = next(_matches(lang, lang.families["dissatisfied"], text), None)
    return match.group(0) if match else None
