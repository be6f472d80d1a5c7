"""Teaching material for drafts, taken from a theme's contacts and never invented: the
customers' own most representative questions, the answers agents gave on contacts that went
well (the most central of them, so one odd answer does not become the lesson), what was said on
contacts that did not, and the vulnerability cues met. Every quote keeps the id of the contact
it comes from, so a draft can link each one to its evidence; no agent name or id is in it.

Everything here is redacted text as stored at import.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sqlmodel import Session, col, select

from coaching.interactions import evidence, excerpts
from coaching.interactions.models import Interaction, Outcome, Signal, SignalKind
from coaching.interactions.phrases import _ACKNOWLEDGEMENT

CANDIDATES = 60  # central gap members read (the theme page's order)
QUOTES = 3  # quotes per kind
GOOD_CSAT = 4  # a rated contact counts as going well at this CSAT or above
QUOTE_CHARS = 320
ANSWER_MIN_WORDS = 6  # shorter agent turns are pleasantries ("Okay, noted.")
CONTACT_URL = "/gaps/contacts/{id}"
NEARBY_SHARE = 0.2  # a disposition of at least this share of the theme's contacts
NEARBY_READ = 400  # recent contacts read beside a theme
NEARBY_MIN_COSINE = 0.35  # word cosine of a question to the theme's questions to count
SAME_ANSWER = 0.75  # word cosine above which two answers say the same thing
DRAFT_LANGUAGE = "en"  # drafts are written in English (the CX lead edits them)

Embed = Callable[[list[str]], np.ndarray]  # texts -> L2-normalised rows (Embedder.encode)

# Routine turns that teach nothing about the topic: security checks and signing in.
_ROUTINE = re.compile(
    r"\b(?:security|confirm (?:it's|it is) you|notification to your app|date of birth|full name"
    r"|post ?code|verified|signed in|logged in|through security)\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"\b(?:take care|thanks for (?:calling|getting in touch|contacting)|good ?bye|bye)\b",
    re.IGNORECASE,
)
_CUE = re.compile(r'"([^"]{1,60})" \(([^;()]{1,60}); FCA driver: ([^()]{1,40})\)')
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


_CONTACT_LINK = re.compile(r" ?\(\[[^\]\n]{1,40}\]\(/gaps/contacts/\d+\)\)")


def without_contact_links(text: str) -> str:
    """The text with its "([contact](/gaps/contacts/N))" evidence links taken out, for readers
    who may not open other people's contacts (agents reading a published module or guide)."""
    return _CONTACT_LINK.sub("", text)


def contact_url(interaction_id: int) -> str:
    """Where a contact's redacted evidence is shown (``api.routes.gaps``)."""
    return CONTACT_URL.format(id=interaction_id)


@dataclass(frozen=True)
class Quote:
    """One contact's words: the customer's main question and what the agent said."""

    interaction_id: int
    question: str
    answer: str
    outcome: Outcome | None
    csat: int | None
    actions: list[str]
    centrality: float  # cosine to the group's centre (answers) or to the theme's (questions)


@dataclass(frozen=True)
class Cue:
    category: str  # e.g. "bereavement"
    driver: str  # the FCA driver, e.g. "life events"
    count: int


@dataclass(frozen=True)
class Material:
    questions: list[Quote]  # the customers' most representative questions
    answers: list[Quote]  # the most central answers on contacts that went well
    unresolved: list[Quote]  # contacts not resolved, most central first
    good: int  # contacts that went well, among those read
    cues: list[Cue]  # vulnerability cues met and not acted on, most frequent first


