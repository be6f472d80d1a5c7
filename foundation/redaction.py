"""Customer PII redaction, applied before text is stored anywhere.

Every package may use it (the importer redacts every field of an interaction; ideas redact what
staff write): ``get_redactor().redact(text, names)`` or ``redact_turns(texts, names)``.

Presidio's analyzer runs with its no-NLP-model engine (no spaCy model is loaded or downloaded)
over a curated recognizer list for a UK bank whose customers also write Chinese and Japanese,
each recognizer validated (UK, card, IBAN and email in ``redaction_patterns``, the Chinese and
Japanese formats in ``redaction_cjk``):

======================  ==================  ====================================================
token                   recognizer          validation
======================  ==================  ====================================================
``[CARD]``              card number         Luhn checksum, 13-19 digits (Visa, Mastercard incl.
                                            the 2-series, Amex, Maestro, UnionPay, JCB), grouped
                                            by spaces, dashes or dots (``4111.1111.1111.1111``)
                                            or not at all; no other separator (a person types
                                            these three)
``[IBAN]``              Presidio's IBAN     mod-97 checksum and the country's BBAN format
                        pattern
``[EMAIL]``             email address       any domain, public or not: ``a@b.example``,
                                            ``someone@corp.internal``, ``a.b@localhost``; the
                                            last domain label starts with a letter, and a handle
                                            (``@VoiceLoopBank``) has no local part, so is kept;
                                            Latin characters only, so it stops at Chinese or
                                            Japanese text (``邮箱是wang.xm@example.cn，谢谢``)
``[PHONE]``             UK phone            07 mobiles, 01/02 landlines, +44 / 0044 forms;
                                            national number of 10 digits (9 for some 01 areas);
                                            grouped by spaces, dashes, brackets or dots (dots
                                            never mixed with spaces, which reads as a date and
                                            a time: ``01.02.2024 10.30``)
``[PHONE]``             Chinese phone       mobiles ``1[3-9]x`` (11 digits, 3-4-4 or not
                                            grouped, +86 / 0086 / (+86)); landlines 0 + area
                                            code 10 / 2x (8-digit number) or 3-9xx (7-8 digits):
                                            ``010-12345678``, ``(0755)8888 1234``; 400 / 95xxx
                                            service numbers are kept
``[PHONE]``             Japanese phone      +81 / 0081 or 0 + 9 digits (``03-1234-5678``,
                                            ``0466-12-3456``, ``0120-123-456``), 10 for
                                            050/070/080/090 and 0800; hyphens, spaces, brackets
                                            (``03(1234)5678``); written plain or spaced the UK
                                            way ("0800 123 4567") a domestic Chinese landline or
                                            Japanese number needs Chinese or Japanese text
                                            within 20 characters
``[SORT_CODE]``         UK sort code        ``12-34-56`` / ``12 34 56``; one that reads like a
                                            date needs sort-code context (English, Chinese or
                                            Japanese: 分类代码, 银行代码, ソートコード, 支店番号)
                                            or an account number next to it; ``123456`` only
                                            near those words
``[ACCOUNT_NUMBER]``    account number      UK: 8 digits (``12345678``, ``1234 5678``) near
                                            "account" / "a/c" / "sort code" / 账号 / 账户 /
                                            帐号 / 口座; Japanese: 7 digits within 30 characters
                                            after 口座; Chinese: 10-19 digits within 20 after
                                            账号 / 账户 / 户口
``[NI_NUMBER]``         National Insurance  HMRC prefix rules (no D F I Q U V first, no
                                            D F I O Q U V second, no BG GB KN NK NT TN ZZ)
``[POSTCODE]``          postcode            UK: the full pattern (``SW1A 1AA``, ``M1 1AE``); a
                                            lower-case one needs address context (also 地址,
                                            邮编, 住所, 郵便番号...); Japanese ``100-0001`` after
                                            〒 / 郵便; Chinese 6 digits after 邮编 / 邮政编码
``[ID_NUMBER]``         national ID         Chinese resident ID: 18 characters, a real birth
                                            date, ISO 7064 MOD 11-2 check character (0-9 or X);
                                            Japanese My Number: 12 digits and its check digit,
                                            in Chinese or Japanese text or after "My Number" /
                                            マイナンバー / 個人番号 (one number in ten passes)
``[NAME]``              names from the row  Latin: the full name in either order ("Wang
                                            Xiaoming" / "Xiaoming Wang") and each part of 3+
                                            letters, word-bounded, in any case and with or
                                            without accents (``Siobhán`` / ``SIOBHAN``); a
                                            two-letter part only after a title ("Mr Wu") or
                                            before an honorific ("Wu先生"); a part that is also
                                            a common word ("Will") only when it reads as a name.
                                            Han and kana, in the script the row gives: the full
                                            name as a substring, with or without the space
                                            (``王小明`` / ``王 小明``); a family or given name
                                            alone only right before an honorific (``王先生``,
                                            ``山田様``, ``太郎さん``), never a lone character
======================  ==================  ====================================================

Chinese and Japanese text: Python's ``\\w`` and ``\\b`` treat Han and kana as word characters,
but these languages put no space between a word and a number, so every boundary here treats
them as a boundary (``手机号码是07700 900461，`` is a phone number). Amounts, dates, times and
counts stay: a number followed by 元 / 円 / 万 / 年 / 月 / 日 / 号 / 時 / 分..., and one
within 12 characters after a reference word (订单号, 流水号, 受付番号, 注文番号...) is not
a phone, ID or account number.

Normalisation: matching runs on ``redaction_text.normalize(text)``, NFKC character by
character (full-width digits, letters and punctuation, the ideographic space, ＋, －, ＠ and
half-width katakana become their usual forms; dashes and ー between digits become "-"), with
characters whose NFKC form is longer left as they are, so every offset is the same: the
stored text keeps what was typed outside the replaced spans (``電話は[PHONE]です！``).

Overlaps are resolved before replacing: the longest span wins, then the higher score, so an
IBAN is never split into a sort code and an account number and an email is not split at a name;
the same span found as two types is an ID number before an IBAN before a card.

Importing this module is cheap (the standard library only): Presidio (which imports spaCy and
takes seconds and a few hundred MB) is imported by ``foundation._presidio`` when the first
``Redactor`` is built, that is on the first ``get_redactor()``.

Speed: each entity type has a cheap necessary condition (a digit-led regex implied by every
match of its patterns, ``redaction_patterns.NEEDS``); a recognizer only runs when its condition
holds, so a skipped recognizer can never be a miss; one Presidio recognizer per type, whose
Chinese and Japanese patterns only run when the words they need are in the text. The email
pattern only runs over the white-space delimited tokens that contain an ``@``; names are plain
substring searches in the folded (lower-cased, accent-free) text (nothing compiled per
customer). Per 1,500-character transcript on one core (``bench/redaction.py``, CPU time, a
shared 2-core machine): English 0.15 ms PII-free, 1.0 ms full of PII; Chinese 0.6 / 2.1 ms;
Japanese 0.5 / 1.7 ms.

Quality (``tests/foundation/test_redaction*.py``): the golden set has 90 English, 68 Chinese
and 65 Japanese values, 0 missed; 0 of 76 English and 0 of 80 Chinese and Japanese PII-free
contact-centre sentences are changed, and 0 of BANKING77's 13,083 queries.

Context windows look at up to 100 characters before a match and 40 after, so redacting a whole
transcript in one call (``redact`` on the joined text, or ``redact_turns``) lets the agent's
"and the sort code?" be the context for the customer's answer in the next turn.

Nothing here logs the text or any part of it.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence

from foundation.redaction_names import name_spans
from foundation.redaction_patterns import HAS_DIGIT, NAME, NEEDS, RECOGNIZERS, TOKENS
from foundation.redaction_text import normalize

__all__ = ["TOKENS", "Redactor", "get_redactor"]


# Which type a span found twice is labelled: an 18-digit resident ID can pass the Luhn check.
_RANK = {entity: rank for rank, entity in enumerate(("ID_NUMBER", "IBAN", "CARD"))}


def _resolve_overlaps(spans: list[tuple[int, int, float, str]]) -> list[tuple[int, int, str]]:
    """Keep non-overlapping spans, in text order: the longest span wins, then the higher
    score, then the earlier one; the same span found as two types is the better-ranked one."""
    starts: list[int] = []
    ends: list[int] = []
    kept: list[tuple[int, int, str]] = []
    order = sorted(spans, key=lambda s: (s[0] - s[1], -s[2], s[0], _RANK.get(s[3], len(_RANK))))
    for start, end, _score, entity in order:
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
        self.redact("手机号码是０７７００　９００１２３，王先生", ["王小明"])

    def _find(
        self, text: str, names: tuple[str, ...], *, prefilter: bool = True
    ) -> list[tuple[int, int, str]]:
        """(start, end, entity type) of each PII span, non-overlapping, in text order.
        ``prefilter=False`` runs every recognizer (the tests check it finds the same)."""
        # Same length as ``text``: every span found in it is the same span of ``text``.
        text = normalize(text)
        spans: list[tuple[int, int, float, str]] = []
        if not prefilter or "@" in text or HAS_DIGIT.search(text):
            held: dict[Callable[[str], object], bool] = {}  # a shared condition runs once
            entities = []
            for entity, needed in NEEDS:
                if prefilter and needed not in held:
                    held[needed] = bool(needed(text))
                if not prefilter or held[needed]:
                    entities.append(entity)
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
        name_key = tuple(sorted({normalize(n) for n in names or () if n and n.strip()}))
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
