"""Each role's home page: what needs them now.

- agent: their ideas and the answers, their open coaching;
- team leader: the team's gap rates, coaching completion and coaching suggestions;
- CX lead (and admin): growing themes, ideas awaiting an answer, overdue action plans, guides
  due for review and the coaching effect of published modules.

The page's class says which of these it shows (the template asks whether ``coaching``,
``completion`` or ``waiting`` is defined).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TypedDict

from sqlmodel import Session, col, select

from api.accounts import get_team
from coaching.guides import queries as guide_queries
from coaching.guides.models import Guide
from coaching.interactions import queries as gap_queries
from coaching.interactions.queries import KindRate
from coaching.modules import assignments, effect, suggestions
from coaching.modules import completion as completion_figures
from coaching.modules import queries as module_queries
from coaching.modules.completion import Tally
from coaching.modules.effect import Effect
from coaching.modules.models import Assignment, CoachingModule, ModuleVersion
from coaching.modules.suggestions import Offer
from foundation.accounts import Role, Team, User
from foundation.clock import utcnow
from foundation.settings import Settings
from ideas.submissions import promise as idea_promise
from ideas.submissions import queries as idea_queries
from ideas.submissions.models import Idea, StatusChange
from ideas.themes import queries as theme_queries
from ideas.themes.models import ActionPlan, PlanStatus, Theme
from ideas.themes.naming import display_names

SHARE_WINDOW_DAYS = 90
GAP_WINDOW_DAYS = 30
SHOWN = 5


@dataclass(frozen=True)
class HomePage:
    """What every role sees: their team and their own ideas with the latest answers."""

    team: Team | None
    my_ideas: list[Idea]
    answers: Mapping[int, StatusChange]  # by idea id
    response_days: int


@dataclass(frozen=True)
class StaffHome(HomePage):
    coaching: list[tuple[Assignment, ModuleVersion]]  # open, soonest due first
    today: date


@dataclass(frozen=True)
class LeaderHome(HomePage):
    team_gaps: list[KindRate]  # the highest rates first
    gap_window: int
    completion: list[Tally]
    suggestions: list[Offer]


@dataclass(frozen=True)
class CxHome(HomePage):
    waiting: list[Idea]
    overdue_count: int
    on_time: int
    due: int
    share_window: int
    growing: list[tuple[Theme, int]]  # theme, growth
    overdue_plans: list[tuple[ActionPlan, Theme, str | None]]  # plan, theme, owner's name
    reviews_due: list[Guide]
    effects: list[tuple[CoachingModule, Effect]]
    theme_names: Mapping[int, str]  # in the viewer's language where it can be (themes.naming)


class _HomeFields(TypedDict):
    team: Team | None
    my_ideas: list[Idea]
    answers: Mapping[int, StatusChange]
    response_days: int


def _own(session: Session, settings: Settings, user: User) -> _HomeFields:
    my_ideas = idea_queries.my_ideas(session, user)
    return {
        "team": get_team(session, user.team_id) if user.team_id else None,
        "my_ideas": my_ideas,
        "answers": idea_queries.latest_answers(session, [i.id for i in my_ideas if i.id]),
        "response_days": settings.idea_response_working_days,
    }


def home_page(session: Session, settings: Settings, user: User) -> HomePage:
    own = _own(session, settings, user)
    now = utcnow()
    today = now.date()
    if user.role == Role.staff:
        return StaffHome(**own, coaching=assignments.my_open(session, user, today), today=today)
    if user.role == Role.team_lead and user.team_id is not None:
        return _team_lead(session, settings, own, user.team_id, now)
    if idea_queries.can_moderate(user):
        return _cx_lead(session, settings, own, now)
    return HomePage(**own)


def _team_lead(
    session: Session, settings: Settings, own: _HomeFields, team_id: int, now: datetime
) -> LeaderHome:
    gaps = gap_queries.gap_rates_by_kind(
        session,
        team_ids=[team_id],
        since=now - timedelta(days=GAP_WINDOW_DAYS),
        until=now,
        min_group_size=settings.min_group_size,
    )
    return LeaderHome(
        **own,
        team_gaps=sorted(gaps, key=lambda k: -(k.rate or 0))[:SHOWN],
        gap_window=GAP_WINDOW_DAYS,
        completion=completion_figures.team_completion(session, team_id, now.date()),
        suggestions=suggestions.offers(session, team_id, now),
    )


def _cx_lead(session: Session, settings: Settings, own: _HomeFields, now: datetime) -> CxHome:
    days = settings.idea_response_working_days
    waiting, overdue = idea_promise.awaiting_answer(session, days)
    on_time, due = idea_promise.answered_in_time_share(
        session, days, now - timedelta(days=SHARE_WINDOW_DAYS)
    )
    growing = _growing_themes(session)
    overdue_plans = _overdue_plans(session, now.date())
    shown = [t for t, _ in growing] + [t for _, t, _ in overdue_plans]
    return CxHome(
        **own,
        waiting=waiting,
        overdue_count=overdue,
        on_time=on_time,
        due=due,
        share_window=SHARE_WINDOW_DAYS,
        growing=growing,
        overdue_plans=overdue_plans,
        reviews_due=guide_queries.review_overdue(session, now.date()),
        effects=_effects(session, settings),
        theme_names=display_names(shown),
    )


def _growing_themes(session: Session) -> list[tuple[Theme, int]]:
    listed = theme_queries.list_themes(session)
    trends = theme_queries.weekly_counts(session, [t.id for t in listed if t.id], weeks=8)
    ranked = [(t, theme_queries.growth(trends.get(t.id or 0, []))) for t in listed]
    return sorted((r for r in ranked if r[1] > 0), key=lambda r: (-r[1], r[0].id))[:SHOWN]


def _overdue_plans(session: Session, today: date) -> list[tuple[ActionPlan, Theme, str | None]]:
    query = (
        select(ActionPlan, Theme, User.display_name)
        .join(Theme, col(Theme.id) == ActionPlan.theme_id)
        .outerjoin(User, col(User.id) == ActionPlan.owner_id)
        .where(col(ActionPlan.due_date) < today, ActionPlan.status != PlanStatus.done)
        .order_by(col(ActionPlan.due_date))
    )
    return [(plan, theme, owner) for plan, theme, owner in session.exec(query)]


def _effects(session: Session, settings: Settings) -> list[tuple[CoachingModule, Effect]]:
    about_themes = [m for m in module_queries.published_modules(session) if m.theme_id is not None]
    latest = sorted(about_themes, key=lambda m: m.updated_at, reverse=True)[:SHOWN]
    return [
        (
            module,
            effect.module_effect(
                session,
                module.id or 0,
                min_group_size=settings.min_group_size,
                days=settings.coaching_effect_days,
            ),
        )
        for module in latest
    ]