def clip(text: str, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _words(text: str) -> int:
    return len(_CJK.findall(text)) // 2 + len(_WORD.findall(text))


def answer_text(turns: list[dict[str, str]], phrases: Sequence[str], *, sure: bool = True) -> str:
    """What the agent told the customer after their main question: up to two substantial agent
    turns (the longest, in the order said), leaving out the closing turn, questions back to the
    customer, short pleasantries, security checks, acknowledging a vulnerability (the draft's
    own section) and (``sure``) any turn with an uncertainty phrase."""
    main = excerpts._main_question(turns)
    lowered = [p.lower() for p in phrases]
    agent = [
        (i, t["text"])
        for i, t in enumerate(turns)
        if i > (main if main is not None else -1) and t.get("speaker") == "agent"
    ]
    if len(agent) > 2:
        agent = agent[:-1]  # the last agent turn is usually goodbye
    body = [
        (i, text)
        for i, text in agent
        if _words(text) >= ANSWER_MIN_WORDS
        and not text.rstrip().endswith(("?", "？"))
        and not _ROUTINE.search(text)
        and not _ACKNOWLEDGEMENT.pattern.search(text.lower())
        and not (sure and any(p in text.lower() for p in lowered))
    ]
    chosen = sorted(sorted(body, key=lambda p: -_words(p[1]))[:2])
    return " ".join(" ".join(text.split()) for _, text in chosen)


def last_said(turns: list[dict[str, str]]) -> str:
    """How a contact that went wrong ended, briefly: the agent's last two substantial turns after
    the main question (the transfer, the refusal, the hesitation), not questions or goodbyes."""
    main = excerpts._main_question(turns)
    said = [
        t["text"]
        for i, t in enumerate(turns)
        if i > (main if main is not None else -1)
        and t.get("speaker") == "agent"
        and _words(t["text"]) >= ANSWER_MIN_WORDS
        and not t["text"].rstrip().endswith(("?", "？"))
        and not _ROUTINE.search(t["text"])
        and not _CLOSING.search(t["text"])
    ]
    return " ".join(" ".join(text.split()) for text in said[-2:])


def lexical(texts: list[str]) -> np.ndarray:
    """Word-count vectors, L2-normalised: the centre of a group without a language model."""
    counts = [Counter(w.lower() for w in _WORD.findall(t) + _CJK.findall(t)) for t in texts]
    vocab = {w: i for i, w in enumerate(sorted({w for c in counts for w in c}))}
    out = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for row, c in enumerate(counts):
        for w, n in c.items():
            out[row, vocab[w]] = n
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1, norms)


def centrality(texts: list[str], embed: Embed | None = None) -> list[float]:
    """Each text's cosine to the group's centroid (embedded by ``embed``, else by words)."""
    if not texts:
        return []
    vectors = np.asarray((embed or lexical)(texts), dtype=np.float32)
    centre = vectors.mean(axis=0)
    norm = float(np.linalg.norm(centre)) or 1.0
    return [float(v) for v in vectors @ (centre / norm)]


def _distinct(quotes: list[Quote], key: Callable[[Quote], str]) -> list[Quote]:
    seen: set[str] = set()
    out: list[Quote] = []
    for q in quotes:
        k = " ".join(key(q).lower().split())
        if k and k not in seen:
            seen.add(k)
            out.append(q)
    return out[:QUOTES]


def _varied(ranked: list[Quote]) -> list[Quote]:
    """The most central answers that do not repeat one another (the same script with other
    amounts or days counts as a repeat), most central first."""
    vectors = lexical([q.answer for q in ranked])
    kept: list[int] = []
    for i in range(len(ranked)):
        if all(float(vectors[i] @ vectors[j]) < SAME_ANSWER for j in kept):
            kept.append(i)
        if len(kept) == QUOTES:
            break
    return [ranked[i] for i in kept]


def went_well(row: Interaction, kinds: set[SignalKind]) -> bool:
    """Resolved first time (not a repeat), the agent sure of it, and rated well or not rated."""
    return (
        row.outcome == Outcome.resolved
        and not kinds & {SignalKind.uncertainty, SignalKind.repeat_contact, SignalKind.low_csat}
        and (row.csat is None or row.csat >= GOOD_CSAT)
    )


def _in_draft_language(rows: dict[int | None, Interaction]) -> dict[int | None, Interaction]:
    """The contacts in the language the draft is written in (English) when the theme has any,
    else in the theme's most common language: a theme joins contacts across languages, and a
    lesson that quotes a Japanese call to an English team teaches nobody."""
    spoken = Counter(r.language for r in rows.values() if r.language not in (None, "und"))
    if not spoken:
        return rows
    language = DRAFT_LANGUAGE if DRAFT_LANGUAGE in spoken else spoken.most_common(1)[0][0]
    return {k: r for k, r in rows.items() if r.language in (language, None, "und")}


