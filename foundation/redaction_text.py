"""Text helpers shared by the PII recognizers (``foundation.redaction_patterns`` and
``foundation.redaction_cjk``): the normalisation that runs before matching, the character
classes that keep number and word boundaries right next to Chinese and Japanese text, number
boundaries, context windows and finders. Standard library only; tables are built on first use.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

#: Finds the (start, end) spans of one entity type in a text.
Finder = Callable[[str], Iterable[tuple[int, int]]]

# Han, kana, Hangul, CJK punctuation and their compatibility and half-width forms. Python's \w
# matches all of them, but Chinese and Japanese put no space between a word and a number, so
# next to a number or an address they are a boundary, not part of a word.
CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
#: A word character that is not CJK (Latin letters, digits, underscore...).
WORD = rf"[^\W{CJK}]"
#: Right after a pattern's first character: the character before that one is not a (non-CJK)
#: word character. Equivalent to a lookbehind before the match, but a pattern that starts with a
#: character (not an assertion) lets the regex engine skip straight to the candidates (~10x).
FIRST = rf"(?<!{WORD}.)"
#: A letter or digit that is not CJK.
ALNUM = rf"[^\W_{CJK}]"
#: A letter that is not CJK.
LETTER = rf"[^\W\d_{CJK}]"
_CJK_CHAR = re.compile(rf"[{CJK}]")
# \b where Chinese and Japanese characters are not word characters ("我的sort code是...").
_BOUNDARY = rf"(?:(?<!{WORD})(?={WORD})|(?<={WORD})(?!{WORD}))"


def words(pattern: str) -> str:
    """``pattern`` with each ``\\b`` a boundary that Chinese and Japanese text also makes."""
    return pattern.replace(r"\b", _BOUNDARY)


# Characters of context looked at before and after a match.
BEFORE = 100
AFTER = 40

# What follows a number that is an amount, a date, a time or a count, not an identifier:
# 1234567元, 2024年, 15日, 3号, 15時, 12345678円, 100万.
_UNITS = (
    "[元円圆圓万萬亿億千百块塊角年月日号號时時点點分秒个個件笔筆次天周週歳岁人名位台枚回]"
    "|ドル|ポンド|ユーロ|美元|英镑|英鎊|欧元|歐元|港币|港幣"
)

# A number that is not part of a larger number, amount, date or time. Patterns start with a
# digit (so the regex engine can skip ahead to digits) and then look behind that digit
# (``NOT_CONTINUING``, after a pattern's first digit): no
# (non-CJK) word character, currency sign or sign right before it, and no digit then a decimal
# point, thousands separator, slash or colon ("1.5", "1,234", "12/03", "14:35"). A label's
# colon or comma is fine ("账号:12345678", "account,12345678").
NOT_CONTINUING = r"(?<!" + WORD + r"\d)(?<![£$€¥₩+\-第]\d)(?<!\d[.,/:]\d)"
NUM_START = r"\d" + NOT_CONTINUING
NUM_END = rf"(?!{WORD}|[/:]|[.,]\d|{_UNITS})"

# Dashes typed between the digits of a phone number in Japanese and Chinese input methods
# (ー is the katakana long-vowel mark, which IMEs offer for "-").
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70"


@lru_cache(maxsize=1)
def _nfkc() -> tuple[re.Pattern[str], dict[str, str]]:
    """Every character whose NFKC form is one other character (full-width digits, letters
    and punctuation, the ideographic space, half-width katakana, compatibility ideographs),
    the replacement of each, and a pattern finding them and the dashes. Characters NFKC
    expands into several ("½", "™") are kept, so offsets in the normalised text are offsets
    in the original. Built on first use (~30 ms)."""
    table: dict[str, str] = {}
    # The Basic Multilingual Plane only: a class within it compiles to a bitmap, one lookup
    # per character (with astral characters the regex engine scans a list of ranges).
    for block in (range(0xA0, 0xD800), range(0xE000, 0x10000)):
        for cp in block:
            ch = chr(cp)
            form = unicodedata.normalize("NFKC", ch)
            if len(form) == 1 and form != ch:
                table[ch] = form
    return re.compile(char_class([*table, *_DASHES])), table


def char_class(chars: Iterable[str]) -> str:
    """A regex character class of ``chars``, with runs written as ranges."""
    points = sorted({ord(ch) for ch in chars})
    parts: list[str] = []
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1] == points[j] + 1:
            j += 1
        first, last = re.escape(chr(points[i])), re.escape(chr(points[j]))
        parts.append(first if i == j else f"{first}-{last}")
        i = j + 1
    return "[" + "".join(parts) + "]"


def normalize(text: str) -> str:
    """``text`` with full-width and other compatibility characters in their NFKC form
    ("０７７００　９００４６１" is "07700 900461", "＠" is "@") and dashes between digits as "-",
    character for character: the result has the same length, so a span found in it is the
    same span of ``text``, whose characters are what the stored text keeps."""
    if text.isascii():
        return text
    pattern, table = _nfkc()

    def replace(m: re.Match[str]) -> str:
        ch, i = m.group(), m.start()
        between_digits = 0 < i < len(text) - 1 and (text[i - 1] + text[i + 1]).isdecimal()
        if ch in _DASHES and between_digits:
            return "-"
        return table.get(ch, ch)

    return pattern.sub(replace, text)


def is_cjk(text: str) -> bool:
    """Whether ``text`` contains a Han, kana or Hangul character."""
    return _CJK_CHAR.search(text) is not None


def near(
    context: re.Pattern[str],
    text: str,
    start: int,
    end: int,
    before: int = BEFORE,
    after: int = AFTER,
) -> bool:
    """Whether ``context`` occurs up to ``before`` characters before the span or ``after``
    characters after it."""
    return bool(
        context.search(text, max(0, start - before), start)
        or (after and context.search(text, end, min(len(text), end + after)))
    )


def matches(
    pattern: re.Pattern[str], accept: Callable[[re.Match[str], str], bool] | None = None
) -> Finder:
    """A finder: the spans of ``pattern``'s matches that ``accept(match, text)`` keeps."""

    def find(text: str) -> Iterator[tuple[int, int]]:
        for m in pattern.finditer(text):
            if accept is None or accept(m, text):
                yield m.span()

    return find


def digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())
