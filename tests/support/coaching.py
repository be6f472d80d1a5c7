"""Builders shared by the coaching tests (and the API and job tests that need coaching data):
agents and interactions with signals, import rows and files, themes and published modules,
suggestions. Plain functions and constants; each test module imports what it uses."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlmodel import Session

from coaching.interactions.importer import COLUMNS as FORMAT_COLUMNS
from coaching.interactions.models import (
    Agent,
    Channel,
    Interaction,
    Outcome,
    Signal,
    SignalKind,
)
from coaching.modules import service as module_service
from coaching.modules.models import (
    CheckQuestion,
    CoachingModule,
    ModuleUpdate,
)
from foundation.accounts import Role, Team
from foundation.clock import utcnow
from foundation.ids import pk
from foundation.pseudonyms import Pseudonyms
from foundation.settings import Settings
from ideas.themes.models import DocumentKind, Theme, ThemeMember

# --- from test_stats ---
MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


_ids = itertools.count(1)


def add_agents(db: Session, n: int, prefix: str = "A") -> list[Agent]:
    agents = [Agent(code=f"{prefix}{next(_ids)}") for _ in range(n)]
    db.add_all(agents)
    db.flush()
    return agents


def add_interaction(
    db: Session,
    agent: Agent,
    team: Team | None,
    when: datetime = MONDAY,
    *,
    signals: Iterable[SignalKind] = (),
    actions: Iterable[str] = (),
    outcome: Outcome | None = None,
    csat: int | None = None,
    evidence: str = "Customer: can I?\nAgent: let me check with my manager",
) -> Interaction:
    row = Interaction(
        external_id=f"ext-{next(_ids)}",
        occurred_at=when,
        agent_id=agent.id,  # type: ignore[arg-type]
        team_id=team.id if team else None,
        channel=Channel.phone,
        outcome=outcome,
        csat=csat,
        actions=list(actions),
    )
    db.add(row)
    db.flush()
    for kind in signals:
        db.add(
            Signal(interaction_id=row.id, kind=kind, evidence=evidence, reason=f"rule {kind.value}")  # type: ignore[arg-type]
        )
    db.flush()
    return row


# --- from test_import ---
# The import format's columns, plus one the importer does not know (kept as an attribute).
COLUMNS = [*FORMAT_COLUMNS, "queue_name"]


def row(n: int, **fields: str) -> dict[str, str]:
    base = {
        "interaction_id": f"INT-{n:05d}",
        "occurred_at": f"2026-10-{1 + n % 28:02d}T10:00:00Z",
        "agent_id": "AG-1",
        "team": "",
        "channel": "phone",
        "customer_id": f"C-{n}",
        "customer_name": "",
        "disposition": "card query",
        "outcome": "resolved",
        "csat": "4",
        "handle_seconds": "300",
        "actions": "KB_ARTICLE",
        "transcript": "Customer: My card has not arrived.\nAgent: I have ordered a new one.",
        "queue_name": "cards",
    }
    return {**base, **fields}


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def key(settings: Settings, interaction_id: str) -> str:
    """What an interaction id is stored as: its keyed hash."""
    return Pseudonyms.from_settings(settings).of("interaction", interaction_id)


# --- from test_modules ---
RESOLVED_CALL = "I was charged twice for my card replacement, can you refund it?"


RESOLVED_ANSWER = "I've ordered a replacement card; it will be with you in five working days."


UNRESOLVED_CALL = "Why has my replacement card still not arrived after three weeks?"


QUESTION = CheckQuestion(
    prompt="Which action fixes a lost card?",
    options=["Reissue the card", "Close the account"],
    answer=0,
    explanation="Reissuing resolved most contacts.",
)


def make_theme(db: Session, name: str = "Card replacement") -> Theme:
    theme = Theme(name=name, auto_label=name, keywords=["card"])
    db.add(theme)
    db.flush()
    return theme


def add_to_theme(db: Session, theme: Theme, row: Interaction) -> None:
    """Put an interaction's gap evidence in a theme, as a clustering run would."""
    db.add(
        ThemeMember(
            theme_id=pk(theme),
            kind=DocumentKind.gap,
            source_id=pk(row),
            occurred_at=row.occurred_at,
            team_id=row.team_id,
            similarity=0.9,
        )
    )
    theme.gap_count += 1
    theme.size += 1
    db.flush()


def seed_theme(db: Session, team: Team | None = None) -> Theme:
    """Ten card calls by five agents: reissuing resolved them, a callback did not; one
    customer's bereavement went unacted on. Five more calls outside the theme."""
    theme = make_theme(db)
    agents = add_agents(db, 5, prefix="MOD-")
    when = utcnow() - timedelta(days=3)
    for i in range(10):
        resolved = i % 2 == 0
        row = add_interaction(
            db,
            agents[i % 5],
            team,
            when,
            # Resolved calls: the agent knew the answer (only the customer's rating flagged them).
            signals=([SignalKind.low_csat] if resolved else [SignalKind.uncertainty])
            + ([SignalKind.missed_vulnerability] if i == 1 else []),
            actions=["card_reissued"] if resolved else ["callback_booked"],
            outcome=Outcome.resolved if resolved else Outcome.unresolved,
        )
        row.turns = [
            {"speaker": "customer", "text": RESOLVED_CALL if resolved else UNRESOLVED_CALL},
            {"speaker": "agent", "text": RESOLVED_ANSWER if resolved else "I'm not sure, sorry."},
        ]
        add_to_theme(db, theme, row)
    for i in range(5):
        add_interaction(db, agents[i], team, when, outcome=Outcome.resolved)
    db.flush()
    return theme


def published_module(db: Session, author, *, questions=(QUESTION,), theme=None) -> CoachingModule:
    data = ModuleUpdate(title="Lost cards", body="## Why\n\nBecause.", questions=list(questions))
    module = module_service.create_module(db, data, author, theme_id=theme.id if theme else None)
    module_service.publish(db, module, author)
    return module


# --- from test_assignments ---
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


SECOND = QUESTION.model_copy(update={"prompt": "Second?", "answer": 1})


def staff(make, team: Team, n: int) -> list:
    return [make.user(Role.staff, team) for _ in range(n)]


def _link_agents(db: Session, users: list) -> list[Agent]:
    agents = add_agents(db, len(users), prefix="SUG-")
    for agent, user in zip(agents, users, strict=True):
        agent.user_id = user.id
    db.flush()
    return agents


def seed_suggestion(db: Session, make, now: datetime = NOW):
    """Four agents with 10 calls each in the last 30 days; the first has 5 in the theme's gap
    evidence, the others 1 each: 5/10 against a team rate of 8/40, 2.5 times higher."""
    team, cx = make.team(), make.user(Role.cx_lead)
    leader = make.user(Role.team_lead, team)
    users = staff(make, team, 4)
    agents = _link_agents(db, users)
    theme = make_theme(db, "Card disputes")
    for i, agent in enumerate(agents):
        for n in range(10):
            row = add_interaction(db, agent, team, now - timedelta(days=n + 1),
                                  signals=[SignalKind.uncertainty])  # fmt: skip
            if n < (5 if i == 0 else 1):
                add_to_theme(db, theme, row)
    module = published_module(db, cx, theme=theme)
    return team, leader, users, module
