"""The structured recognizers of customer PII (``foundation.redaction`` uses them): each entity
type's regex, its validation (Luhn, mod-97, HMRC prefixes, dates that are not sort codes), the
context read from the text around a match (in English, Chinese and Japanese), and each type's
cheap necessary condition (``NEEDS``) that lets a recognizer be skipped without ever causing a
miss. The Chinese and Japanese formats are in ``foundation.redaction_cjk``. Every pattern runs
on normalised text (``redaction_text.normalize``) and treats Chinese and Japanese characters
next to a number or an address as a boundary. The table of what each one accepts is in
``foundation/redaction.py``'s docstring. Standard library only.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from foundation.redaction_cjk import (
    ACCOUNT_WORDS_CJK,
    ADDRESS_WORDS_CJK,
    CJK_FINDERS,
    POSTCODE_WORDS_CJK,
    SORT_WORDS_CJK,
)
from foundation.redaction_text import (
    ALNUM,
    FIRST,
    LETTER,
    NUM_END,
    NUM_START,
    WORD,
    Finder,
    matches,
    near,
    words,
)

CARD = "CARD"
IBAN = "IBAN"
EMAIL = "EMAIL"
PHONE = "PHONE"
SORT_CODE = "SORT_CODE"
ACCOUNT_NUMBER = "ACCOUNT_NUMBER"
NI_NUMBER = "NI_NUMBER"
POSTCODE = "POSTCODE"
ID_NUMBER = "ID_NUMBER"
NAME = "NAME"

#: Every entity type and the token that replaces it.
TOKENS: dict[str, str] = {
    entity: f"[{entity}]"
    for entity in (
        CARD,
        IBAN,
        EMAIL,
        PHONE,
        SORT_CODE,
        ACCOUNT_NUMBER,
        NI_NUMBER,
        POSTCODE,
        ID_NUMBER,
        NAME,
    )
}

HAS_DIGIT = re.compile(r"\d")

# Cheap necessary conditions, one per entity type: a recognizer only runs when its condition
# holds somewhere in the text. Each is implied by every match of that type's patterns (same
# regex flags, a weaker pattern), so skipping can never cause a miss. They start with a digit
# so the regex engine can jump from digit to digit; a failed search costs ~1-10 us.
_LETTER_DIGIT = re.compile(r"\d(?:(?<=[A-Z]\d)|(?<=GIR 0))", re.IGNORECASE)
_DIGIT_LETTERS = re.compile(r"\d[A-Z]{2}", re.IGNORECASE)
_SIX_DIGITS_OR_PAIRS = re.compile(r"\d\d(?:\d{4}|[ \-\u2013]\d\d)")
# 9 digits, at most two of " .-()" between two of them: every phone number (UK, Chinese and
# Japanese numbers all have 10 or more digits) and every ID number (12 or 18) has them.
_NINE_DIGITS = re.compile(r"\d(?:[ .\-()]{0,2}\d){8}")
# Types sharing a condition share one test of it (``redaction.Redactor`` runs each once).
NEEDS: tuple[tuple[str, Callable[[str], object]], ...] = (
    (EMAIL, lambda text: "@" in text),
    # 13+ digits, at most one space, dash or dot between two of them.
    (CARD, re.compile(r"\d(?:[ .\-]?\d){12}").search),
    # two letters, then the two check digits.
    (IBAN, re.compile(r"\d(?<=[^\W\d_]{2}\d)\d").search),
    (PHONE, _NINE_DIGITS.search),
    # 12-34-56 / 123456 / 12345678 / 1234 5678 all contain one of these.
    (SORT_CODE, _SIX_DIGITS_OR_PAIRS.search),
    (ACCOUNT_NUMBER, _SIX_DIGITS_OR_PAIRS.search),
    # two letters, then six digits.
    (
        NI_NUMBER,
        re.compile(
            r"\d(?:(?<=[A-Z]{2}\d)|(?<=[A-Z]{2}[ \-]\d))\d[ \-]?\d\d[ \-]?\d\d", re.IGNORECASE
        ).search,
    ),
    # a letter then a digit (the outward code) and a digit then two letters (the inward); or
    # a Chinese or Japanese postcode's word (〒, 郵便, 邮编), which those need.
    (
        POSTCODE,
        lambda text: (
            (_LETTER_DIGIT.search(text) and _DIGIT_LETTERS.search(text))
            or (not text.isascii() and POSTCODE_WORDS_CJK.search(text))
        ),
    ),
    (ID_NUMBER, _NINE_DIGITS.search),
)


# --- card ------------------------------------------------------------------------------------
# Presidio's own card pattern misses Mastercard's 2-series (2221-2720), 19-digit cards and dots.
# Word boundaries that let a number touch Chinese or Japanese characters ("卡号是4539..."):
# ``FIRST`` after the first character, ``_E`` at the end.
_E = rf"(?!{WORD})"
_CARD_PATTERNS = (
    # 4-4-4-4 (optionally -3), one separator throughout.
    re.compile(r"[2-6]" + FIRST + r"\d{3}([ .\-])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?" + _E),
    # Amex 4-6-5.
    re.compile(r"3" + FIRST + r"[47]\d{2}([ .\-]?)\d{6}\1\d{5}" + _E),
    # Presidio's generic grouping (4, 3-4, 3-4, 3-5 digits).
    re.compile(r"[2-6]" + FIRST + r"\d{3}[ .\-]?\d{3,4}[ .\-]?\d{3,4}[ .\-]?\d{3,5}" + _E),
    # Unbroken 13-19 digits.
    re.compile(r"[2-6]" + FIRST + r"\d{12,18}" + _E),
)


def luhn_is_valid(value: str) -> bool:
    """13-19 digits (separators ignored) whose Luhn checksum holds."""
    digits = [int(ch) for ch in value if ch.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if i % 2 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _find_cards(text: str) -> Iterator[tuple[int, int]]:
    for pattern in _CARD_PATTERNS:
        for m in pattern.finditer(text):
            if luhn_is_valid(m.group()):
                yield m.span()


# --- IBAN ------------------------------------------------------------------------------------
_IBAN_LETTERS = {ord(ch): str(i) for i, ch in enumerate(string.digits + string.ascii_uppercase)}


@lru_cache(maxsize=1)
def _iban_tables() -> tuple[Any, dict[str, Any]]:
    """Presidio's IBAN pattern and per-country BBAN formats, compiled on first use."""
    import regex

    from foundation._presidio import iban_patterns

    pattern, per_country = iban_patterns()
    flags = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE
    formats = {cc: regex.compile(fmt) for cc, fmt in per_country.items()}
    return regex.compile(pattern, flags), formats


