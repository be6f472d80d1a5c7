"""Customer PII redaction, applied before a transcript is stored anywhere.

Presidio's analyzer runs with its no-NLP-model engine (no spaCy model is loaded or downloaded)
and a curated recognizer list that makes sense for a UK bank, each recognizer validated:

======================  ==================  ====================================================
token                   recognizer          validation
======================  ==================  ====================================================
``[CARD]``              Presidio credit     Luhn checksum, 13-19 digits (Visa, Mastercard incl.
                        card (subclassed)   the 2-series, Amex, Maestro), spaces or dashes
``[IBAN]``              Presidio IBAN       mod-97 checksum and the country's BBAN format
                        (subclassed)
``[EMAIL]``             Presidio email      the domain ends in a public suffix, looked up in
                        (subclassed)        tldextract's bundled snapshot (never fetched)
``[PHONE]``             UK phone            07 mobiles, 01/02 landlines, +44 / 0044 forms;
                                            national number of 10 digits (9 for some 01 areas)
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
                                            bounded, case-insensitive; a two-letter part only
                                            after a title ("Mr Wu"); a part that is also a
                                            common word ("Will") only when it reads as a name
                                            (capitalised, and not "Will you ..." at the start
                                            of a sentence)
======================  ==================  ====================================================

Overlaps are resolved before anonymizing: the longest span wins, then the higher score, so an
IBAN is never split into a sort code and an account number and an email is not split at a name.

Speed: each entity type has a cheap necessary condition (a digit-led regex implied by every
match of its patterns, see ``_NEEDS``); a recognizer only runs when its condition holds, so a
skipped recognizer can never be a miss. The email pattern only runs over the white-space
delimited tokens that contain an ``@``; names are plain substring searches in the lower-cased
text (nothing compiled per customer). About 0.1 ms for a PII-free 1,500-character transcript
and 0.6 ms for one full of PII, on one core.

Context windows look at up to 100 characters before a match and 40 after, so redacting a whole
transcript in one call (``redact`` on the joined text, or ``redact_turns``) lets the agent's
"and the sort code?" be the context for the customer's answer in the next turn.

Nothing here logs the text or any part of it.
"""

from __future__ import annotations

import re
import string
import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

import regex
import tldextract
from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    LocalRecognizer,
    Pattern,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer.context_aware_enhancers import ContextAwareEnhancer
from presidio_analyzer.nlp_engine import NlpArtifacts, NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import (
    CreditCardRecognizer,
    EmailRecognizer,
    IbanRecognizer,
)
from presidio_analyzer.predefined_recognizers.generic.iban_patterns import regex_per_country
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig
from presidio_anonymizer.entities import RecognizerResult as AnonymizerResult

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

_LANGUAGE = "en"
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
    # 13+ digits, at most one space or dash between two of them.
    (CARD, re.compile(r"\d(?:[ \-]?\d){12}").search),
    # two letters, then the two check digits.
    (IBAN, re.compile(r"\d(?<=[^\W\d_]{2}\d)\d").search),
    # the 9 or 10 digits of the national number.
    (PHONE, re.compile(r"\d(?:[ \-)]{0,2}\d){8}").search),
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


# ---------------------------------------------------------------------------------------------
# Presidio recognizers, subclassed for our token names and offline, log-free validation
# ---------------------------------------------------------------------------------------------

# tldextract's module-level extractor may fetch the Public Suffix List over the network the
# first time it is used. This one never does: no URLs, no cache directory, bundled snapshot.
_TLD_EXTRACT = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


_AT_TOKEN = re.compile(r"\S*@\S*")


class _EmailRecognizer(EmailRecognizer):
    """Presidio's email pattern; the domain must end in a known public suffix (offline).

    An address never contains white space, so the (slow) pattern only runs over the
    white-space-delimited tokens that contain an ``@``; the results are the same as over the
    whole text, offsets shifted back."""

    def __init__(self) -> None:
        super().__init__(supported_entity=EMAIL)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        for token in _AT_TOKEN.finditer(text):
            for result in super().analyze(token.group(), entities, nlp_artifacts, regex_flags):
                result.start += token.start()
                result.end += token.start()
                results.append(result)
        return results

    def validate_result(self, pattern_text: str) -> bool:
        return _TLD_EXTRACT(pattern_text).fqdn != ""


