"""Check questions drafted from a theme's real contacts.

Each question is a customer's own (redacted) question from a resolved contact of the theme, and
the right option is how the agent answered it. Good answers are the ones the module's body
teaches (``coaching.interactions.answers``): contacts resolved first time (not a repeat), the
agent sure of it, rated well or not rated, the most central answers first, without security
checks or pleasantries. The wrong options are good answers from the nearest other themes (by
centroid cosine): real answers to other questions, so plausible but not the answer to this one.
Answers on unresolved contacts of the same theme are never used as wrong options: they are not
necessarily wrong.

The right option's place is shuffled deterministically (seeded by theme, question and contact),
options are trimmed to a sentence or two, and sentences where an agent gives their name or an id
are left out. A theme without good answers gets fewer questions, never a generic one; a
vulnerability question is added only when a cue went unacted on in the theme, and quotes it.
Drafted questions are marked ``to_review`` until a CX lead saves the draft form.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import case
from sqlmodel import Session, col, select

from coaching.interactions import actions, answers
from coaching.interactions.models import Channel, Interaction, Signal, SignalKind
from coaching.modules.models import CheckQuestion
from foundation.embeddings import from_bytes
from ideas.themes import queries as theme_queries
from ideas.themes.models import DocumentKind, Theme, ThemeMember

MAX_QUESTIONS = 3
NEIGHBOURS = 4  # nearest other themes whose answers serve as wrong options
WRONG_OPTIONS = 3  # at most; a question needs at least MIN_WRONG
MIN_WRONG = 2
SAME_ANSWER = 0.7  # word-count cosine at which two answers count as saying the same
QUESTION_CHARS = 220
ANSWER_CHARS = 240

_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*")
# Sentences an agent names themselves or quotes an id in: left out of an option.
_PERSONAL = re.compile(
    r"\bmy name(?:'s| is)\b|\byou(?:'re| are) (?:speaking|through) (?:to|with)\b"
    r"|\bthis is [A-Z][a-z]+\b|\b[A-Z][a-z]+ speaking\b|\bI(?:'m| am) [A-Z][a-z]+\b(?! \w+ing)"
    r"|\b[A-Z]{1,5}-?\d{3,}\b|\d{5,}|\b(?:agent|staff|employee) (?:id|number|code)\b",
)
_AGENT_SIDE = re.compile(
    r"\s+/\s+Agent:|\n\s*Agent:"
)  # where a signal's evidence turns to the agent
_CUE_REASON = re.compile(
    r'cue "(?P<said>[^"]*)" \((?P<category>[^;]*); FCA driver: (?P<driver>[^)]*)\)'
)


@dataclass(frozen=True)
class Answer:
    """A good answer: the customer's question and the agent's reply, trimmed, and its contact."""

    interaction_id: int
    question: str
    answer: str
    occurred_at: datetime
    channel: Channel | None
    csat: int | None
    actions: list[str]


# ------------------------------------------------------------------------------- the texts
def _squash(text: str) -> str:
    return " ".join(text.split())


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;:") + "…"


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(_squash(text)) if s]


def readable_question(text: str) -> str:
    """The customer's turn up to its first question (the sentence before it too, when it fits),
    at most ``QUESTION_CHARS`` characters."""
    sentences = _sentences(text)
    asked = next((i for i, s in enumerate(sentences) if s.endswith(("?", "？"))), None)
    if asked is None:
        return _clip(" ".join(sentences[:2]), QUESTION_CHARS)
    chosen = sentences[max(0, asked - 1) : asked + 1]
    if len(" ".join(chosen)) > QUESTION_CHARS:
        chosen = chosen[-1:]
    return _clip(" ".join(chosen), QUESTION_CHARS)


def readable_answer(text: str) -> str:
    """A sentence or two of the agent's reply, without the ones that name them or quote an id;
    "" when nothing is left."""
    kept = [s for s in _sentences(text) if not _PERSONAL.search(s)]
    out = ""
    for sentence in kept[:2]:
        joined = f"{out} {sentence}".strip()
        if out and len(joined) > ANSWER_CHARS:
            break
        out = joined
    return _clip(out, ANSWER_CHARS)


def _key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


# ---------------------------------------------------------------------------- good answers
def good_answers(
    session: Session, theme_id: int, phrases: Sequence[str]
) -> tuple[list[Answer], int]:
    """The theme's good answers, most central first, one per customer question and answer,
    trimmed; and how many contacts of the theme went well."""
    material = answers.gather(session, theme_id, phrases)
    ids = [q.interaction_id for q in material.answers]
    meta = {
        row_id: (occurred_at, channel)
        for row_id, occurred_at, channel in session.exec(
            select(Interaction.id, Interaction.occurred_at, Interaction.channel).where(
                col(Interaction.id).in_(ids)
            )
        )
    }
    seen: set[str] = set()
    out = []
    for quote in material.answers:
        question, answer = readable_question(quote.question), readable_answer(quote.answer)
        keys = {_key(question), _key(answer)}
        if not question or not answer or quote.interaction_id not in meta or keys & seen:
            continue
        seen |= keys
        occurred_at, stored = meta[quote.interaction_id]
        channel = Channel(stored) if stored else None
        out.append(
            Answer(
                quote.interaction_id,
                question,
                answer,
                occurred_at,
                channel,
                quote.csat,
                list(quote.actions),
            )
        )
    return out, material.good


def neighbours(session: Session, theme: Theme, count: int = NEIGHBOURS) -> list[Theme]:
    """The nearest other active themes by centroid cosine; themes without a centroid (or when
    this one has none) follow, largest first."""
    others = [t for t in theme_queries.list_themes(session) if t.id != theme.id]
    mine = from_bytes(theme.centroid) if theme.centroid else None

    def distance(other: Theme) -> float:
        if mine is None or not other.centroid:
            return 2.0
        return 1.0 - float(np.dot(mine, from_bytes(other.centroid)))

    return sorted(others, key=lambda t: (distance(t), -t.gap_count, t.id or 0))[:count]


# ---------------------------------------------------------------------------- the questions
def _placed(wrong: list[str], right: str, *seed: object) -> tuple[list[str], int]:
    """The wrong options in a shuffled order with the right one put among them, the same for
    the same seed (theme, question, contact): options, and the right one's index."""
    digest = hashlib.sha256(":".join(str(p) for p in seed).encode()).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:8], "big"))
    options = [wrong[i] for i in rng.permutation(len(wrong))]
    at = int(rng.integers(len(options) + 1))
    options.insert(at, right)
    return options, at


