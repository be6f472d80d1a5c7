"""Generated documents for ``bench/theme_job.py``: ideas and gap evidence of the demo's lengths
and vocabulary, written straight into an app database in bulk (not yet embedded).

- Gap evidence (most documents): one interaction with one signal, as an import stores it. The
  customer's opening is a real BANKING77 query (train and test, Casanueva et al. 2020, CC BY 4.0)
  of an intent of one of the demo's themes (``demo.script.THEMES``), sometimes with a greeting
  before it or a remark after it; half of them carry an uncertainty signal whose agent side is
  one of the demo's ``UNCERTAIN`` lines about one of that theme's topics, so the document reads
  "Customer: ... / Agent: I'm not sure ...", as in the demo. ``--cjk-share`` of them are the
  Chinese and Japanese demo openings (``demo.topics_zh``, ``demo.topics_ja``).
- Ideas (``idea_share``): a title and a body of two or three sentences (about 250 characters,
  as the demo's), from templates filled with the theme's topics, unresolved lines and fixes, so
  an idea and the evidence about the same problem share meaning, not sentences.

Everything is drawn from ``random.Random(seed)``; ``first`` numbers the rows, so a second call
adds new documents after the first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert
from sqlmodel import Session, SQLModel, select

from coaching.interactions.models import Agent, SignalKind
from demo import script, topics_ja, topics_zh
from demo.interactions import load_banking77
from foundation.accounts import Team
from foundation.clock import utcnow
from ideas.submissions.models import Category

SPAN_DAYS = 120
CHUNK = 5_000  # rows per INSERT batch

OPENERS = ("", "", "", "Hi, ", "Hello, quick one: ", "Morning. ", "Sorry to bother you, ")
CLOSERS = (
    "",
    "",
    "",
    " It's quite urgent.",
    " I've called about this before.",
    " This is the second time this month.",
    " Can you help?",
)
IDEA_TITLES = (
    "Customers keep asking {topic}",
    "We need a clear answer on {topic}",
    "Agents are unsure {topic}",
    "Please add guidance on {topic}",
    "Knowledge base gap: {topic}",
)
IDEA_BODIES = (
    "On several calls this week I had to tell customers: {unresolved} {fix} "
    "A short article would save everyone a transfer.",
    "Customers get frustrated when we say \u201c{unresolved}\u201d What worked last time: {fix} "
    "Can the {specialist} write down what we should say?",
    "This came up {count} times on my shift. {fix} Could we have a script for it, "
    "and a note in the knowledge base so new starters know?",
)
CJK_AGENT = {
    "zh": "我不太确定{topic}，我先问一下组长。",
    "ja": "{topic}については確認いたしますので、少々お待ちください。",
}


@dataclass(frozen=True)
class Vocabulary:
    banking77: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls, data_dir: Path) -> Vocabulary:
        return cls(load_banking77(data_dir))


def _gap_text(rng: random.Random, vocab: Vocabulary, cjk: str | None) -> tuple[str, str, str]:
    """(the customer's opening, the agent's uncertain line or "", the language)."""
    if cjk is not None:
        themes = (topics_zh if cjk == "zh" else topics_ja).THEMES
        words = themes[rng.choice(sorted(themes))]
        opening = rng.choice(words.openings[rng.choice(sorted(words.openings))])
        unsure = CJK_AGENT[cjk].format(topic=rng.choice(words.topics)) if rng.random() < 0.5 else ""
        return opening, unsure, cjk
    theme = rng.choice(script.THEMES)
    intents = [i for i in theme.intents if vocab.banking77.get(i)]
    query = rng.choice(vocab.banking77[rng.choice(intents)])
    opening = f"{rng.choice(OPENERS)}{query}{rng.choice(CLOSERS)}".strip()
    unsure = ""
    if rng.random() < 0.5:
        unsure = rng.choice(script.UNCERTAIN).format(topic=rng.choice(theme.topics))
    return opening, unsure, "en"


def _idea(rng: random.Random) -> tuple[str, str]:
    theme = rng.choice(script.THEMES)
    fix = rng.choice(theme.fixes).line
    title = rng.choice(IDEA_TITLES).format(topic=rng.choice(theme.topics))
    body = rng.choice(IDEA_BODIES).format(
        unresolved=rng.choice(theme.unresolved),
        fix=fix,
        specialist=theme.specialist,
        count=rng.choice(("three", "four", "five", "six")),
    )
    return title[:200], body


def _setup(session: Session) -> tuple[list[int], list[int], int]:
    """Teams, agents and the category the generated rows point at (made once)."""
    teams = list(session.exec(select(Team.id)))
    if not teams:
        session.add_all(Team(name=n, department=f"{n} banking") for n in ("Thames", "Severn"))
        session.flush()
        teams = list(session.exec(select(Team.id)))
    agents = list(session.exec(select(Agent.id)))
    if not agents:
        session.add_all(Agent(code=f"AG-{n:03d}") for n in range(40))
        session.flush()
        agents = list(session.exec(select(Agent.id)))
    category = session.exec(select(Category.id)).first()
    if category is None:
        session.add(Category(name="Knowledge and training"))
        session.flush()
        category = session.exec(select(Category.id)).first()
    return [t for t in teams if t], [a for a in agents if a], int(category or 0)


def generate(
    engine: Engine,
    vocab: Vocabulary,
    count: int,
    *,
    first: int = 0,
    seed: int = 2026,
    idea_share: float = 0.07,
    cjk_share: float = 0.04,
    now: datetime | None = None,
) -> None:
    """Add ``count`` documents (ideas and gap evidence), numbered from ``first``."""
    rng = random.Random(f"{seed}:{first}")
    now = now or utcnow()
    with Session(engine) as session:
        teams, agents, category = _setup(session)
        session.commit()
    for start in range(first, first + count, CHUNK):
        ideas: list[dict[str, Any]] = []
        calls: list[dict[str, Any]] = []
        signals: list[dict[str, Any]] = []
        for n in range(start, min(start + CHUNK, first + count)):
            when = now - timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400))
            if rng.random() < idea_share:
                title, body = _idea(rng)
                ideas.append(_idea_row(n, title, body, category, when))
                continue
            cjk = rng.choice(("zh", "ja")) if rng.random() < cjk_share else None
            opening, unsure, language = _gap_text(rng, vocab, cjk)
            agent = rng.choice(agents)
            calls.append(_call_row(n, opening, unsure, language, agent, teams, when))
            signals.append(_signal_row(n, opening, unsure))
        _write(engine, ideas, calls, signals)


def _idea_row(n: int, title: str, body: str, category: int, when: datetime) -> dict[str, Any]:
    return {
        "id": 100_000_000 + n,  # in the random-id range, unique per generated row
        "kind": "idea",
        "title": title,
        "body": body,
        "category_id": category,
        "anonymous": False,
        "status": "new",
        "support_count": 0,
        "language": "en",
        "created_at": when,
        "updated_at": when,
    }


def _call_row(
    n: int, opening: str, unsure: str, language: str, agent: int, teams: list[int], when: datetime
) -> dict[str, Any]:
    turns = [{"speaker": "customer", "text": opening}]
    turns.append({"speaker": "agent", "text": unsure or "Let me look into that for you."})
    return {
        "id": n + 1,
        "external_id": f"bench-{n}",
        "occurred_at": when,
        "agent_id": agent,
        "team_id": teams[agent % len(teams)],
        "outcome": "unresolved",
        "actions": [],
        "attributes": {},
        "turns": turns,
        "redactions": {},
        "language": language,
        "created_at": when,
        "updated_at": when,
    }


def _signal_row(n: int, opening: str, unsure: str) -> dict[str, Any]:
    if unsure:
        evidence = f"Customer: {opening} / Agent: {unsure}"
        kind, reason, turn = SignalKind.uncertainty, 'phrase "not sure"', 1
    else:
        evidence, kind, reason, turn = (
            f"Customer: {opening}",
            SignalKind.unresolved,
            "outcome",
            None,
        )
    return {
        "interaction_id": n + 1,
        "kind": kind,
        "evidence": evidence,
        "reason": reason,
        "turn_index": turn,
    }


def _write(
    engine: Engine,
    ideas: list[dict[str, Any]],
    calls: list[dict[str, Any]],
    signals: list[dict[str, Any]],
) -> None:
    with engine.begin() as connection:
        for table, rows in (("idea", ideas), ("interaction", calls), ("signal", signals)):
            if rows:
                connection.execute(insert(SQLModel.metadata.tables[table]), rows)