class _CardRecognizer(CreditCardRecognizer):
    """Card numbers of 13-19 digits, grouped by spaces or dashes or not at all, kept only when
    the Luhn checksum holds. Presidio's own pattern misses Mastercard's 2-series (2221-2720)
    and 19-digit cards, so the patterns are ours; validation is Presidio's Luhn check."""

    PATTERNS = [  # noqa: RUF012 - Presidio's class attribute convention
        # 4-4-4-4 (optionally -3), one separator throughout.
        Pattern("card grouped", r"\b[2-6]\d{3}([- ])\d{4}\1\d{4}\1\d{4}(?:\1\d{3})?\b", 0.3),
        # Amex 4-6-5.
        Pattern("card amex", r"\b3[47]\d{2}([- ]?)\d{6}\1\d{5}\b", 0.3),
        # Presidio's generic grouping (4, 3-4, 3-4, 3-5 digits).
        Pattern("card generic", r"\b[2-6]\d{3}[- ]?\d{3,4}[- ]?\d{3,4}[- ]?\d{3,5}\b", 0.3),
        # Unbroken 13-19 digits.
        Pattern("card digits", r"\b[2-6]\d{12,18}\b", 0.3),
    ]

    def __init__(self) -> None:
        super().__init__(patterns=list(self.PATTERNS), supported_entity=CARD)

    def validate_result(self, pattern_text: str) -> bool:
        digits = "".join(ch for ch in pattern_text if ch.isdigit())
        if not 13 <= len(digits) <= 19:
            return False
        return bool(super().validate_result(pattern_text))


_IBAN_LETTERS = {ord(ch): str(i) for i, ch in enumerate(string.digits + string.ascii_uppercase)}
_IBAN_FORMATS = {cc: regex.compile(fmt) for cc, fmt in regex_per_country.items()}


def iban_is_valid(value: str) -> bool:
    """ISO 13616: the country's BBAN format and the mod-97 check digits."""
    iban = value.replace(" ", "").replace("-", "").upper()
    fmt = _IBAN_FORMATS.get(iban[:2])
    if fmt is None or not fmt.fullmatch(iban):
        return False
    rearranged = (iban[4:] + iban[:4]).translate(_IBAN_LETTERS)
    return rearranged.isdigit() and int(rearranged) % 97 == 1


class _IbanRecognizer(IbanRecognizer):
    """Presidio's IBAN pattern, case-insensitive, validated by our own checksum (so a failure
    is never logged with the candidate text), with a wider fallback than Presidio's: the
    pattern's groups of four also swallow a following word ("... 7034 that"), so every
    shorter candidate ending at a space or dash is tried, longest first; and matches may
    overlap, so an IBAN right after a code like "XY12" is still found."""

    name: str

    def __init__(self) -> None:
        flags = regex.DOTALL | regex.MULTILINE | regex.IGNORECASE
        super().__init__(supported_entity=IBAN, regex_flags=flags)
        self._regex = regex.compile(IbanRecognizer.PATTERNS[0].regex, flags)

    def validate_result(self, pattern_text: str) -> bool:
        return iban_is_valid(pattern_text)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        results: list[RecognizerResult] = []
        covered_to = -1
        for m in self._regex.finditer(text, overlapped=True):
            start = m.start()
            if start < covered_to:
                continue
            ends = [m.end()] + [i for i in range(m.end() - 1, start, -1) if text[i] in " -"]
            for end in ends:
                if self.validate_result(text[start:end]):
                    results.append(
                        RecognizerResult(
                            IBAN,
                            start,
                            end,
                            EntityRecognizer.MAX_SCORE,
                            recognition_metadata={
                                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                            },
                        )
                    )
                    covered_to = end
                    break
        return results


# ---------------------------------------------------------------------------------------------
# UK recognizers: a regex, a validation over the match, and context read from the text itself
# (the no-NLP engine gives Presidio's context enhancer no tokens to work with)
# ---------------------------------------------------------------------------------------------


def _near(context: re.Pattern[str], text: str, start: int, end: int) -> bool:
    return bool(
        context.search(text, max(0, start - _BEFORE), start)
        or context.search(text, end, min(len(text), end + _AFTER))
    )


class _UkRecognizer(LocalRecognizer):
    """A compiled regex and an ``accept(match, text)`` check; accepted matches score 1.0."""

    name: str

    def __init__(
        self,
        entity: str,
        pattern: re.Pattern[str],
        accept: Callable[[re.Match[str], str], bool],
        name: str,
    ) -> None:
        self._pattern = pattern
        self._accept = accept
        super().__init__(supported_entities=[entity], name=name, supported_language=_LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        entity = self.supported_entities[0]
        metadata = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
        }
        return [
            RecognizerResult(entity, m.start(), m.end(), 1.0, recognition_metadata=dict(metadata))
            for m in self._pattern.finditer(text)
            if self._accept(m, text)
        ]


# A number that is not part of a larger number, amount, date or time. Patterns start with a
# digit (so the regex engine can skip ahead to digits) and then look behind that digit.
_NUM_START = r"\d(?<![\w.,£$€/:+-]\d)"
_NUM_END = r"(?![\w/:]|[.,]\d)"

# --- phone -----------------------------------------------------------------------------------
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)[ ]?44[ \-]?(?:\(0\)[ \-]?)?|\(?0)"  # +44 / 0044 / +44 (0) / 0 / (0
    r"(?P<nsn>[127](?:[ \-)]{0,2}\d){8,9})"  # the national number: 01.., 02.., 07..
    r"(?!\w)"
)


def _phone_ok(m: re.Match[str], text: str) -> bool:
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


