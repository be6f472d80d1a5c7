"""Phrase matching for the signals: word boundaries, apostrophes, negation, and the cheap
necessary conditions (needles) that let a pattern skip a text without changing a result.

Phrase matching (every rule below)
    Case-insensitive, on word boundaries, any run of white space between words, straight or curly
    apostrophes, and the apostrophe optional (``im not sure`` and ``dont know`` match). In a
    configured uncertainty phrase one adverb may follow a negation (``I'm not entirely sure``,
    ``I'm not 100% sure``, ``I don't really know`` match ``i'm not sure`` / ``i don't know``; the
    adverbs are really, entirely, totally, completely, quite, too, so, exactly, actually, fully,
    100%, 100 percent, a hundred percent).

Negation (the same rule for uncertainty, transfer, escalation, vulnerability cues, support
acknowledgements and dissatisfaction phrases)
    A match is cancelled when, inside the same clause, a negator stands right before it or is
    separated from it only by "bridge" words. Clauses end at ``. ! ? ; : , ( ) "``, a line break,
    and "but / however / although / though". Only the words before a match are read: a negation
    inside the phrase itself ("I'm not sure") is part of the phrase.

    - Negators: not, never, without, cannot, unable, nor, neither, no, none, nobody, and every
      ``n't`` word (also written without the apostrophe: dont, cant, wont, ...).
    - Bridges (at most four): need(s/ed), to, have / has / had, going, gonna, got, be, been,
      being, ever, even, really, actually, able, any, a, an, in, currently, yet, think, believe,
      expect, want, mean, will, would, should, must, i, you, we, they.
    - A bare "no" right before a phrase that starts with a pronoun is an interjection, not a
      negator ("no I'm not sure" in chat fires); before anything else it is a determiner ("I have
      no debt" is cancelled).

    So "no need to check", "you don't need to check with anyone", "I don't think I need to check
    with anyone", "I'm not unsure" (with ``unsure`` configured), "I'm not able to transfer you",
    "I haven't lost my job", "I don't have any debt" and "I'm not in arrears" are cancelled, while
    "No, I'm not sure" and "I can't say, I'm not sure" fire. "I'm sure" never fires: it matches
    no phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

# --- phrase matching -------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_APOS_CLASS = "['\u2019\u2018`]"
_TO_STRAIGHT = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_NEGATION_ADVERB = (
    r"(?:(?:really|entirely|totally|completely|quite|too|so|exactly|actually|fully|100%|"
    r"100 percent|a hundred percent)\s+)?"
)


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a phrase family: word-bounded, case-insensitive, flexible space and apostrophes."""
    body = pattern.replace("'", _APOS_CLASS + "?").replace(" ?", r"\s*").replace(" ", r"\s+")
    return re.compile(r"(?<![\w'])(?:" + body + r")(?!\w)", re.IGNORECASE)


_NEGATORS = _words(
    """not never without cannot unable nor neither no none nobody dont doesnt didnt cant wont isnt
    arent wasnt werent havent hasnt hadnt shouldnt wouldnt couldnt neednt mustnt shant aint"""
)
_BRIDGES = _words(
    """need needs needed to have has had going gonna got be been being ever even really actually
    able any a an in currently yet think believe expect want mean will would should must i you we
    they"""
)
_PRONOUNS = _words(
    """i i'm i'll i've i'd im we we're we'll we've you you're you'll he she it it's they they're
    that that's this"""
)
_CLAUSE_WORDS = frozenset({"but", "however", "although", "though"})
_PREFIX_TOKEN = re.compile(r"[a-z0-9%]+(?:'[a-z]+)*|[.!?;:,()\"\n]")
_PREFIX_WINDOW = 100
_MAX_BRIDGES = 4


