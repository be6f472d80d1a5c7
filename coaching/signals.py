"""Knowledge-gap and vulnerability signals: pure, fast functions over redacted turns and fields.

``detect(turns, outcome=, csat=, actions=, uncertainty_phrases=)`` returns at most one
:class:`Found` per :class:`SignalKind` for one interaction, in ``SignalKind`` order.
``repeat_contact(evidence_turns, days_apart, limit_days)`` builds the repeat-contact signal for a
pair the importer found in the database. Nothing here touches the database or mutates its input;
the patterns are compiled once (the configurable phrase list once per distinct list), and a
phrase pattern only runs over a text that holds one of its needles, a cheap necessary
condition that never changes a result (``_Phrases``): about 0.2 ms an interaction.

Turns are ``{"speaker": "agent" | "customer" | "notes", "text": ...}`` as made by
:func:`coaching.transcript.parse_turns` and already redacted. Other speakers are ignored.

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

Agent uncertainty (``uncertainty``)
    A configured phrase (``Settings.uncertainty_phrases``) in an AGENT turn, not negated. These
    uses of a phrase are conversation, not a knowledge gap, and do not fire: the rhetorical
    "I don't know / I'm not sure if (or whether) you've seen / heard / tried / used / noticed /
    know ..." ("I don't know if you've seen our app, it's great"), "I don't know about you", the
    security line "I don't know your PIN / password / passcode / memorable ...", and "I'm not
    sure I caught / heard / got / followed that" (a hearing problem). Customer turns and notes
    are never read for uncertainty. First occurrence wins. Reason ``agent said "<configured
    phrase>"``.

Transfer, escalation, unresolved (``transfer``, ``escalation``, ``unresolved``)
    Transfer: ``outcome = transferred``, or an agent turn that transfers the customer ("I'm
    transferring you", "I'll transfer you", "transfer your call", "I'll put you through to",
    "pass you (over) to", "connect you to / with", "hand you over", "redirect you"; "after the
    transfer you authorised" is a payment). Escalation: ``outcome = escalated``, or an agent turn
    with "escalate / escalated / escalating / escalation", "speak / talk to (or with) my (or a /
    the / our) manager / team leader / supervisor / senior", "get / ask / fetch my manager ...",
    "refer this to my manager ..." ("let me check with my team leader" is uncertainty, not
    escalation; a customer demanding a manager is not an agent escalation). Both phrase rules
    read agent turns only (notes such as "transferred £50 to savings" are not call transfers).
    When the outcome and a phrase agree the reason names both (``outcome = transferred; agent
    said "put you through"``). Unresolved: ``outcome = unresolved`` only.

Low CSAT (``low_csat``)
    ``csat <= LOW_CSAT_MAX`` (2). Reason ``CSAT 2 <= 2``.

Negative sentiment at the end (``negative_sentiment``)
    Method: VADER (``vaderSentiment``; Hutto & Gilbert 2014, MIT licence, its human-rated
    7,500-word lexicon ships inside the wheel, so nothing is downloaded) plus a short
    contact-centre dissatisfaction phrase list of our own (``_DISSATISFIED``). Why VADER rather
    than only a word list of ours: it already handles negation ("not happy"), intensifiers
    ("really awful"), "but", capitals and exclamation marks over thousands of rated words,
    deterministically, in about 30 microseconds a sentence. Why the adjustments: out of the box
    it scores plain banking facts as negative ("my card was stolen", "the payment failed"),
    reads "No thanks." as -0.34 and "Nothing, I'm great." as -0.51, and misses how customers
    complain ("third time I've called", "waste of time", "so you can't help me"). So:

    1. our private copy of the lexicon drops the words that describe the banking matter rather
       than a feeling (``_NEUTRAL_BANKING_WORDS``: stolen, fraud, lost, rejected, failed, wrong,
       dispute, debt, broke, trouble, stuck, died ... and "no"; deaths and debts are the
       vulnerability signal's business), adds shambles / rubbish / farce / shocking, and makes
       "joke" neutral (the phrase list catches "this is a joke");
    2. text is scored in units (split at ``. ! ? ;``, line breaks and "but / however / although /
       though") after dropping a leading "no / nope / nah / nothing" interjection, and units that
       are only pleasantries ("No thanks, bye.", "That's all, cheers", "OK") are skipped;
    3. rule: over the last ``ENDING_CUSTOMER_TURNS`` (2) customer turns, walk back from the last
       unit, skipping pleasantries and neutral units (``|compound| < 0.05``). The first unit left
       decides. It fires when that unit holds a non-negated dissatisfaction phrase (complaint,
       ombudsman, waste of time, third time I've ..., called three times, still not sorted /
       arrived, not happy / impressed / helpful, unhappy, dissatisfied, fed up, sick of, had
       enough, thanks for nothing, this is a joke / shambles, no help at all, not much help,
       useless, take my business elsewhere, you can't help me, nobody can help), or when its
       compound is ``<= SENTIMENT_THRESHOLD`` (-0.40) and its whole turn leans negative too
       (compound ``<= -0.05``; "Thanks for sorting that. I was so worried." is relief).
       Otherwise (the last feeling expressed is positive or mild) it does not fire: "Brilliant,
       thank you so much" clears an earlier complaint, a bare "thanks, bye" does not.

    The threshold was set by hand on real text: of the 1,021 Schema-Guided Dialogue banking
    dialogues one fires (a user's "Unfortunately my baby sitter just cancelled, so I won't be
    free..."), and 33 of the 3,080 BANKING77 test queries (1.1%; problem statements, not
    endings) would, nearly all real complaints ("This company is terrible!", "I am really
    disappointed and embarrassed..."). Notes are not the customer's words and are never scored.
    The reason quotes the unit and the score: ``customer ended negatively: VADER compound -0.53
    <= -0.40 ("That's disgusting service")`` or ``customer ended with dissatisfaction phrase
    "waste of time"``.

Missed vulnerability (``missed_vulnerability``)
    A customer cue (``_VULNERABILITY_CUES``), not negated, with no acknowledgement or support
    (``_ACKNOWLEDGEMENT``) in any AGENT turn after it and no support action in ``actions``.
    The reason names the category and its driver of vulnerability in the FCA's FG21/1 guidance
    (health, life events, resilience, capability):

    ======================== =========== ===================================================
    category                 FCA driver  cues (examples)
    ======================== =========== ===================================================
    bereavement              life events passed away, died (not "my phone / battery / line
                                         died"), funeral, bereaved, bereavement, widow(ed/er),
                                         lost my husband / mum / dad ..., death in the family
    serious illness          health      cancer, chemo, radiotherapy, hospital, terminally ill,
                                         terminal illness ("terminal" alone is a card
                                         terminal), seriously ill, dementia, had a stroke,
                                         heart attack
    mental health            health      depression, depressed, anxiety, panic attack(s),
                                         mental health, suicidal, self-harm, end it all
    job loss                 life events lost my (his / her ...) job, made redundant, redundancy,
                                         unemployed, laid off, out of work, been sacked
    debt or arrears          resilience  arrears, can't afford, behind on / with payments /
                                         rent / mortgage / bills, debt collectors, bailiffs,
                                         in debt, struggling to pay / with money, stressed
                                         about money
    caring responsibilities  life events carer, caring for my mum ..., looking after my dad ...
    domestic abuse           life events partner / husband ... controls (takes) my money,
                                         domestic abuse / violence, abusive, coercive control,
                                         financial / economic abuse
    scam                     life events scammed, fraudster, victim of a scam / fraud, told me to
                                         move my money, safe account
    low digital confidence   capability  not good with computers / technology, don't use the
                                         app, can't use online banking, don't have a
                                         smartphone
    ======================== =========== ===================================================

    FG21/1 names no driver for scams; we count being scammed as a life event (a sudden loss
    that also strains resilience). A capitalised cue next to another capitalised word in the
    same sentence is a name, not a cue ("A Madea Family Funeral", "Cancer Research UK").

    Acknowledgement, in an agent turn after the cue (negation-aware, so "we don't support that"
    is not support): sorry to hear / sorry for your loss / so sorry / really sorry /
    condolences, I (can / completely) understand, that must be hard / difficult ..., take your
    time, no rush, support, breathing space, specialist team / support, vulnerable /
    vulnerability, extra / additional help or support, payment holiday / break / plan, freeze
    the interest, hold on collections, bereavement team / service, note or flag it on the
    account, and signposting to StepChange, MoneyHelper, Money Advice Service, National
    Debtline, Citizens Advice, Samaritans, Macmillan, Cruse, Refuge, Women's Aid, Victim
    Support, Action Fraud, Age UK, or debt advice. For low digital confidence only, offering
    help without the app also counts (``_OFFLINE_HELP``: paper statements, by post, in branch,
    over the phone for you, send you a letter / form). An acknowledgement before the cue does
    not count.

    Support actions (``actions``; compared upper-cased, spaces and dashes read as ``_``): any
    code in ``SUPPORT_ACTIONS`` (VULN_FLAG, VULNERABILITY_FLAG, VULNERABLE, VULNERABLE_CUSTOMER,
    SUPPORT_REFERRAL, SUPPORT_NEEDS, BREATHING_SPACE, SPECIALIST_TEAM, SPECIALIST_REFERRAL,
    BEREAVEMENT_TEAM, BEREAVEMENT, PAYMENT_HOLIDAY, PAYMENT_PLAN, FORBEARANCE, FINANCIAL_SUPPORT,
    FINANCIAL_DIFFICULTY, COLLECTIONS_HOLD, INTEREST_FREEZE, SIGNPOST, SIGNPOSTED, SIGNPOSTING,
    DEBT_ADVICE, SAFEGUARDING, SCAM_SUPPORT, CARER_ACCESS, THIRD_PARTY_ACCESS, POWER_OF_ATTORNEY,
    ACCESSIBILITY) or starting with one of ``SUPPORT_ACTION_PREFIXES`` (VULN, SIGNPOST,
    SAFEGUARD, BEREAVE, BREATHING). One of them clears every cue of the interaction.

    Notes turns (a notes-only interaction, or a header before the labels) are read for cues,
    and an acknowledgement anywhere in the notes counts (they are the agent's own summary). The
    first unacknowledged cue is the evidence. Reason: ``customer cue "passed away"
    (bereavement; FCA driver: life events) with no agent acknowledgement or support action
    after it``.

Evidence
    ``Customer: ... / Agent: ...``: for an agent trigger, the nearest customer turn before it and
    that agent turn; for a customer trigger, that customer turn and the next agent turn (none if
    the customer had the last word); for a field-only signal (outcome, CSAT, repeat contact;
    ``turn_index`` is ``None``), the contact's main question (the first customer turn with a
    question mark or at least six words, else the longest customer turn) and the agent's
    answer. Notes give ``Notes: ...``; no turns at all give ``(no transcript)``. White space is
    collapsed and the whole is at most ``EVIDENCE_MAX_CHARS`` (600) characters: each side keeps
    the text around the trigger phrase, otherwise the customer side keeps its end (next to the
    answer) and the agent side its start, with ``…`` where text was cut. Reasons are at most
    ``REASON_MAX_CHARS`` (300, the column's size).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from coaching.models import Outcome, SignalKind

EVIDENCE_MAX_CHARS = 600
REASON_MAX_CHARS = 300
LOW_CSAT_MAX = 2
SENTIMENT_THRESHOLD = -0.4
ENDING_CUSTOMER_TURNS = 2
_NEUTRAL_BAND = 0.05
_MAIN_QUESTION_MIN_WORDS = 6


@dataclass(frozen=True)
class Found:
    """One signal found in one interaction, ready to be stored as a ``Signal`` row."""

    kind: SignalKind
    evidence: str
    reason: str
    turn_index: int | None


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
# hoped: tests/coaching/test_signal_prefilters.py walks every path through each family's
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


# --- fixed phrase families -------------------------------------------------------------------

_TRANSFER = _Phrases(
    _rx(
        # "after the transfer you authorised" is a payment, not a transfer of the call
        r"transferr?ing you|(?<!the\x20)(?<!a\x20)(?<!this\x20)(?<!that\x20)(?<!your\x20)"
        r"(?<!my\x20)transfer you|transfer your call|transferring your call"
        r"|put(?:ting)? you (?:through|across)|pass(?:ing)? you (?:over |across |back )?to"
        r"|connect(?:ing)? you (?:to|with)|hand(?:ing)? you over|redirect(?:ing)? you"
    ),
    (
        "transfer",
        "put you",
        "putting you",
        "pass you",
        "passing you",
        "connect you",
        "connecting you",
        "hand you over",
        "handing you over",
        "redirect",
    ),
)
_ESCALATION = _Phrases(
    _rx(
        r"escalat(?:e|ed|es|ing|ion)"
        r"|(?:speak|talk) (?:to|with) (?:my|a|the|our) "
        r"(?:line manager|manager|team leader|supervisor|senior|team manager)"
        r"|(?:get|ask|fetch|grab) (?:my|a|the) (?:manager|team leader|supervisor)"
        r"|refer (?:this|it|you|that) (?:up )?to (?:my|a|the|our) "
        r"(?:manager|team leader|supervisor|senior)"
    ),
    ("escalat", "manager", "team leader", "supervisor", "senior"),
)

_FAMILY = (
    r"husband|wife|partner|mum|mom|mother|dad|father|son|daughter|child|baby|brother|sister"
    r"|grandma|grandmother|grandad|granddad|grandfather|nan|nana|gran|parents?|kids|children"
)
# (category, FCA driver, pattern, needles: see ``_Phrases``)
_VULNERABILITY_CUES: tuple[tuple[str, str, re.Pattern[str], tuple[str, ...]], ...] = (
    (
        "bereavement",
        "life events",
        _rx(
            r"passed away|died|funeral|bereave(?:d|ment)|widow(?:ed|er)?"
            rf"|lost my (?:{_FAMILY})|death (?:of|in) (?:my|the family)"
        ),
        ("passed away", "died", "funeral", "bereave", "widow", "lost my", "death of", "death in"),
    ),
    (
        "serious illness",
        "health",
        _rx(
            r"cancer|chemo(?:therapy)?|radiotherapy|hospitali[sz]ed|hospital"
            r"|terminally ill|terminal (?:illness|cancer|diagnosis|condition)|seriously ill"
            r"|dementia|alzheimer's|had a stroke|heart attack"
        ),
        (
            "cancer",
            "chemo",
            "radiotherapy",
            "hospital",
            "terminally ill",
            "terminal illness",
            "terminal cancer",
            "terminal diagnosis",
            "terminal condition",
            "seriously ill",
            "dementia",
            "alzheimer",
            "had a stroke",
            "heart attack",
        ),
    ),
    (
        "mental health",
        "health",
        _rx(
            r"depression|depressed|anxiety|panic attacks?|mental health|suicidal"
            r"|self(?:-| )?harm(?:ing)?|end it all|end my life"
        ),
        (
            "depress",
            "anxiety",
            "panic attack",
            "mental health",
            "suicidal",
            "harm",
            "end it all",
            "end my life",
        ),
    ),
    (
        "job loss",
        "life events",
        _rx(
            r"lost (?:my|his|her|their|our) jobs?|made redundant|redundancy|unemployed"
            r"|laid off|out of work|(?:been|got) (?:sacked|fired)"
        ),
        (
            *(f"lost {whose} job" for whose in ("my", "his", "her", "their", "our")),
            "made redundant",
            "redundancy",
            "unemployed",
            "laid off",
            "out of work",
            "sacked",
            "fired",
        ),
    ),
    (
        "debt or arrears",
        "resilience",
        _rx(
            r"arrears|can't afford|cannot afford|couldn't afford"
            r"|behind (?:on|with) (?:my |the |our )?(?:payments?|repayments?|rent|mortgage|bills?)"
            r"|debt collect(?:ors?|ion)|bailiffs?|in debt|struggling to pay"
            r"|struggling (?:financially|with money|with (?:my |the )?bills)|stressed about money"
        ),
        (
            "arrears",
            "afford",
            "behind on",
            "behind with",
            "debt collect",
            "bailiff",
            "in debt",
            "struggling",
            "stressed about money",
        ),
    ),
    (
        "caring responsibilities",
        "life events",
        _rx(rf"carer|caring for (?:my|our) (?:{_FAMILY})|look(?:ing)? after my (?:{_FAMILY})"),
        ("carer", "caring for", "look after my", "looking after my"),
    ),
    (
        "domestic abuse",
        "life events",
        _rx(
            r"(?:partner|husband|wife|ex|boyfriend|girlfriend) (?:controls|takes|took|has taken"
            r"|keeps|controlled) (?:all )?(?:of )?my money"
            r"|domestic (?:abuse|violence)|abusive|coercive control|(?:financial|economic) abuse"
        ),
        ("my money", "domestic", "abusive", "coercive control", "abuse"),
    ),
    (
        "scam",
        "life events",
        _rx(
            r"scammed|fraudsters?|victim of (?:a )?(?:scam|fraud)"
            r"|told me to (?:move|transfer) my money|safe account"
        ),
        ("scammed", "fraudster", "victim of", "told me to", "safe account"),
    ),
    (
        "low digital confidence",
        "capability",
        _rx(
            r"not (?:very |that |too |so )?good with (?:computers|technology|tech|the internet"
            r"|phones|apps|online)|don't use the app|can't use (?:the app|online banking|apps"
            r"|the internet)|don't (?:do|use|have) online banking"
            r"|don't have (?:a smartphone|a smart phone|the internet|internet|a computer)"
        ),
        (
            "good with",
            "use the app",
            "use apps",
            "use the internet",
            "online banking",
            "have a smart",
            "have the internet",
            "have internet",
            "have a computer",
        ),
    ),
)
# All the cues in one pass; group ``c<i>`` is ``_VULNERABILITY_CUES[i]``.
_ANY_CUE = _Phrases(
    re.compile(
        "|".join(f"(?P<c{i}>{cue[2].pattern})" for i, cue in enumerate(_VULNERABILITY_CUES)),
        re.IGNORECASE,
    ),
    tuple(needle for cue in _VULNERABILITY_CUES for needle in cue[3]),
)
# "my phone died" is not a bereavement.
_DEVICE_WORDS = _words(
    """phone mobile battery laptop computer tablet app line signal connection it car screen
    internet wifi charger card"""
)

_ACKNOWLEDGEMENT = _Phrases(
    _rx(
        r"sorry (?:to hear|for your loss|about your|that you|you're going through"
        r"|you've been through)|so sorry|really sorry|condolences"
        r"|i (?:completely |totally |fully |do )?(?:can )?understand"
        r"|that must (?:be|have been) (?:really |so |very )?(?:hard|difficult|tough|awful|terrible"
        r"|horrible|upsetting|distressing|worrying|frightening|scary)"
        r"|take (?:your|as much) time|no rush"
        r"|support(?:ing|ed)?|breathing space|specialist (?:team|support|department)"
        r"|vulnerab\w+|(?:extra|additional) (?:help|support)"
        r"|payment (?:holiday|break|plan)|freeze (?:the |your )?interest"
        r"|(?:hold|pause) (?:on )?(?:the )?collections|bereavement (?:team|service|support|centre"
        r"|center|line)|(?:note|flag|record) (?:this|that|it) on (?:your|the) account"
        r"|step ?change|money ?helper|money advice service|national debtline|citizens advice"
        r"|samaritans|macmillan|cruse|refuge|women's aid|victim support|action fraud|age uk"
        r"|debt advice"
    ),
    (
        "sorry",
        "condolences",
        "understand",
        "that must",
        "take your time",
        "take as much time",
        "no rush",
        "support",
        "breathing space",
        "specialist",
        "vulnerab",
        "extra help",
        "additional help",
        "payment holiday",
        "payment break",
        "payment plan",
        "freeze",
        "collections",
        "bereavement",
        "on your account",
        "on the account",
        "step",
        "helper",
        "advice",
        "debtline",
        "samaritans",
        "macmillan",
        "cruse",
        "refuge",
        "women",
        "action fraud",
        "age uk",
    ),
)

# Offered help without the app or the website: acknowledges low digital confidence only.
_OFFLINE_HELP = _Phrases(
    _rx(
        r"paper statements?|by post|in (?:a |the |your )?(?:local )?branch|over the phone for you"
        r"|(?:send|post) (?:you )?(?:a |the )?(?:letter|form|paper)"
    ),
    ("paper", "by post", "branch", "over the phone for you", "letter", " form"),
)
_DIGITAL = "low digital confidence"

SUPPORT_ACTIONS = _words(
    """VULN_FLAG VULNERABILITY_FLAG VULNERABLE VULNERABLE_CUSTOMER SUPPORT_REFERRAL SUPPORT_NEEDS
    BREATHING_SPACE SPECIALIST_TEAM SPECIALIST_REFERRAL BEREAVEMENT_TEAM BEREAVEMENT
    PAYMENT_HOLIDAY PAYMENT_PLAN FORBEARANCE FINANCIAL_SUPPORT FINANCIAL_DIFFICULTY
    COLLECTIONS_HOLD INTEREST_FREEZE SIGNPOST SIGNPOSTED SIGNPOSTING DEBT_ADVICE SAFEGUARDING
    SCAM_SUPPORT CARER_ACCESS THIRD_PARTY_ACCESS POWER_OF_ATTORNEY ACCESSIBILITY"""
)
SUPPORT_ACTION_PREFIXES = ("VULN", "SIGNPOST", "SAFEGUARD", "BEREAVE", "BREATHING")

_DISSATISFIED = _Phrases(
    _rx(
        r"(?:make|making|raise|raising|file|filing|log|logging|lodge|put in) "
        r"(?:a |an )?(?:formal )?complaint|formal complaint|complain(?:ing)?|ombudsman"
        r"|waste of (?:my )?time|wasted (?:my time|an hour|hours|the whole)"
        r"|(?:second|third|fourth|fifth|sixth|umpteenth|\d+(?:st|nd|rd|th)) time "
        r"(?:i've|i have|i am|i'm|now|today|this week|calling|ringing|phoning|i called|i rang)"
        r"|(?:called|rung|rang|phoned|contacted you) "
        r"(?:three|four|five|six|several|so many|multiple|\d+) times"
        r"|still (?:not|isn't|hasn't|haven't|hasn't been|not been) (?:been )?(?:sorted|resolved"
        r"|fixed|working|arrived|received|refunded|done)"
        r"|not (?:very |at all |too )?(?:happy|impressed|good enough|acceptable|helpful|satisfied)"
        r"|unhappy|dissatisfied|unsatisfied|fed up|sick (?:and tired )?of|had enough|wits' end"
        r"|thanks? (?:you )?for nothing|cheers for nothing"
        r"|(?:this is|that's|what) (?:an? )?(?:absolute |complete |total |bloody )?(?:joke|shambles"
        r"|farce|disgrace)|no help (?:at all|whatsoever)|unhelpful"
        r"|(?:not|wasn't|isn't|haven't been|hasn't been|not been) (?:any|much|very|of any) help"
        r"|take my (?:business|money|custom) elsewhere|(?:moving|switching) (?:banks|elsewhere)"
        r"|(?:you |so you )?(?:can't|cannot|won't|couldn't) (?:help|do anything for) me"
        r"|(?:nobody|no one|no-one) (?:can|will|is able to|could) help|useless"
    ),
    (
        "complain",
        "ombudsman",
        "waste of",
        "wasted",
        *(f"time {then}" for then in ("i", "now", "today", "this week", "calling", "ringing")),
        "time phoning",
        "times",
        "still not",
        "still isn",
        "still hasn",
        "still haven",
        *(
            f"not {adverb}{word}"
            for adverb in ("", "very ", "at all ", "too ")
            for word in ("happy", "impressed", "good enough", "acceptable", "helpful", "satisfied")
        ),
        "unhappy",
        "dissatisfied",
        "unsatisfied",
        "fed up",
        "sick",
        "had enough",
        "wits",
        "for nothing",
        "joke",
        "shambles",
        "farce",
        "disgrace",
        "no help",
        "unhelpful",
        "any help",
        "much help",
        "very help",
        "elsewhere",
        "moving banks",
        "switching banks",
        "help me",
        "do anything for me",
        "nobody",
        "no one",
        "no-one",
        "useless",
    ),
)


# --- sentiment -------------------------------------------------------------------------------

# Words that describe the banking matter, not the customer's feeling (see the module docstring).
_NEUTRAL_BANKING_WORDS = _words(
    """no stolen steal fraud fraudulent denied deny rejected reject lost lose loss problem problems
    wrong charges charged dispute cancel cancelled fail failed failure broken debt scam block
    blocked error mistake stop missing emergency damage damaged hacked victim risk crime criminal
    freeze joke broke trouble stuck trapped accident dead died"""
)
_EXTRA_VALENCES = {"shambles": -2.5, "rubbish": -2.0, "farce": -2.0, "shocking": -2.0}
_UNIT_SPLIT = re.compile(r"[.!?;\n]+|\b(?:but|however|although|though)\b", re.IGNORECASE)
_LEADING_INTERJECTION = re.compile(r"^\W*(?:no|nope|nah|nothing(?: else)?)\b\W*", re.IGNORECASE)
_PLEASANTRY = _rx(
    r"thanks?(?: you)?(?: (?:so|very) much)?(?: (?:again|anyway|a lot|for your time"
    r"|for calling))?|thank-you|ta|cheers|bye(?:-bye| bye| now| then)?|goodbye|see you"
    r"|ok(?:ay)?|alright|all right|fine|right|yes|yeah|yep|no|nope|nah|sure|take care"
    r"|have an? (?:good|nice|great|lovely) (?:day|evening|afternoon|weekend|one)|you too"
    r"|much appreciated|that's (?:all|it|everything)(?: for now| for today)?|that is all"
    r"|nothing(?: else)?|i think|for now"
)
_WORD = re.compile(r"\w")


@cache
def _vader() -> Any:
    """VADER with our lexicon adjustments; loaded once per process (about 15 ms)."""
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    analyzer = SentimentIntensityAnalyzer()
    for word in _NEUTRAL_BANKING_WORDS:
        analyzer.lexicon.pop(word, None)
    analyzer.lexicon.update(_EXTRA_VALENCES)
    return analyzer


def _sentiment_units(text: str) -> list[str]:
    units = []
    for raw in _UNIT_SPLIT.split(text.translate(_TO_STRAIGHT)):
        unit = raw.strip(" \t,-")
        if unit and _WORD.search(_PLEASANTRY.sub(" ", unit)):
            units.append(unit)
    return units


def _compound(text: str) -> float:
    units = [_LEADING_INTERJECTION.sub("", unit) for unit in _UNIT_SPLIT.split(text)]
    return float(_vader().polarity_scores(". ".join(u for u in units if u))["compound"])


def _negative_ending(turns: list[dict[str, str]], folded: _Folded) -> tuple[int, str] | None:
    """(turn index, reason) when the customer's last words are negative; see the docstring."""
    customer = [i for i, t in enumerate(turns) if t.get("speaker") == "customer"]
    for index in reversed(customer[-ENDING_CUSTOMER_TURNS:]):
        units = _sentiment_units(turns[index]["text"])
        # Units are pieces of the turn (apostrophes straightened, which no needle holds).
        dissatisfied = _DISSATISFIED.may_match(folded.turn(index))
        for unit in reversed(units):
            phrase = _first(_DISSATISFIED.pattern, unit) if dissatisfied else None
            if phrase is not None:
                said = _squash(phrase.group(0)).lower()
                return index, f'customer ended with dissatisfaction phrase "{said}"'
            compound = _compound(unit)
            if abs(compound) < _NEUTRAL_BAND:
                continue
            # The turn as a whole must lean negative too: "Thanks for sorting that. I was so
            # worried." is relief, not a bad ending.
            if compound <= SENTIMENT_THRESHOLD and _compound(". ".join(units)) <= -_NEUTRAL_BAND:
                quoted = _clip(_squash(unit), 80)
                return index, (
                    f"customer ended negatively: VADER compound {compound:.2f} <= "
                    f'{SENTIMENT_THRESHOLD:.2f} ("{quoted}")'
                )
            return None
    return None


