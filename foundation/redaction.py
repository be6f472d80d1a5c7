"""Customer PII redaction, applied before text is stored anywhere.

Every package may use it (the importer redacts every field of an interaction; ideas redact what
staff write): ``get_redactor().redact(text, names)`` or ``redact_turns(texts, names)``.

Presidio's analyzer runs with its no-NLP-model engine (no spaCy model is loaded or downloaded)
over a curated recognizer list that makes sense for a UK bank, each recognizer validated:

======================  ==================  ====================================================
token                   recognizer          validation
======================  ==================  ====================================================
``[CARD]``              card number         Luhn checksum, 13-19 digits (Visa, Mastercard incl.
                                            the 2-series, Amex, Maestro), grouped by spaces,
                                            dashes or dots (``4111.1111.1111.1111``) or not at
                                            all; no other separator (a person types these three)
``[IBAN]``              Presidio's IBAN     mod-97 checksum and the country's BBAN format
                        pattern
``[EMAIL]``             email address       any domain, public or not: ``a@b.example``,
                                            ``someone@corp.internal``, ``a.b@localhost``; the
                                            last domain label starts with a letter, and a handle
                                            (``@VoiceLoopBank``) has no local part, so is kept
``[PHONE]``             UK phone            07 mobiles, 01/02 landlines, +44 / 0044 forms;
                                            national number of 10 digits (9 for some 01 areas);
                                            grouped by spaces, dashes, brackets or dots (dots
                                            never mixed with spaces, which reads as a date and
                                            a time: ``01.02.2024 10.30``)
``[SORT_CODE]``         UK sort code        ``12-34-56`` / ``12 34 56``; one that reads like a
                                            date needs sort-code context or an account number
                                            next to it; ``123456`` only near "sort code"
``[ACCOUNT_NUMBER]``    UK account number   8 digits (``12345678``, ``1234 5678``) near
                                            "account" / "a/c" / "sort code"
``[NI_NUMBER]``         National Insurance  HMRC prefix rules (no D F I Q U V first, no
                                            D F I O Q U V second, no BG GB KN NK NT TN ZZ)
``[POSTCODE]``          UK postcode         the full pattern (``SW1A 1AA``, ``M1 1AE``); a
                                            lower-case one needs address context
``[NAME]``              names from the row  the full name and each part of 3+ letters, word-
                                            bounded, in any case and with or without accents
                                            (``Siobhán`` / ``SIOBHAN``, ``ZOË`` / ``Zoe``); a
                                            two-letter part only after a title ("Mr Wu"); a part
                                            that is also a common word ("Will") only when it
                                            reads as a name (capitalised, and not "Will you ..."
                                            at the start of a sentence)
======================  ==================  ====================================================

Overlaps are resolved before replacing: the longest span wins, then the higher score, so an
IBAN is never split into a sort code and an account number and an email is not split at a name.

Importing this module is cheap (the standard library only): Presidio (which imports spaCy and
takes seconds and a few hundred MB) is imported by ``foundation._presidio`` when the first
``Redactor`` is built, that is on the first ``get_redactor()``.

Speed: each entity type has a cheap necessary condition (a digit-led regex implied by every
match of its patterns, see ``_NEEDS``); a recognizer only runs when its condition holds, so a
skipped recognizer can never be a miss. The email pattern only runs over the white-space
delimited tokens that contain an ``@``; names are plain substring searches in the folded
(lower-cased, accent-free) text (nothing compiled per customer). About 0.1 ms for a PII-free
1,500-character transcript and 0.6 ms for one full of PII, on one core.

Context windows look at up to 100 characters before a match and 40 after, so redacting a whole
transcript in one call (``redact`` on the joined text, or ``redact_turns``) lets the agent's
"and the sort code?" be the context for the customer's answer in the next turn.

Nothing here logs the text or any part of it.
"""

from __future__ import annotations

import re
import string
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

__all__ = ["TOKENS", "Redactor", "get_redactor"]

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

_HAS_DIGIT = re.compile(r"\d")