def _alike(one: str, other: str) -> bool:
    """Whether two answers say much the same (word-count cosine, or the same opening sentence:
    one script with another ending): one cannot be the wrong option beside the other."""
    opening = [_key((_sentences(t) or [t])[0]) for t in (one, other)]
    if _key(one) == _key(other) or opening[0] == opening[1]:
        return True
    a, b = answers.lexical([one, other])
    return float(a @ b) >= SAME_ANSWER


def _wrong_options(
    pools: list[tuple[Theme, list[Answer]]], index: int, taken: list[str]
) -> list[tuple[Theme, Answer]]:
    """Up to ``WRONG_OPTIONS`` answers from other themes for question ``index``: one from each
    of the nearest themes first (a different one per question), then more from the same; none
    alike any of ``taken`` (this theme's good answers) or each other."""
    chosen: list[tuple[Theme, Answer]] = []
    for round_ in range(max((len(p) for _, p in pools), default=0)):
        for other, pool in pools:
            if len(chosen) == WRONG_OPTIONS:
                return chosen
            if round_ >= len(pool):
                continue
            found = pool[(index + round_) % len(pool)]
            if not any(_alike(found.answer, t) for t in taken):
                taken.append(found.answer)
                chosen.append((other, found))
    return chosen


_CHANNEL_WORDS = {Channel.phone: "a phone call", Channel.chat: "a chat", Channel.email: "an email"}


def _reference(found: Answer) -> str:
    """Where the right answer came from, without ids: the contact's channel and day."""
    what = _CHANNEL_WORDS.get(found.channel, "a contact") if found.channel else "a contact"
    rated = f", rated {found.csat}/5 by the customer" if found.csat is not None else ""
    return (
        f"Source: {what} of {found.occurred_at:%d %b %Y} on this topic, resolved first time{rated}."
    )