@lru_cache(maxsize=4096)
def _name_needles(names: tuple[str, ...]) -> tuple[tuple[str, bool], ...]:
    """Lower-case strings to look for, longest first, each with whether it only counts after
    a title: the full name without titles, each part of 3+ letters (and each half of a
    hyphenated part), and a two-letter part after a title ("Mr Wu"). Plain substring search
    over the lower-cased text: no regex to compile per customer."""
    needles: dict[str, bool] = {}
    for raw in names:
        words = [w.strip('.,;:()[]"') for w in raw.lower().split()]
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


def _name_spans(text: str, names: tuple[str, ...]) -> Iterable[tuple[int, int]]:
    needles = _name_needles(names)
    if not needles:
        return
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer: keep offsets
        lowered = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    size = len(lowered)
    for needle, after_title_only in needles:
        start = lowered.find(needle)
        while start != -1:
            end = start + len(needle)
            if (
                (start == 0 or not _is_word_char(lowered[start - 1]))
                and (end == size or not _is_word_char(lowered[end]))
                and (not after_title_only or _after_title(lowered, start))
                and (needle not in _COMMON_WORDS or _reads_as_name(text, start, end))
            ):
                yield start, end
            start = lowered.find(needle, start + 1)


# ---------------------------------------------------------------------------------------------
# the redactor
# ---------------------------------------------------------------------------------------------


class _NoContextEnhancer(ContextAwareEnhancer):
    """Context is read by our UK recognizers themselves; the no-NLP engine yields no lemmas."""

    def __init__(self) -> None:
        super().__init__(0.0, 0.0, 0, 0)

    def enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


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
        recognizers: list[EntityRecognizer] = [
            _CardRecognizer(),
            _IbanRecognizer(),
            _EmailRecognizer(),
            _UkRecognizer(PHONE, _PHONE, _phone_ok, "UkPhoneRecognizer"),
            _UkRecognizer(SORT_CODE, _SORT_SEPARATED, _sort_separated_ok, "UkSortCodeRecognizer"),
            _UkRecognizer(SORT_CODE, _SORT_PLAIN, _sort_plain_ok, "UkSortCodePlainRecognizer"),
            _UkRecognizer(ACCOUNT_NUMBER, _ACCOUNT, _account_ok, "UkAccountNumberRecognizer"),
            _UkRecognizer(NI_NUMBER, _NINO, _nino_ok, "UkNinoRecognizer"),
            _UkRecognizer(POSTCODE, _POSTCODE, _postcode_ok, "UkPostcodeRecognizer"),
        ]
        registry = RecognizerRegistry(recognizers=recognizers, supported_languages=[_LANGUAGE])
        nlp_engine = NoOpNlpEngine(models=[{"lang_code": _LANGUAGE, "model_name": "none"}])
        self._analyzer = AnalyzerEngine(
            registry=registry,
            nlp_engine=nlp_engine,
            supported_languages=[_LANGUAGE],
            context_aware_enhancer=_NoContextEnhancer(),
        )
        # Empty artifacts, made once: the no-NLP engine would build identical ones per call.
        self._artifacts = nlp_engine.process_text("", _LANGUAGE)
        self._anonymizer = AnonymizerEngine()
        self._operators = {
            entity: OperatorConfig("replace", {"new_value": token})
            for entity, token in TOKENS.items()
        }
        if {e for r in recognizers for e in r.supported_entities} != {e for e, _ in _NEEDS}:
            raise RuntimeError("every recognized entity type needs exactly one pre-filter")
        # Warm up: compile every pattern and load the suffix snapshot now, not on first use.
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
                results = self._analyzer.analyze(
                    text=text,
                    language=_LANGUAGE,
                    entities=entities,
                    nlp_artifacts=self._artifacts,
                )
                spans.extend((r.start, r.end, r.score, r.entity_type) for r in results)
        if names:
            spans.extend((start, end, 1.0, NAME) for start, end in _name_spans(text, names))
        return _resolve_overlaps(spans)

    def redact(self, text: str, names: Sequence[str] = ()) -> tuple[str, dict[str, int]]:
        """Return ``text`` with PII replaced by tokens like ``[CARD]``, and how many of each
        type were replaced (keys without brackets, e.g. ``{"CARD": 1}``)."""
        if isinstance(names, str):  # one name given as a plain string, not a list of them
            names = (names,)
        names = names or ()
        name_key = tuple(sorted({n for n in names if n and n.strip()}))
        found = self._find(text, name_key)
        if not found:
            return text, {}
        result = self._anonymizer.anonymize(
            text=text,
            analyzer_results=[AnonymizerResult(e, s, t, 1.0) for s, t, e in found],
            operators=self._operators,
            merge_entities_with_spaces=False,
        )
        counts = Counter(item.entity_type for item in result.items)
        return result.text, dict(sorted(counts.items()))

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
    """The process-wide Redactor, built on first use (thread-safe)."""
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = Redactor()
    return _instance