# Cheap necessary conditions, one per entity type: a recognizer only runs when its condition
# holds somewhere in the text. Each is implied by every match of that type's patterns (same
# regex flags, a weaker pattern), so skipping can never cause a miss. They start with a digit
# so the regex engine can jump from digit to digit; a failed search costs ~1-10 us.
_LETTER_DIGIT = re.compile(r"\d(?:(?<=[A-Z]\d)|(?<=GIR 0))", re.IGNORECASE)
_DIGIT_LETTERS = re.compile(r"\d[A-Z]{2}", re.IGNORECASE)
_SIX_DIGITS_OR_PAIRS = re.compile(r"\d\d(?:\d{4}|[ \-\u2013]\d\d)")
_NEEDS: tuple[tuple[str, Callable[[str], object]], ...] = (
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


# ---------------------------------------------------------------------------------------------
# names from the import row
# ---------------------------------------------------------------------------------------------

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


def _name_spans(text: str, names: tuple[str, ...]) -> Iterator[tuple[int, int]]:
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


# ---------------------------------------------------------------------------------------------
# the redactor
# ---------------------------------------------------------------------------------------------

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


def _resolve_overlaps(spans: list[tuple[int, int, float, str]]) -> list[tuple[int, int, str]]:
    """Keep non-overlapping spans, in text order: the longest span wins, then the higher
    score, then the earlier one."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[tuple[int, int, str]] = []
    for start, end, _score, entity in sorted(spans, key=lambda s: (s[0] - s[1], -s[2], s[0])):
        i = bisect_right(starts, start)
        if (i > 0 and ends[i - 1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        ends.insert(i, end)
        kept.insert(i, (start, end, entity))
    return kept


# Turns are joined with this for one-call redaction; no pattern can match across it.
_TURN_SEPARATOR = "\n\x1f\n"


class Redactor:
    """Build once per process (``get_redactor()``); ``redact`` is thread-safe."""

    def __init__(self) -> None:
        from foundation._presidio import analyzer  # seconds: Presidio imports spaCy

        self._analyze = analyzer(RECOGNIZERS)
        if {entity for entity, _, _ in RECOGNIZERS} != {e for e, _ in _NEEDS}:
            raise RuntimeError("every recognized entity type needs exactly one pre-filter")
        # Warm up: compile every pattern and load the IBAN tables now, not on first use.
        self.redact("warm-up 07700 900123 a@example.com SW1A 1AA 4111 1111 1111 1111", ["A B"])

    def _find(
        self, text: str, names: tuple[str, ...], *, prefilter: bool = True
    ) -> list[tuple[int, int, str]]:
        """(start, end, entity type) of each PII span, non-overlapping, in text order.
        ``prefilter=False`` runs every recognizer (the tests check it finds the same)."""
        spans: list[tuple[int, int, float, str]] = []
        if not prefilter or "@" in text or _HAS_DIGIT.search(text):
            entities = [entity for entity, needed in _NEEDS if not prefilter or needed(text)]
            if entities:
                spans.extend(self._analyze(text, entities))
        if names:
            spans.extend((start, end, 1.0, NAME) for start, end in _name_spans(text, names))
        return _resolve_overlaps(spans)

    def redact(self, text: str, names: Sequence[str] = ()) -> tuple[str, dict[str, int]]:
        """Return ``text`` with PII replaced by tokens like ``[CARD]``, and how many of each
        type were replaced (keys without brackets, e.g. ``{"CARD": 1}``)."""
        if isinstance(names, str):  # one name given as a plain string, not a list of them
            names = (names,)
        name_key = tuple(sorted({n for n in names or () if n and n.strip()}))
        found = self._find(text, name_key)
        if not found:
            return text, {}
        pieces: list[str] = []
        position = 0
        for start, end, entity in found:
            pieces += (text[position:start], TOKENS[entity])
            position = end
        pieces.append(text[position:])
        counts = Counter(entity for _, _, entity in found)
        return "".join(pieces), dict(sorted(counts.items()))

    def redact_turns(
        self, texts: Sequence[str], names: Sequence[str] = ()
    ) -> tuple[list[str], dict[str, int]]:
        """Redact a transcript's turns in one call, so context carries across turns (the
        agent asks for the sort code, the customer gives it). Returns the redacted turns in
        order and the combined counts."""
        if not texts:
            return [], {}
        joined = _TURN_SEPARATOR.join(t.replace("\x1f", " ") for t in texts)
        redacted, counts = self.redact(joined, names)
        parts = redacted.split(_TURN_SEPARATOR)
        if len(parts) != len(texts):  # cannot happen: no pattern spans the separator
            raise RuntimeError("turn boundaries were lost during redaction")
        return parts, counts


_instance: Redactor | None = None
_instance_lock = threading.Lock()


def get_redactor() -> Redactor:
    """The process-wide Redactor, built on first use (thread-safe; the first call takes
    seconds, see the module docstring)."""
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = Redactor()
    return _instance