def iban_is_valid(value: str) -> bool:
    """ISO 13616: the country's BBAN format and the mod-97 check digits."""
    iban = value.replace(" ", "").replace("-", "").upper()
    fmt = _iban_tables()[1].get(iban[:2])
    if fmt is None or not fmt.fullmatch(iban):
        return False
    rearranged = (iban[4:] + iban[:4]).translate(_IBAN_LETTERS)
    return rearranged.isdigit() and int(rearranged) % 97 == 1


def _find_ibans(text: str) -> Iterator[tuple[int, int]]:
    """Presidio's IBAN pattern, case-insensitive, with a wider fallback than Presidio's: the
    pattern's groups of four also swallow a following word ("... 7034 that"), so every shorter
    candidate ending at a space or dash is tried, longest first; and matches may overlap, so an
    IBAN right after a code like "XY12" is still found."""
    covered_to = -1
    for m in _iban_tables()[0].finditer(text, overlapped=True):
        start = m.start()
        if start < covered_to:
            continue
        ends = [m.end()] + [i for i in range(m.end() - 1, start, -1) if text[i] in " -"]
        for end in ends:
            if iban_is_valid(text[start:end]):
                yield start, end
                covered_to = end
                break


# --- email -----------------------------------------------------------------------------------
# Chinese and Japanese characters end an address: "邮箱是wang.xm@example.cn，谢谢".
_LOCAL = rf"(?:{WORD}|[!#$%&'*+/=?^`{{|}}~\-])"
_LABEL = rf"(?:{WORD}|-)"
_EMAIL = re.compile(
    rf"(?<!{WORD})(?<![!#$%&'*+/=?^`{{|}}~\-.@])"  # not inside a longer address
    rf"{_LOCAL}+(?:\.{_LOCAL}+)*"  # local part: dot-separated atoms
    rf"@(?:{ALNUM}(?:{_LABEL}{{0,61}}{ALNUM})?\.)*"  # domain labels, then the last one, which
    rf"{LETTER}(?:{_LABEL}{{0,61}}{ALNUM})?"  # starts with a letter (no "2@3pm", no IPs)
    rf"(?!{WORD}|[\-@]|\.{ALNUM})"  # the whole domain, not a part of it
)
_AT_TOKEN = re.compile(r"\S*@\S*")


