"""Coaching suggestions: a team leader is offered a theme's module for an agent whose rate of
that theme's gap evidence over the last 30 days is well above the team's; accepting assigns
it, and either answer is remembered so the same offer is not made again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.interactions.models import Agent, Interaction
from coaching.modules import queries as module_queries
from coaching.modules.assignments import NOT_YOURS, assign, may_assign_in, team_agents
from coaching.modules.models import Assignment, Suggestion, SuggestionStatus
from foundation.accounts import User
from foundation.clock import utcnow
from foundation.errors import Conflict, Invalid, NotFound
from foundation.i18n import N_
from foundation.ids import pk
from ideas.themes.models import DocumentKind, Theme, ThemeMember
from ideas.themes.naming import display_names

WINDOW_DAYS = 30
MIN_INTERACTIONS = 10
MIN_THEME_GAPS = 3
RATE_RATIO = 2.0


@dataclass(frozen=True)
class Offer:
    module_id: int
    module_title: str
    theme_name: str
    user_id: int
    user_name: str
    interactions: int
    theme_gaps: int
    agent_rate: float
    team_rate: float


def _window_counts(
    session: Session, team_id: int, theme_ids: list[int], since: datetime, until: datetime
) -> tuple[dict[int | None, int], dict[int, dict[int | None, int]]]:
    """Interactions per linked user in the team and window, and per theme its gap evidence
    per linked user (``None``: agents not linked to a user, still part of the team rate)."""
    window = (
        Interaction.team_id == team_id,
        col(Interaction.occurred_at) >= since,
        col(Interaction.occurred_at) <= until,
    )
    totals = session.exec(
        select(Agent.user_id, func.count(col(Interaction.id)))
        .select_from(Interaction)
        .join(Agent, col(Agent.id) == col(Interaction.agent_id))
        .where(*window)
        .group_by(col(Agent.user_id))
    ).all()
    gap_rows = session.exec(
        select(ThemeMember.theme_id, Agent.user_id, func.count(col(Interaction.id)))
        .select_from(Interaction)
        .join(Agent, col(Agent.id) == col(Interaction.agent_id))
        .join(ThemeMember, col(ThemeMember.source_id) == col(Interaction.id))
        .where(
            *window, ThemeMember.kind == DocumentKind.gap, col(ThemeMember.theme_id).in_(theme_ids)
        )
        .group_by(col(ThemeMember.theme_id), col(Agent.user_id))
    ).all()
    gaps: dict[int, dict[int | None, int]] = defaultdict(dict)
    for theme_id, user_id, count in gap_rows:
        gaps[theme_id][user_id] = int(count)
    return {u: int(n) for u, n in totals}, gaps


def offers(session: Session, team_id: int, now: datetime | None = None) -> list[Offer]:
    """Modules to offer the team leader for agents whose gap rate in the module's theme over
    the last 30 days is well above the team's (see the constants at the top)."""
    now = now or utcnow()
    candidates = [m for m in module_queries.published_modules(session) if m.theme_id is not None]
    agents = {pk(u): u for u in team_agents(session, team_id)}
    if not candidates or not agents:
        return []
    theme_ids = sorted({m.theme_id for m in candidates if m.theme_id is not None})
    # Names in the reader's language where the theme can be named in it (themes.naming).
    names = display_names(session.exec(select(Theme).where(col(Theme.id).in_(theme_ids))))
    totals, gaps = _window_counts(session, team_id, theme_ids, now - timedelta(WINDOW_DAYS), now)
    team_total = sum(totals.values())
    taken = _taken(session, [m.id for m in candidates if m.id is not None], list(agents))
    found = []
    for module in candidates:
        # Candidates are the modules with a theme (filtered above).
        theme_gaps = gaps.get(module.theme_id, {})  # type: ignore[arg-type]
        if not team_total or not theme_gaps:
            continue
        team_rate = sum(theme_gaps.values()) / team_total
        theme = names.get(module.theme_id or 0, "")
        for user_id, user in agents.items():
            n, g = totals.get(user_id, 0), theme_gaps.get(user_id, 0)
            high = n >= MIN_INTERACTIONS and g >= MIN_THEME_GAPS and g / n >= RATE_RATIO * team_rate
            if high and (module.id, user_id) not in taken:
                who = (user_id, user.display_name, n, g, g / n, team_rate)
                found.append(Offer(pk(module), module.title, theme, *who))
    return sorted(found, key=lambda o: (-o.agent_rate / o.team_rate, o.user_name, o.module_id))


def _taken(session: Session, module_ids: list[int], user_ids: list[Any]) -> set[tuple[int, int]]:
    """(module, user) pairs already assigned (open or completed) or already decided."""
    pairs: set[tuple[int, int]] = set()
    for model in (Assignment, Suggestion):
        where = (col(model.module_id).in_(module_ids), col(model.user_id).in_(user_ids))
        pairs.update(session.exec(select(model.module_id, model.user_id).where(*where)))
    return pairs


def decide(
    session: Session,
    by: User,
    module_id: int,
    user_id: int,
    decision: str,
    *,
    due_days: int,
    now: datetime | None = None,
) -> Suggestion:
    """Accept (assign with the default due date) or dismiss an offer; either is remembered."""
    try:
        status = SuggestionStatus(decision)
    except ValueError as exc:
        raise Invalid(N_("Accept or dismiss the suggestion."), field="decision") from exc
    user = session.get(User, user_id)
    if user is None or user.team_id is None or not may_assign_in(by, user.team_id):
        raise NotFound(NOT_YOURS)
    module = module_queries.get_module(session, module_id)
    now = now or utcnow()
    open_offers = {(o.module_id, o.user_id): o for o in offers(session, user.team_id, now)}
    offer = open_offers.get((module_id, user_id))
    if offer is None:
        raise Conflict(N_("That suggestion no longer applies."))
    if status == SuggestionStatus.accepted:
        due = now.date() + timedelta(days=due_days)
        assign(session, module, by, due_on=due, user_ids=[user_id], today=now.date())
    suggestion = Suggestion(
        module_id=module_id,
        user_id=user_id,
        status=status,
        agent_rate=offer.agent_rate,
        team_rate=offer.team_rate,
        decided_by_id=by.id,
        decided_at=now,
    )
    session.add(suggestion)
    session.flush()
    return suggestion
