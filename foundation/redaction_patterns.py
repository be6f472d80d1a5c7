"""The structured recognizers of customer PII (``foundation.redaction`` uses them): each entity
type's regex, its validation (Luhn, mod-97, HMRC prefixes, dates that are not sort codes), the
context read from the text around a match, and each type's cheap necessary condition
(``NEEDS``) that lets a recognizer be skipped without ever causing a miss. The table of what
each one accepts is in ``foundation/redaction.py``'s docstring. Standard library only.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

CARD = "CARD"
IBAN = "IBAN"
EMAIL = "EMAIL"
PHONE = "PHONE"
SORT_CODE = "SORT_CODE"
ACCOUNT_NUMBER = "ACCOUNT_NUMBER"
NI_NUMBER = "NI_NUMBER"
POSTCODE = "POSTCODE"
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
        NAME,
    )
}

#: Finds the (start, end) spans of one entity type in a text.
Finder = Callable[[str], Iterable[tuple[int, int]]]

# Characters of context looked at before and after a match.
_BEFORE = 100
_AFTER = 40

HAS_DIGIT = re.compile(r"\d")

# Cheap necessary conditions, one per entity type: a recognizer only runs when its condition
# holds somewhere in the text. Each is implied by every match of that type's patterns (same
# regex flags, a weaker pattern), so skipping can never cause a miss. They start with a digit
# so the regex engine can jump from digit to digit; a failed search costs ~1-10 us.
_LETTER_DIGIT = re.compile(r"\d(?:(?<=[A-Z]\d)|(?<=GIR 0))", re.IGNORECASE)
_DIGIT_LETTERS = re.compile(r"\d[A-Z]{2}", re.IGNORECASE)
_SIX_DIGITS_OR_PAIRS = re.compile(r"\d\d(?:\d{4}|[ \-\u2013]\d\d)")
NEEDS: tuple[tuple[str, Callable[[str], object]], ...] = (
    (EMAIL, lambda text: "@" in text),
    # 13+ digits, at most one space, dash or dot between two of them.
    (CARD, re.compile(r"\d(?:[ .\-]?\d){12}").search),
    # two letters, then the two check digits.
    (IBAN, re.compile(r"\d(?<=[^\W\d_]{2}\d)\d").search),
    # the 9 or 10 digits of the national number.
    (PHONE, re.compile(r"\d(?:[ .\-)]{0,2}\d){8}").search),
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
    # a letter then a digit (the outward code) and a digit then two letters (the inward).
    (POSTCODE, lambda text: _LETTER_DIGIT.search(text) and _DIGIT_LETTERS.search(text)),
)


def _near(context: re.Pattern[str], text: str, start: int, end: int) -> bool:
    return bool(
        context.search(text, max(0, start - _BEFORE), start)
        or context.search(text, end, min(len(text), end + _AFTER))
    )


def _matches(
    pattern: re.Pattern[str], accept: Callable[[re.Match[str], str], bool] | None = None
) -> Finder:
    """A finder: the spans of ``pattern``'s matches that ``accept(match, text)`` keeps."""

    def find(text: str) -> Iterator[tuple[int, int]]:
        for m in pattern.finditer(text):
            if accept is None or accept(m, text):
                yield m.span()

    return find