def _answer_question(
    theme: Theme,
    index: int,
    right: Answer,
    wrong: list[tuple[Theme, Answer]],
    good: int,
    known: dict[str, str],
) -> CheckQuestion:
    options, at = _placed(
        [a.answer for _, a in wrong], right.answer, theme.id, index, right.interaction_id
    )
    others = "”, “".join(sorted({t.name for t, _ in wrong}))
    used = "; ".join(actions.label(code, known).lower() for code in right.actions[:3])
    also = f" On that contact the agent also: {used}." if used else ""
    contacts = "contact" if good == 1 else "contacts"
    explanation = (
        f"Agents who resolved these contacts first time explained it like this: “{right.answer}” "
        f"It answers what the customer asked ({good} {contacts} on this topic were resolved "
        f"first time and not rated low).{also} The other replies answer other "
        f"customers' questions, from the themes “{others}”. {_reference(right)}"
    )
    return CheckQuestion(
        prompt=_clip(
            f"A customer asks: “{right.question}” Which reply resolved this first time?", 500
        ),
        options=options,
        answer=at,
        explanation=_clip(explanation, 1000),
        hint=_clip(
            "Read the customer's words again: which reply answers exactly what they asked, and "
            "tells them what happens next?",
            500,
        ),
        to_review=True,
    )


def _vulnerability_question(session: Session, theme: Theme) -> CheckQuestion | None:
    """A question quoting a real unacted-on customer cue of the theme, most central first; None
    when there is none (or only in notes)."""
    rows = session.exec(
        select(Signal.evidence, Signal.reason)
        .join(ThemeMember, col(ThemeMember.source_id) == col(Signal.interaction_id))
        .where(
            ThemeMember.theme_id == theme.id,
            ThemeMember.kind == DocumentKind.gap,
            Signal.kind == SignalKind.missed_vulnerability,
        )
        .join(Interaction, col(Interaction.id) == col(Signal.interaction_id))
        # A cue in the draft's language first: the agents reading it must understand the quote.
        .order_by(
            case((col(Interaction.language) == answers.DRAFT_LANGUAGE, 0), else_=1),
            col(ThemeMember.similarity).desc(),
            col(Signal.id),
        )
        .limit(20)
    ).all()
    for text, reason in rows:
        said = _AGENT_SIDE.split(text, maxsplit=1)[0]
        if not said.startswith("Customer:"):
            continue  # a cue in the agent's notes: not the customer's words
        cue = _clip(_squash(said.removeprefix("Customer:")), QUESTION_CHARS)
        if not cue:
            continue
        match = _CUE_REASON.search(reason)
        named = (
            f" such as “{match['said']}” ({match['category']}; FCA driver: {match['driver']})"
            if match
            else ""
        )
        right = (
            "Acknowledge what they told you, ask what support they need, and follow the "
            "vulnerable customer process"
        )
        wrong = [
            "Carry on with their request: it is not what they called about",
            "Transfer them to another team straight away",
            "Tell them to call back when things have settled",
        ]
        options, at = _placed(wrong, right, theme.id, "vulnerability")
        return CheckQuestion(
            prompt=_clip(f"A customer in this theme said: “{cue}” What do you do?", 500),
            options=options,
            answer=at,
            explanation=_clip(
                f"Customer vulnerability cues went unacted on in this theme{named}. "
                "Acknowledging the cue, asking what support the customer needs and recording "
                "it is part of a good outcome for them (FCA FG21/1).",
                1000,
            ),
            hint="Think about what this customer needs from you beyond the answer to their "
            "question.",
            to_review=True,
        )
    return None


def draft_questions(
    session: Session, theme: Theme, *, uncertainty_phrases: Sequence[str]
) -> list[CheckQuestion]:
    """Up to ``MAX_QUESTIONS`` check questions from the theme's real contacts (see the module
    docstring); fewer, or none, when the evidence does not allow more."""
    assert theme.id is not None
    questions: list[CheckQuestion] = []
    vulnerable = _vulnerability_question(session, theme)
    wanted = MAX_QUESTIONS - (1 if vulnerable else 0)
    everything, good = good_answers(session, theme.id, uncertainty_phrases)
    mine = everything[:wanted]
    if mine:
        pools = [
            (other, good_answers(session, pk_, uncertainty_phrases)[0])
            for other in neighbours(session, theme)
            if (pk_ := other.id) is not None
        ]
        pools = [(other, pool) for other, pool in pools if pool]
        taken = [a.answer for a in everything]
        known = actions.labels(session, [code for a in mine for code in a.actions])
        for index, right in enumerate(mine):
            wrong = _wrong_options(pools, index, list(taken))
            if len(wrong) >= MIN_WRONG:
                questions.append(_answer_question(theme, index, right, wrong, good, known))
    if vulnerable:
        questions.append(vulnerable)
    return questions