# --- evidence --------------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")
_LABELS = {"customer": "Customer", "agent": "Agent", "notes": "Notes"}
_JOIN = " / "


def _squash(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _trim(text: str, budget: int, focus: tuple[int, int] | None, keep: str) -> str:
    """At most ``budget`` characters of ``text``, squashed, keeping ``focus`` (a span) visible."""
    text_squashed = _squash(text)
    if len(text_squashed) <= budget:
        return text_squashed
    budget = max(budget, 2)
    if focus is not None:
        start, end = focus
        before = max(0, (budget - (end - start)) // 3)
        lo = max(0, start - before)
        window = text[lo:]
        # Squash first, then cut, so the budget is in output characters.
        head = "…" if lo > 0 else ""
        body = _squash(window)
        if len(head) + len(body) <= budget:
            return head + body
        return head + body[: budget - len(head) - 1].rstrip() + "…"
    if keep == "end":
        return "…" + text_squashed[-(budget - 1) :].lstrip()
    return text_squashed[: budget - 1].rstrip() + "…"


def _evidence(
    turns: list[dict[str, str]],
    customer_index: int | None,
    agent_index: int | None,
    *,
    focus_index: int | None = None,
    focus: tuple[int, int] | None = None,
) -> str:
    parts: list[tuple[int, str]] = []  # (turn index, keep side)
    if customer_index is not None:
        parts.append((customer_index, "end"))
    if agent_index is not None:
        parts.append((agent_index, "start"))
    if not parts:
        return "(no transcript)"
    labels = [f"{_LABELS.get(turns[i].get('speaker', ''), 'Notes')}: " for i, _ in parts]
    overhead = sum(len(label) for label in labels) + len(_JOIN) * (len(parts) - 1)
    available = EVIDENCE_MAX_CHARS - overhead
    lengths = [len(_squash(turns[i]["text"])) for i, _ in parts]
    budgets = [available // len(parts)] * len(parts)
    spare = sum(max(0, b - n) for b, n in zip(budgets, lengths, strict=True))
    for k, (b, n) in enumerate(zip(budgets, lengths, strict=True)):
        if n > b:
            extra = min(spare, n - b)
            budgets[k] += extra
            spare -= extra
    out = []
    for (i, keep), label, budget in zip(parts, labels, budgets, strict=True):
        span = focus if i == focus_index else None
        out.append(label + _trim(turns[i]["text"], budget, span, keep))
    return _JOIN.join(out)


def _previous(turns: list[dict[str, str]], index: int, speaker: str) -> int | None:
    for i in range(index - 1, -1, -1):
        if turns[i].get("speaker") == speaker:
            return i
    return None


def _next(turns: list[dict[str, str]], index: int, speaker: str) -> int | None:
    for i in range(index + 1, len(turns)):
        if turns[i].get("speaker") == speaker:
            return i
    return None


def _agent_evidence(turns: list[dict[str, str]], index: int, span: tuple[int, int]) -> str:
    return _evidence(
        turns, _previous(turns, index, "customer"), index, focus_index=index, focus=span
    )


def _cue_evidence(turns: list[dict[str, str]], index: int, span: tuple[int, int]) -> str:
    if turns[index].get("speaker") == "notes":
        return _evidence(turns, None, index, focus_index=index, focus=span)
    return _evidence(turns, index, _next(turns, index, "agent"), focus_index=index, focus=span)


def _main_question(turns: list[dict[str, str]]) -> int | None:
    """The customer's first real question (or, failing that, their longest turn)."""
    customer = [i for i, t in enumerate(turns) if t.get("speaker") == "customer"]
    return next(
        (
            i
            for i in customer
            if "?" in turns[i]["text"] or len(turns[i]["text"].split()) >= _MAIN_QUESTION_MIN_WORDS
        ),
        max(customer, key=lambda i: len(turns[i]["text"]), default=None),
    )


def main_question(turns: list[dict[str, str]]) -> str:
    """What the contact was about, in the customer's (redacted) words; "" when they said nothing."""
    main = _main_question(turns)
    return turns[main]["text"] if main is not None else ""


def resolution(turns: list[dict[str, str]], phrases: Sequence[str]) -> str:
    """How the agent answered the main question: their longest turn after it that is neither
    unsure (``phrases``) nor the closing pleasantries; "" when there is none."""
    main = _main_question(turns)
    after = [
        t["text"]
        for t in turns[(main or 0) + 1 :]
        if t.get("speaker") == "agent" and not any(p in t["text"].lower() for p in phrases)
    ]
    body = after[:-1] if len(after) > 2 else after  # the last agent turn is usually goodbye
    return max(body, key=lambda text: len(text.split()), default="")


def _main_evidence(turns: list[dict[str, str]]) -> str:
    """The contact's main question and the agent's answer, for field-only signals."""
    main = _main_question(turns)
    if main is not None:
        return _evidence(turns, main, _next(turns, main, "agent"))
    agent = next((i for i, t in enumerate(turns) if t.get("speaker") == "agent"), None)
    if agent is not None:
        return _evidence(turns, None, agent)
    notes = next((i for i, t in enumerate(turns) if t.get("speaker") == "notes"), None)
    return _evidence(turns, None, notes)


def _reason(text: str) -> str:
    return _clip(text, REASON_MAX_CHARS)


# --- detectors -------------------------------------------------------------------------------


def _uncertainty(
    turns: list[dict[str, str]], phrases: Sequence[str], folded: _Folded
) -> Found | None:
    family, cleaned = _uncertainty_pattern(tuple(phrases))
    if family is None or not family.may_match(folded.speakers("agent")):
        return None
    for index, turn in enumerate(turns):
        if turn.get("speaker") != "agent" or not family.may_match(folded.turn(index)):
            continue
        text = turn["text"]
        for match in family.pattern.finditer(text):
            if _negated(text, match.start(), match.group(0)):
                continue
            if _NOT_A_GAP_AFTER.match(text, match.end()):
                continue
            phrase = cleaned[int(str(match.lastgroup)[1:])]
            return Found(
                SignalKind.uncertainty,
                _agent_evidence(turns, index, match.span()),
                _reason(f'agent said "{phrase}"'),
                index,
            )
    return None


def _agent_phrase(
    turns: list[dict[str, str]], family: _Phrases, folded: _Folded
) -> tuple[int, re.Match[str]] | None:
    if not family.may_match(folded.speakers("agent")):
        return None
    for index, turn in enumerate(turns):
        if turn.get("speaker") == "agent" and family.may_match(folded.turn(index)):
            match = _first(family.pattern, turn["text"])
            if match is not None:
                return index, match
    return None


def _outcome_or_phrase(
    kind: SignalKind,
    turns: list[dict[str, str]],
    outcome: Outcome | None,
    wanted: Outcome,
    family: _Phrases,
    folded: _Folded,
) -> Found | None:
    hit = _agent_phrase(turns, family, folded)
    by_outcome = outcome is not None and outcome == wanted
    if hit is None and not by_outcome:
        return None
    reasons = [f"outcome = {wanted.value}"] if by_outcome else []
    if hit is None:
        return Found(kind, _main_evidence(turns), _reason("; ".join(reasons)), None)
    index, match = hit
    reasons.append(f'agent said "{_squash(match.group(0)).lower()}"')
    return Found(
        kind, _agent_evidence(turns, index, match.span()), _reason("; ".join(reasons)), index
    )


def _has_support_action(actions: Sequence[str]) -> str | None:
    for action in actions:
        code = re.sub(r"[\s\-]+", "_", str(action).strip().upper())
        if code in SUPPORT_ACTIONS or code.startswith(SUPPORT_ACTION_PREFIXES):
            return code
    return None


def _cue_in(text: str) -> tuple[str, str, re.Match[str]] | None:
    """The earliest non-negated vulnerability cue in ``text``: (category, driver, match)."""
    for match in _ANY_CUE.pattern.finditer(text):
        if match.group(0).lower() == "died":
            before = text[max(0, match.start() - 30) : match.start()].lower().split()
            if before and before[-1].strip(".,'") in _DEVICE_WORDS:
                continue
        if _in_title(text, match) or _negated(text, match.start(), match.group(0)):
            continue
        category, driver, _, _ = _VULNERABILITY_CUES[int(str(match.lastgroup)[1:])]
        return category, driver, match
    return None


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


def _missed_vulnerability(
    turns: list[dict[str, str]], actions: Sequence[str], folded: _Folded
) -> Found | None:
    if _has_support_action(actions) or not _ANY_CUE.may_match(folded.speakers("customer", "notes")):
        return None
    # Which turns acknowledge, computed at most once per turn and pattern.
    answers: dict[tuple[int, bool], bool] = {}

    def acknowledges(position: int, category: str) -> bool:
        offline = category == _DIGITAL
        key = (position, offline)
        if key not in answers:
            text, folded_text = turns[position]["text"], folded.turn(position)
            answers[key] = _said(_ACKNOWLEDGEMENT, text, folded_text) or (
                offline and _said(_OFFLINE_HELP, text, folded_text)
            )
        return answers[key]

    for index, turn in enumerate(turns):
        speaker = turn.get("speaker")
        if speaker not in ("customer", "notes") or not _ANY_CUE.may_match(folded.turn(index)):
            continue
        cue = _cue_in(turn["text"])
        if cue is None:
            continue
        category, driver, match = cue
        # Agent turns after the cue; notes are the agent's summary, so all of them.
        acknowledged = any(
            acknowledges(position, category)
            for position, other in enumerate(turns)
            if other.get("speaker") == "notes"
            or (other.get("speaker") == "agent" and position > index)
        )
        if acknowledged:
            continue
        said = _squash(match.group(0)).lower()
        where = "customer" if speaker == "customer" else "notes"
        return Found(
            SignalKind.missed_vulnerability,
            _cue_evidence(turns, index, match.span()),
            _reason(
                f'{where} cue "{said}" ({category}; FCA driver: {driver}) with no agent '
                "acknowledgement or support action after it"
            ),
            index,
        )
    return None


def detect(
    turns: list[dict[str, str]],
    *,
    outcome: Outcome | None,
    csat: int | None,
    actions: list[str],
    uncertainty_phrases: Sequence[str],
) -> list[Found]:
    """Every signal in one interaction, at most one per kind; rules in the module docstring."""
    folded = _Folded(turns)
    found: list[Found | None] = [
        _uncertainty(turns, uncertainty_phrases, folded),
        _outcome_or_phrase(
            SignalKind.transfer, turns, outcome, Outcome.transferred, _TRANSFER, folded
        ),
        _outcome_or_phrase(
            SignalKind.escalation, turns, outcome, Outcome.escalated, _ESCALATION, folded
        ),
    ]
    if outcome is not None and outcome == Outcome.unresolved:
        found.append(
            Found(SignalKind.unresolved, _main_evidence(turns), "outcome = unresolved", None)
        )
    if csat is not None and csat <= LOW_CSAT_MAX:
        found.append(
            Found(
                SignalKind.low_csat, _main_evidence(turns), f"CSAT {csat} <= {LOW_CSAT_MAX}", None
            )
        )
    ending = _negative_ending(turns, folded)
    if ending is not None:
        index, reason = ending
        found.append(
            Found(
                SignalKind.negative_sentiment,
                _evidence(turns, index, _next(turns, index, "agent")),
                _reason(reason),
                index,
            )
        )
    found.append(_missed_vulnerability(turns, actions, folded))
    return [f for f in found if f is not None]


def repeat_contact(
    evidence_turns: list[dict[str, str]], days_apart: float, limit_days: int
) -> Found:
    """The repeat-contact signal for a contact that followed another by the same customer.

    The importer finds the pair; ``evidence_turns`` are the later contact's turns (its main
    question and the agent's answer become the evidence). Raises ``ValueError`` when
    ``days_apart`` is negative or over ``limit_days``: such a pair is not a repeat contact.
    """
    if days_apart < 0 or days_apart > limit_days:
        raise ValueError(f"not a repeat contact: {days_apart} days apart, limit {limit_days}")
    gap = f"{days_apart * 24:.1f} hours" if days_apart < 1 else f"{days_apart:.1f} days"
    return Found(
        SignalKind.repeat_contact,
        _main_evidence(evidence_turns),
        _reason(f"same customer contacted again after {gap} (limit {limit_days} days)"),
        None,
    )