def gather(
    session: Session, theme_id: int, phrases: Sequence[str], *, embed: Embed | None = None
) -> Material:
    """The theme's teaching material (``phrases``: the uncertainty setting)."""
    members, _ = evidence.gap_members(session, theme_id, limit=CANDIDATES)
    ids = [m.interaction_id for m in members]
    rows = {r.id: r for r in session.exec(select(Interaction).where(col(Interaction.id).in_(ids)))}
    rows = _in_draft_language(rows)
    quotes: list[tuple[Quote, bool]] = []
    for m in members:
        row = rows.get(m.interaction_id)
        question = excerpts.main_question(row.turns) if row else ""
        if row is None or not question.strip():
            continue
        good = went_well(row, set(m.kinds))
        if row.outcome == Outcome.resolved:
            answer = answer_text(row.turns, phrases, sure=good)
        else:
            answer = last_said(row.turns)
        quote = Quote(
            m.interaction_id,
            clip(question),
            clip(answer),
            row.outcome,
            row.csat,
            list(row.actions),
            m.similarity,
        )
        quotes.append((quote, good))
    good_quotes = [q for q, good in quotes if good and q.answer]
    if len(good_quotes) < QUOTES:  # a theme is made of contacts that went wrong: look beside it
        good_quotes += nearby_good(session, list(rows.values()), phrases)
    scores = centrality([q.answer for q in good_quotes], embed)
    ranked = sorted(
        (replace(q, centrality=s) for q, s in zip(good_quotes, scores, strict=True)),
        key=lambda q: (-q.centrality, q.interaction_id),
    )
    bad = [q for q, _ in quotes if q.outcome != Outcome.resolved]
    return Material(
        questions=_distinct([q for q, _ in quotes], lambda q: q.question),
        answers=_varied(ranked),
        unresolved=_distinct(bad, lambda q: q.question),
        good=len(good_quotes),
        cues=vulnerability_cues(session, theme_id),
    )


def nearby_good(
    session: Session, members: list[Interaction], phrases: Sequence[str]
) -> list[Quote]:
    """Contacts about the same thing that went well with no gap signal at all: a theme holds only
    gap evidence, so its own contacts rarely show the good answer. Candidates share the
    members' main dispositions and language; the ones kept ask what the members ask (word
    cosine of their question to the members' questions' centre)."""
    asked = [q for q in (excerpts.main_question(r.turns) for r in members) if q.strip()]
    dispositions = Counter(r.disposition for r in members if r.disposition)
    common = [d for d, n in dispositions.items() if n >= NEARBY_SHARE * len(members)]
    if not asked or not common:
        return []
    languages = {r.language for r in members}
    flagged = select(Signal.interaction_id).where(col(Signal.interaction_id) == Interaction.id)
    query = (
        select(Interaction)
        .where(
            col(Interaction.disposition).in_(common),
            col(Interaction.outcome) == Outcome.resolved,
            col(Interaction.id).not_in([r.id for r in members if r.id is not None]),
            ~flagged.exists(),
        )
        .order_by(col(Interaction.occurred_at).desc())
        .limit(NEARBY_READ)
    )
    found = [
        r
        for r in session.exec(query)
        if r.language in languages and (r.csat is None or r.csat >= GOOD_CSAT)
    ]
    questions = [excerpts.main_question(r.turns) for r in found]
    vectors = lexical(asked + questions)
    centre = vectors[: len(asked)].mean(axis=0)
    centre /= float(np.linalg.norm(centre)) or 1.0
    close = vectors[len(asked) :] @ centre
    out = []
    for row, question, cosine in zip(found, questions, close, strict=True):
        answer = answer_text(row.turns, phrases) if cosine >= NEARBY_MIN_COSINE else ""
        if row.id is not None and question.strip() and answer:
            out.append(Quote(row.id, clip(question), clip(answer), row.outcome, row.csat, [], 0.0))
    return out


def vulnerability_cues(session: Session, theme_id: int) -> list[Cue]:
    """The categories of the missed vulnerability cues in the theme, most frequent first."""
    query = select(Signal.reason).where(
        col(Signal.interaction_id).in_(evidence._in_theme(theme_id)),
        Signal.kind == SignalKind.missed_vulnerability,
    )
    counts: Counter[tuple[str, str]] = Counter()
    for reason in session.exec(query):
        found = _CUE.search(reason)
        counts[(found.group(2), found.group(3)) if found else ("", "")] += 1
    return [
        Cue(category, driver, n)
        for (category, driver), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
