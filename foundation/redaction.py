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
match of its patterns, ``redaction_patterns.NEEDS``); a recognizer only runs when its condition
holds, so a skipped recognizer can never be a miss. The email pattern only runs over the white-space
delimited tokens that contain an ``@``; names are plain substring searches in the folded
(lower-cased, accent-free) text (nothing compiled per customer). About 0.1 ms for a PII-free
1,500-character transcript and 0.6 ms for one full of PII, on one core.

Context windows look at up to 100 characters before a match and 40 after, so redacting a whole
transcript in one call (``redact`` on the joined text, or ``redact_turns``) lets the agent's
"and the sort code?" be the context for the customer's answer in the next turn.

Nothing here logs the text or any part of it.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence

from foundation.redaction_names import name_spans
from foundation.redaction_patterns import HAS_DIGIT, NAME, NEEDS, RECOGNIZERS, TOKENS

__all__ = ["TOKENS", "Redactor", "get_redactor"]


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
        if {entity for entity, _, _ in RECOGNIZERS} != {e for e, _ in NEEDS}:
            raise RuntimeError("every recognized entity type needs exactly one pre-filter")
        # Warm up: compile every pattern and load the IBAN tables now, not on first use.
        self.redact("warm-up 07700 900123 a@example.com SW1A 1AA 4111 1111 1111 1111", ["A B"])

    def _find(
        self, text: str, names: tuple[str, ...], *, prefilter: bool = True
    ) -> list[tuple[int, int, str]]:
        """(start, end, entity type) of each PII span, non-overlapping, in text order.
        ``prefilter=False`` runs every recognizer (the tests check it finds the same)."""
        spans: list[tuple[int, int, float, str]] = []
        if not prefilter or "@" in text or HAS_DIGIT.search(text):
            entities = [entity for entity, needed in NEEDS if not prefilter or needed(text)]
            if entities:
                spans.extend(self._analyze(text, entities))
        if names:
            spans.extend((start, end, 1.0, NAME) for start, end in name_spans(text, names))
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
