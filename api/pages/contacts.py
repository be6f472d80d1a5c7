"""One contact's redacted evidence: where a quote in a coaching module or guide draft links to.

Shown without the agent (drafts never name one): when and how the contact came, its outcome,
rating and actions in plain words, its signals with the rule that fired, its turns as stored
(redacted at import) and the themes it is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from coaching.interactions import actions as action_labels
from coaching.interactions.models import Channel, Interaction, Outcome, Signal, SignalKind
from foundation.accounts import Team
from foundation.errors import NotFound
from foundation.i18n import N_
from ideas.themes.models import DocumentKind, Theme, ThemeMember

NO_CONTACT = N_("No such contact")


@dataclass(frozen=True)
class ContactSignal:
    kind: SignalKind
    reason: str


@dataclass(frozen=True)
class ContactTurn:
    speaker: str  # "customer", "agent" or "notes"
    text: str


@dataclass(frozen=True)
class ContactPage:
    interaction_id: int
    occurred_at: datetime
    channel: Channel | None
    outcome: Outcome | None
    csat: int | None
    team: str | None
    actions: list[str]  # in plain words
    signals: list[ContactSignal]
    turns: list[ContactTurn]
    themes: list[Theme]


def get_contact(session: Session, interaction_id: int) -> Interaction:
    row = session.get(Interaction, interaction_id)
    if row is None:
        raise NotFound(NO_CONTACT)
    return row


def contact_page(session: Session, row: Interaction) -> ContactPage:
    assert row.id is not None
    signals = session.exec(
        select(Signal.kind, Signal.reason)
        .where(Signal.interaction_id == row.id)
        .order_by(col(Signal.id))
    ).all()
    themes = session.exec(
        select(Theme)
        .join(ThemeMember, col(ThemeMember.theme_id) == col(Theme.id))
        .where(ThemeMember.kind == DocumentKind.gap, ThemeMember.source_id == row.id)
        .order_by(col(Theme.name))
    ).all()
    team = session.get(Team, row.team_id) if row.team_id is not None else None
    plain = action_labels.plain(session, row.actions)
    return ContactPage(
        interaction_id=row.id,
        occurred_at=row.occurred_at,
        channel=row.channel,
        outcome=row.outcome,
        csat=row.csat,
        team=team.name if team else None,
        actions=[plain[code] for code in row.actions],
        signals=[ContactSignal(SignalKind(kind), reason) for kind, reason in signals],
        turns=[ContactTurn(t.get("speaker", "notes"), t.get("text", "")) for t in row.turns],
        themes=list(themes),
    )