def _negated(text: str, start: int, matched: str) -> bool:
    """Is the match at ``start`` cancelled by a negator earlier in its clause? (module docstring)"""
    prefix = text[max(0, start - _PREFIX_WINDOW) : start].lower().translate(_TO_STRAIGHT)
    first = matched.lower().translate(_TO_STRAIGHT).split(maxsplit=1)[0] if matched else ""
    bridged = 0
    for word in reversed(_PREFIX_TOKEN.findall(prefix)):
        if word in _CLAUSE_WORDS or not word[0].isalnum():
            return False
        if word in _NEGATORS or word.endswith("n't"):
            # A bare "no" right before "I'm not sure" is an interjection, not a negator.
            return not (word == "no" and bridged == 0 and first in _PRONOUNS)
        if word in _BRIDGES and bridged < _MAX_BRIDGES:
            bridged += 1
            continue
        return False
    return False


def _first(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """The first match of ``pattern`` in ``text`` that is not negated."""
    for match in pattern.finditer(text):
        if not _negated(text, match.start(), match.group(0)):
            return match
    return None


# --- cheap necessary conditions --------------------------------------------------------------
# A phrase family's regex tries each of its alternatives at every position of a text: tens of
# microseconds a turn. So each family also lists needles: lower-case words (a space in one
# stands for any run of white space), one of which every match holds once the text is folded
# (``_folded``). A text holding none of them cannot match and is not read: all of a family's
# needles are looked for in one search that tests a few characters per position. Proven, not
# hoped: tests/coaching/interactions/test_signal_prefilters.py walks every path through each
# family's
# pattern and finds a needle on it, and checks ``_folded`` against ``re.IGNORECASE`` for every
# character.


def _folded(text: str) -> str:
    """``text`` as needles are looked for in it: lower case, and the only non-ASCII letters
    that re.IGNORECASE matches to an ASCII one without being its upper case (U+0130 capital I
    with a dot and U+0131 dotless i match i; U+017F long s matches s) made that letter."""
    if not text.isascii():
        text = text.replace("\u0130", "i").replace("\u0131", "i").replace("\u017f", "s")
    return text.lower()


class _Phrases:
    """A phrase family: its pattern, and needles that every match holds (see above); no
    needles means no cheap condition is known, and the pattern always runs."""

    def __init__(self, pattern: re.Pattern[str], needles: tuple[str, ...] | None) -> None:
        self.pattern = pattern
        self.needles = needles
        # All the needles in one search, as a trie: a few character tests per position.
        self._any_needle = re.compile(_trie(needles)) if needles is not None else None

    def may_match(self, folded: str) -> bool:
        """False only when ``pattern`` cannot match the text that ``folded`` was made from."""
        return self._any_needle is None or self._any_needle.search(folded) is not None


def _trie(needles: Iterable[str]) -> str:
    """A regex (no flags) that matches where any of ``needles`` starts, a space standing for
    any white space: one branch per next character, so died, depress and dementia make
    ``d(?:e(?:mentia|press)|ied)``."""
    if "" in needles:
        return ""  # a needle ends here: whatever follows, it has matched
    branches: dict[str, list[str]] = {}
    for needle in needles:
        branches.setdefault(needle[0], []).append(needle[1:])
    alternatives = [
        (r"\s+" if first == " " else re.escape(first)) + _trie(rest)
        for first, rest in sorted(branches.items())
    ]
    return alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"


class _Folded:
    """One interaction's turns, folded (``_folded``) when first needed: each turn alone, and
    all the turns of some speakers in one text (a family that matches none of them is not
    tried turn by turn)."""

    def __init__(self, turns: list[dict[str, str]]) -> None:
        self._turns = turns
        self._each: dict[int, str] = {}
        self._speakers: dict[tuple[str, ...], str] = {}

    def turn(self, index: int) -> str:
        if index not in self._each:
            self._each[index] = _folded(self._turns[index]["text"])
        return self._each[index]

    def speakers(self, *speakers: str) -> str:
        if speakers not in self._speakers:
            texts = (t["text"] for t in self._turns if t.get("speaker") in speakers)
            self._speakers[speakers] = _folded("\n".join(texts))
        return self._speakers[speakers]


def _said(family: _Phrases, text: str, folded: str) -> bool:
    """Does ``text`` (folded: ``folded``) hold a phrase of ``family`` that is not negated?"""
    return family.may_match(folded) and _first(family.pattern, text) is not None


@lru_cache(maxsize=32)
def _uncertainty_pattern(phrases: tuple[str, ...]) -> tuple[_Phrases | None, tuple[str, ...]]:
    """One alternation of the configured phrases, longest first; group ``p<i>`` is phrase i."""
    cleaned = sorted(
        {" ".join(p.lower().translate(_TO_STRAIGHT).split()) for p in phrases if p.strip()},
        key=len,
        reverse=True,
    )
    if not cleaned:
        return None, ()
    alternatives = []
    for i, phrase in enumerate(cleaned):
        words = phrase.split(" ")
        body = ""
        for j, word in enumerate(words):
            body += re.escape(word).replace("'", _APOS_CLASS + "?")
            if j < len(words) - 1:
                body += r"\s+"
                if word in ("not", "never") or word.endswith("n't"):
                    body += _NEGATION_ADVERB
        alternatives.append(f"(?P<p{i}>{body})")
    pattern = re.compile(r"(?<![\w'])(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
    needles = tuple(needle for needle in map(_phrase_needle, cleaned) if needle)
    return _Phrases(pattern, needles if len(needles) == len(cleaned) else None), tuple(cleaned)


def _phrase_needle(phrase: str) -> str | None:
    """The longest part of a configured phrase that every match of its alternative holds,
    folded: words and the single spaces between them, cut where the pattern lets the text
    differ (an apostrophe is optional, an adverb may follow a negation) and at anything but
    ASCII letters and digits (whose IGNORECASE matches ``_folded`` may not map). None when
    nothing is left."""
    runs, run = [], ""
    words = phrase.split(" ")
    for j, word in enumerate(words):
        for k, piece in enumerate(word.split("'")):
            if k:
                runs.append(run)
                run = ""
            run += piece
        if j < len(words) - 1:
            if word in ("not", "never") or word.endswith("n't"):
                runs.append(run)
                run = ""
            else:
                run += " "
    runs.append(run)
    parts = [part.strip() for r in runs for part in re.split(r"[^a-z0-9 ]+", r)]
    return max(parts, key=len) or None


_PREVIOUS_WORD = re.compile(r"(\w+)(\W*)$")
_NEXT_WORD = re.compile(r"(\W*)(\w+)")


def _in_title(text: str, match: re.Match[str]) -> bool:
    """A capitalised cue next to another capitalised word in the same sentence is part of a
    name ("A Madea Family Funeral", "Cancer Research UK"), not a cue."""
    if not text[match.start()].isupper():
        return False
    neighbours = (
        _PREVIOUS_WORD.search(text, max(0, match.start() - 40), match.start()),
        _NEXT_WORD.match(text, match.end()),
    )
    for found, word_group, gap_group in zip(neighbours, (1, 2), (2, 1), strict=True):
        if found is None or any(c in ".!?\n" for c in found.group(gap_group)):
            continue
        word = found.group(word_group)
        if word[0].isupper() and word != "I":
            return True
    return False


_NOT_A_GAP_AFTER = re.compile(
    (
        r"\s*,?\s*(?:"
        r"(?:if|whether)\s+you(?:'(?:ve|re|d))?\s+"
        r"(?:(?:have|had|are|were|ever|already|even|maybe|perhaps|might|may)\s+)*"
        r"(?:seen|heard|noticed|tried|used|know|knew|realised|realized|aware|come\s+across|"
        r"came\s+across|saw|downloaded|checked\s+out)\b"
        r"|about\s+you\b"
        r"|your\s+(?:pin|password|passcode|passwords|memorable|security|login|full\s+card)"
        r"|(?:that\s+)?i\s+(?:caught|heard|got|followed)\s+(?:that|you|your|what|all)\b"
        r")"
    ).replace("'", _APOS_CLASS + "?"),
    re.IGNORECASE,
)