def _find_emails(text: str) -> Iterator[tuple[int, int]]:
    """An address never contains white space, so the pattern only runs over the white-space-
    delimited tokens that contain an ``@``; the results are the same as over the whole text."""
    for token in _AT_TOKEN.finditer(text):
        offset = token.start()
        for m in _EMAIL.finditer(token.group()):
            yield m.start() + offset, m.end() + offset


# --- UK numbers: a regex, a validation over the match, and context read from the text itself
# (the no-NLP engine gives Presidio's context enhancer no tokens to work with); a number is
# not part of a larger number, amount, date or time (``NUM_START`` / ``NUM_END``) ------------

# --- phone -----------------------------------------------------------------------------------
_P = rf"{FIRST}(?<!\+.)"  # right after the first character: no word or "+" before it
_UK = r"[ .]?44[ .\-]?(?:\(0\)[ .\-]?)?"
_PHONE = re.compile(
    rf"(?:\+{_P}{_UK}|0{_P}0{_UK}|\({_P}0|0{_P})"  # +44 / 0044 / +44 (0) / (0 / 0
    r"(?P<nsn>[127](?:[ .\-)]{0,2}\d){8,9})"  # the national number: 01.., 02.., 07..
    rf"(?!{WORD})"
)


def _phone_ok(m: re.Match[str], text: str) -> bool:
    if "." in m.group() and " " in m.group("nsn"):
        return False  # "01.02.2024 10.30" is a date and a time
    nsn = "".join(ch for ch in m.group("nsn") if ch.isdigit())
    return len(nsn) == 10 or (len(nsn) == 9 and nsn[0] == "1")


# --- sort code and account number ------------------------------------------------------------
_SORT_SEPARATED = re.compile(NUM_START + r"\d([ \-\u2013])\d{2}\1\d{2}" + NUM_END)
_SORT_PLAIN = re.compile(NUM_START + r"\d{5}" + NUM_END)
_SORT_WORDS = re.compile(
    words(rf"\bsort(?:ing)?[ \-]?codes?\b|\bs/c\b|\bbranch\b|{SORT_WORDS_CJK}"), re.IGNORECASE
)
_EIGHT_DIGITS = re.compile(r"(?<!\d)\d{4}[ \-]?\d{4}(?!\d)")


def _looks_like_date(a: int, b: int, c: int) -> bool:
    # dd-mm-yy, yy-mm-dd, mm-dd-yy
    return (
        (1 <= a <= 31 and 1 <= b <= 12)
        or (1 <= b <= 12 and 1 <= c <= 31)
        or (1 <= a <= 12 and 1 <= b <= 31)
    )


def _sort_separated_ok(m: re.Match[str], text: str) -> bool:
    digits = m.group().replace(m.group(1), "")
    a, b, c = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    start, end = m.span()
    if not _looks_like_date(a, b, c):
        return True
    # Reads like a date: needs "sort code" nearby, or an account number right next to it.
    if near(_SORT_WORDS, text, start, end):
        return True
    return bool(
        _EIGHT_DIGITS.search(text, end, min(len(text), end + 30))
        or _EIGHT_DIGITS.search(text, max(0, start - 30), start)
    )


def _sort_plain_ok(m: re.Match[str], text: str) -> bool:
    return near(_SORT_WORDS, text, m.start(), m.end())


_ACCOUNT = re.compile(NUM_START + r"(?:\d{7}|(?<!\d[ \-]\d)\d{3}[ \-]\d{4}(?![ \-]\d))" + NUM_END)
_ACCOUNT_WORDS = re.compile(
    words(
        r"\bacc(?:oun)?ts?\b|\bacc\b|\ba/c\b|\bsort[ \-]?codes?\b|\bbank details\b"
        rf"|{ACCOUNT_WORDS_CJK}|{SORT_WORDS_CJK}"
    ),
    re.IGNORECASE,
)