# --- card ------------------------------------------------------------------------------------
# Presidio's own card pattern misses Mastercard's 2-series (2221-2720), 19-digit cards and dots.
_CARD_PATTERNS = (
    # 4-4-4-4 (optionally -3), one separator throughout.
    re.compile(r"\b[2-6]\d{3}([ .\-])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?\b"),
    # Amex 4-6-5.
    re.compile(r"\b3[47]\d{2}([ .\-]?)\d{6}\1\d{5}\b"),
    # Presidio's generic grouping (4, 3-4, 3-4, 3-5 digits).
    re.compile(r"\b[2-6]\d{3}[ .\-]?\d{3,4}[ .\-]?\d{3,4}[ .\-]?\d{3,5}\b"),
    # Unbroken 13-19 digits.
    re.compile(r"\b[2-6]\d{12,18}\b"),
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
_LOCAL = r"[\w!#$%&'*+/=?^`{|}~\-]"
_EMAIL = re.compile(
    r"(?<![\w!#$%&'*+/=?^`{|}~\-.@])"  # not inside a longer address
    rf"{_LOCAL}+(?:\.{_LOCAL}+)*"  # local part: dot-separated atoms
    r"@(?:[^\W_](?:[\w\-]{0,61}[^\W_])?\.)*"  # domain labels, then the last one, which
    r"[^\W\d_](?:[\w\-]{0,61}[^\W_])?"  # starts with a letter (no "2@3pm", no IPs)
    r"(?![\w\-@]|\.[^\W_])"  # the whole domain, not a part of it
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
# (the no-NLP engine gives Presidio's context enhancer no tokens to work with) ----------------

# A number that is not part of a larger number, amount, date or time. Patterns start with a
# digit (so the regex engine can skip ahead to digits) and then look behind that digit.
_NUM_START = r"\d(?<![\w.,£$€/:+-]\d)"
_NUM_END = r"(?![\w/:]|[.,]\d)"

# --- phone -----------------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)[ .]?44[ .\-]?(?:\(0\)[ .\-]?)?|\(?0)"  # +44 / 0044 / +44 (0) / 0 / (0
    r"(?P<nsn>[127](?:[ .\-)]{0,2}\d){8,9})"  # the national number: 01.., 02.., 07..
    r"(?!\w)"
)


def _phone_ok(m: re.Match[str], text: str) -> bool:
    if "." in m.group() and " " in m.group("nsn"):
        return False  # "01.02.2024 10.30" is a date and a time
    nsn = "".join(ch for ch in m.group("nsn") if ch.isdigit())
    return len(nsn) == 10 or (len(nsn) == 9 and nsn[0] == "1")


# --- sort code and account number ------------------------------------------------------------
_SORT_SEPARATED = re.compile(_NUM_START + r"\d([ \-\u2013])\d{2}\1\d{2}" + _NUM_END)
_SORT_PLAIN = re.compile(_NUM_START + r"\d{5}" + _NUM_END)
_SORT_WORDS = re.compile(r"\bsort(?:ing)?[ \-]?codes?\b|\bs/c\b|\bbranch\b", re.IGNORECASE)
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
    if _near(_SORT_WORDS, text, start, end):
        return True
    return bool(
        _EIGHT_DIGITS.search(text, end, min(len(text), end + 30))
        or _EIGHT_DIGITS.search(text, max(0, start - 30), start)
    )


def _sort_plain_ok(m: re.Match[str], text: str) -> bool:
    return _near(_SORT_WORDS, text, m.start(), m.end())


_ACCOUNT = re.compile(_NUM_START + r"(?:\d{7}|(?<!\d[ \-]\d)\d{3}[ \-]\d{4}(?![ \-]\d))" + _NUM_END)
_ACCOUNT_WORDS = re.compile(
    r"\bacc(?:oun)?ts?\b|\bacc\b|\ba/c\b|\bsort[ \-]?codes?\b|\bbank details\b", re.IGNORECASE
)


def _account_ok(m: re.Match[str], text: str) -> bool:
    # "account" nearby, or a sort code right next to it ("20-12-05 and then 31926819").
    start, end = m.span()
    return _near(_ACCOUNT_WORDS, text, start, end) or bool(
        _SORT_SEPARATED.search(text, max(0, start - 30), start)
        or _SORT_SEPARATED.search(text, end, min(len(text), end + 30))
    )


# --- National Insurance number ---------------------------------------------------------------
_NINO = re.compile(r"\b([A-Z])([A-Z])[ \-]?\d{2}[ \-]?\d{2}[ \-]?\d{2}[ \-]?[A-D]\b", re.IGNORECASE)
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
    r"\b(?:"
    r"GIR ?0AA"
    r"|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{2} ?[0-9][ABD-HJLNP-UW-Z]{2}"
    r")\b",
    re.IGNORECASE,
)
_ADDRESS_WORDS = re.compile(
    r"\bpost ?codes?\b|\bpostal\b|\baddress\w*|\bliv(?:e|es|ing)\b|\bmoved?\b|\bhouse\b"
    r"|\bflat\b|\bstreet\b|\broad\b|\bdeliver\w*|\bcorrespondence\b|\bzip\b",
    re.IGNORECASE,
)


def _postcode_ok(m: re.Match[str], text: str) -> bool:
    # Written in capitals it is a postcode; in lower case only with address context.
    return m.group().isupper() or _near(_ADDRESS_WORDS, text, m.start(), m.end())


#: (entity type, recognizer name, finder) for every structured type; names come from the row.
RECOGNIZERS: tuple[tuple[str, str, Finder], ...] = (
    (CARD, "CardRecognizer", _find_cards),
    (IBAN, "IbanRecognizer", _find_ibans),
    (EMAIL, "EmailRecognizer", _find_emails),
    (PHONE, "UkPhoneRecognizer", _matches(_PHONE, _phone_ok)),
    (SORT_CODE, "UkSortCodeRecognizer", _matches(_SORT_SEPARATED, _sort_separated_ok)),
    (SORT_CODE, "UkSortCodePlainRecognizer", _matches(_SORT_PLAIN, _sort_plain_ok)),
    (ACCOUNT_NUMBER, "UkAccountNumberRecognizer", _matches(_ACCOUNT, _account_ok)),
    (NI_NUMBER, "UkNinoRecognizer", _matches(_NINO, _nino_ok)),
    (POSTCODE, "UkPostcodeRecognizer", _matches(_POSTCODE, _postcode_ok)),
)
