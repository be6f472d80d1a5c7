"""Knowledge-gap and vulnerability signals: pure, fast functions over redacted turns and fields.

``detect(turns, outcome=, csat=, actions=, uncertainty_phrases=)`` returns at most one
:class:`Found` per :class:`SignalKind` for one interaction, in ``SignalKind`` order.
``repeat_contact(evidence_turns, days_apart, limit_days)`` builds the repeat-contact signal for a
pair the importer found in the database. Nothing here touches the database or mutates its input;
the patterns are compiled once (the configurable phrase list once per distinct list), and a
phrase pattern only runs over a text that holds one of its needles, a cheap necessary
condition that never changes a result (``_Phrases``): about 0.2 ms an interaction.

Turns are ``{"speaker": "agent" | "customer" | "notes", "text": ...}`` as made by
:func:`coaching.interactions.transcript.parse_turns` and already redacted. Other speakers are
ignored.

Chinese and Japanese
    Every phrase family and vulnerability category below has Chinese and Japanese twins
    (``phrases_zh``, ``phrases_ja``, matched by ``matching_cjk``), read in the turns that hold
    CJK characters as substrings of the NFKC-normalised text (Traditional Chinese as
    Simplified), under the same negation rule (a negator before the phrase in its clause; in
    Japanese also a negative ending after it), speakers, order and reasons (``agent said
    "我不确定"``). Their uncertainty phrases are a fixed list: the setting holds English ones.
    English phrases still count in a Chinese or Japanese contact, and the reverse.

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
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from coaching.interactions.excerpts import (
    _agent_evidence,
    _cue_evidence,
    _evidence,
    _main_evidence,
    _next,
    _reason,
    _squash,
)
from coaching.interactions.matching import (
    _NOT_A_GAP_AFTER,
    _first,
    _Folded,
    _in_title,
    _negated,
    _Phrases,
    _said,
    _uncertainty_pattern,
)
from coaching.interactions.matching_cjk import CjkTurns, Family, has_cjk
from coaching.interactions.models import Outcome, SignalKind
from coaching.interactions.phrases import (
    _ACKNOWLEDGEMENT,
    _ANY_CUE,
    _DEVICE_WORDS,
    _DIGITAL,
    _ESCALATION,
    _OFFLINE_HELP,
    _TRANSFER,
    _VULNERABILITY_CUES,
    SUPPORT_ACTION_PREFIXES,
    SUPPORT_ACTIONS,
)
from coaching.interactions.sentiment import _negative_ending

LOW_CSAT_MAX = 2


@dataclass(frozen=True)
class Found:
    """One signal found in one interaction, ready to be stored as a ``Signal`` row."""

    kind: SignalKind
    evidence: str
    reason: str
    turn_index: int | None


# --- detectors -------------------------------------------------------------------------------


def _uncertainty(
    turns: list[dict[str, str]], phrases: Sequence[str], folded: _Folded, cjk: CjkTurns
) -> Found | None:
    family, cleaned = _uncertainty_pattern(tuple(phrases))
    english = family is not None and family.may_match(folded.speakers("agent"))
    chinese_or_japanese = has_cjk(folded.speakers("agent"))
    if not english and not chinese_or_japanese:
        return None
    for index, turn in enumerate(turns):
        if turn.get("speaker") != "agent":
            continue
        hit = None
        if english and family is not None and family.may_match(folded.turn(index)):
            hit = _configured_phrase(turn["text"], family, cleaned)
        if hit is None and chinese_or_japanese:
            hit = cjk.phrase(index, "uncertainty")
        if hit is not None:
            return Found(
                SignalKind.uncertainty,
                _agent_evidence(turns, index, hit[0]),
                _reason(f'agent said "{hit[1]}"'),
                index,
            )
    return None


def _configured_phrase(
    text: str, family: _Phrases, cleaned: tuple[str, ...]
) -> tuple[tuple[int, int], str] | None:
    """The first configured uncertainty phrase in an agent turn that is a gap: (span, phrase)."""
    for match in family.pattern.finditer(text):
        if _negated(text, match.start(), match.group(0)):
            continue
        if not _NOT_A_GAP_AFTER.match(text, match.end()):
            return match.span(), cleaned[int(str(match.lastgroup)[1:])]
    return None


def _agent_phrase(
    turns: list[dict[str, str]], family: _Phrases, folded: _Folded, cjk: tuple[CjkTurns, Family]
) -> tuple[int, tuple[int, int], str] | None:
    """The first agent turn with a phrase of ``family`` (or its CJK twin): (index, span, said)."""
    english, chinese_or_japanese = family.may_match(folded.speakers("agent")), cjk[0].present()
    if not english and not chinese_or_japanese:
        return None
    for index, turn in enumerate(turns):
        if turn.get("speaker") != "agent":
            continue
        if english and family.may_match(folded.turn(index)):
            match = _first(family.pattern, turn["text"])
            if match is not None:
                return index, match.span(), _squash(match.group(0)).lower()
        hit = cjk[0].phrase(index, cjk[1]) if chinese_or_japanese else None
        if hit is not None:
            return index, *hit
    return None


# The outcome and the agent's phrases (English, and their Chinese and Japanese family) of a kind.
_BY_OUTCOME_OR_PHRASE: dict[SignalKind, tuple[Outcome, _Phrases, Family]] = {
    SignalKind.transfer: (Outcome.transferred, _TRANSFER, "transfer"),
    SignalKind.escalation: (Outcome.escalated, _ESCALATION, "escalation"),
}


def _outcome_or_phrase(
    kind: SignalKind,
    turns: list[dict[str, str]],
    outcome: Outcome | None,
    folded: _Folded,
    cjk: CjkTurns,
) -> Found | None:
    wanted, family, cjk_family = _BY_OUTCOME_OR_PHRASE[kind]
    hit = _agent_phrase(turns, family, folded, (cjk, cjk_family))
    by_outcome = outcome is not None and outcome == wanted
    if hit is None and not by_outcome:
        return None
    reasons = [f"outcome = {wanted.value}"] if by_outcome else []
    if hit is None:
        return Found(kind, _main_evidence(turns), _reason("; ".join(reasons)), None)
    index, span, said = hit
    reasons.append(f'agent said "{said}"')
    return Found(kind, _agent_evidence(turns, index, span), _reason("; ".join(reasons)), index)


def _has_support_action(actions: Sequence[str]) -> str | None:
    for action in actions:
        code = re.sub(r"[\s\-]+", "_", str(action).strip().upper())
        if code in SUPPORT_ACTIONS or code.startswith(SUPPORT_ACTION_PREFIXES):
            return code
    return None


def _cue_in(text: str) -> tuple[str, str, tuple[int, int], str] | None:
    """The earliest non-negated vulnerability cue in ``text``: (category, driver, span, said)."""
    for match in _ANY_CUE.pattern.finditer(text):
        if match.group(0).lower() == "died":
            before = text[max(0, match.start() - 30) : match.start()].lower().split()
            if before and before[-1].strip(".,'") in _DEVICE_WORDS:
                continue
        if _in_title(text, match) or _negated(text, match.start(), match.group(0)):
            continue
        category, driver, _, _ = _VULNERABILITY_CUES[int(str(match.lastgroup)[1:])]
        return category, driver, match.span(), _squash(match.group(0)).lower()
    return None


def _missed_vulnerability(
    turns: list[dict[str, str]], actions: Sequence[str], folded: _Folded, cjk: CjkTurns
) -> Found | None:
    said_by = folded.speakers("customer", "notes")
    if _has_support_action(actions) or not (_ANY_CUE.may_match(said_by) or has_cjk(said_by)):
        return None
    # Which turns acknowledge, computed at most once per turn and pattern.
    answers: dict[tuple[int, bool], bool] = {}

    def acknowledges(position: int, category: str) -> bool:
        offline = category == _DIGITAL
        key = (position, offline)
        if key not in answers:
            text, folded_text = turns[position]["text"], folded.turn(position)
            answers[key] = (
                _said(_ACKNOWLEDGEMENT, text, folded_text)
                or (offline and _said(_OFFLINE_HELP, text, folded_text))
                or cjk.phrase(position, "acknowledgement") is not None
                or (offline and cjk.phrase(position, "offline_help") is not None)
            )
        return answers[key]

    for index, turn in enumerate(turns):
        speaker = turn.get("speaker")
        if speaker not in ("customer", "notes"):
            continue
        cue = _cue_in(turn["text"]) if _ANY_CUE.may_match(folded.turn(index)) else None
        cue = cue or (cjk.cue(index) if cjk.present() else None)
        if cue is None:
            continue
        category, driver, span, said = cue
        # Agent turns after the cue; notes are the agent's summary, so all of them.
        acknowledged = any(
            acknowledges(position, category)
            for position, other in enumerate(turns)
            if other.get("speaker") == "notes"
            or (other.get("speaker") == "agent" and position > index)
        )
        if acknowledged:
            continue
        where = "customer" if speaker == "customer" else "notes"
        return Found(
            SignalKind.missed_vulnerability,
            _cue_evidence(turns, index, span),
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
    language: str | None = None,
) -> list[Found]:
    """Every signal in one interaction, at most one per kind; rules in the module docstring.
    ``language``: the interaction's (``foundation.language``), detected when None and needed."""
    folded, cjk = _Folded(turns), CjkTurns(turns, language)
    found: list[Found | None] = [
        _uncertainty(turns, uncertainty_phrases, folded, cjk),
        _outcome_or_phrase(SignalKind.transfer, turns, outcome, folded, cjk),
        _outcome_or_phrase(SignalKind.escalation, turns, outcome, folded, cjk),
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
    ending = _negative_ending(turns, folded, cjk)
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
    found.append(_missed_vulnerability(turns, actions, folded, cjk))
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