def _account_ok(m: re.Match[str], text: str) -> bool:
    # "account" nearby, or a sort code right next to it ("20-12-05 and then 31926819").
    start, end = m.span()
    return near(_ACCOUNT_WORDS, text, start, end) or bool(
        _SORT_SEPARATED.search(text, max(0, start - 30), start)
        or _SORT_SEPARATED.search(text, end, min(len(text), end + 30))
    )


# --- National Insurance number ---------------------------------------------------------------
_NINO = re.compile(
    r"([A-Z])" + FIRST + r"([A-Z])[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[A-D]" + _E, re.IGNORECASE
)
_NINO_BAD_FIRST = frozenset("DFIQUV")
_NINO_BAD_SECOND = frozenset("DFIOQUV")
_NINO_BAD_PREFIX = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def nino_prefix_is_valid(prefix: str) -> bool:
    """HMRC's rules for the two prefix letters of a National Insurance number."""
    prefix = prefix.upper()
    return (
        len(prefix) == 2
        and prefix[0] not in _NINO_BAD_FIRST
        and prefix[1] not in _NINO_BAD_SECOND
        and prefix not in _NINO_BAD_PREFIX
    )


def _nino_ok(m: re.Match[str], text: str) -> bool:
    return nino_prefix_is_valid(m.group(1) + m.group(2))


# --- postcode --------------------------------------------------------------------------------
_POSTCODE = re.compile(
    r"[A-PR-UWYZ]" + FIRST + r"(?:"  # the first letter, then the rest of each form:
    r"(?<=G)IR ?0AA"
    r"|[0-9][ABCDEFGHJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-HK-Y][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r")" + _E,
    re.IGNORECASE,
)
_ADDRESS_WORDS = re.compile(
    words(
        r"\bpost ?codes?\b|\bpostal\b|\baddress[a-z]*|\bliv(?:e|es|ing)\b|\bmoved?\b|\bhouse\b"
        r"|\bflat\b|\bstreet\b|\broad\b|\bdeliver[a-z]*|\bcorrespondence\b|\bzip\b"
        rf"|{ADDRESS_WORDS_CJK}"
    ),
    re.IGNORECASE,
)


def _postcode_ok(m: re.Match[str], text: str) -> bool:
    # Written in capitals it is a postcode; in lower case only with address context.
    return m.group().isupper() or near(_ADDRESS_WORDS, text, m.start(), m.end())


def _chain(*finders: Finder) -> Finder:
    """One finder running several, so each entity type is one Presidio recognizer."""

    def find(text: str) -> Iterator[tuple[int, int]]:
        for finder in finders:
            yield from finder(text)

    return find


#: (entity type, recognizer name, finder) for every structured type; names come from the row.
RECOGNIZERS: tuple[tuple[str, str, Finder], ...] = (
    (CARD, "CardRecognizer", _find_cards),
    (IBAN, "IbanRecognizer", _find_ibans),
    (EMAIL, "EmailRecognizer", _find_emails),
    (PHONE, "PhoneRecognizer", _chain(matches(_PHONE, _phone_ok), *CJK_FINDERS[PHONE])),
    (
        SORT_CODE,
        "UkSortCodeRecognizer",
        _chain(matches(_SORT_SEPARATED, _sort_separated_ok), matches(_SORT_PLAIN, _sort_plain_ok)),
    ),
    (
        ACCOUNT_NUMBER,
        "AccountNumberRecognizer",
        _chain(matches(_ACCOUNT, _account_ok), *CJK_FINDERS[ACCOUNT_NUMBER]),
    ),
    (NI_NUMBER, "UkNinoRecognizer", matches(_NINO, _nino_ok)),
    (
        POSTCODE,
        "PostcodeRecognizer",
        _chain(matches(_POSTCODE, _postcode_ok), *CJK_FINDERS[POSTCODE]),
    ),
    (ID_NUMBER, "IdNumberRecognizer", _chain(*CJK_FINDERS[ID_NUMBER])),
)
