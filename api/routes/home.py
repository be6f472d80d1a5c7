"""Each role's starting point: what needs them now.

- agent: their ideas and the answers, their coaching, the guide search box;
- team leader: the team's gap rates, coaching completion and coaching suggestions;
- CX lead (and admin): growing themes, ideas awaiting an answer, overdue action plans and the
  coaching effect of published modules.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from api.access import CurrentUser
from api.accounts import get_team
from api.deps import SessionDep, SettingsDep
from api.web import render
from coaching.guides import queries as guide_queries
from coaching.interactions import queries as gap_queries
from coaching.modules import assignments, effect, suggestions
from coaching.modules import completion as completion_figures
from coaching.modules import queries as module_queries
from coaching.modules.models import CoachingModule
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.settings import Settings
from ideas.submissions import promise as idea_promise
from ideas.submissions import queries as idea_queries
from ideas.themes import queries as theme_queries
from ideas.themes.models import ActionPlan, PlanStatus, Theme

router = APIRouter(include_in_schema=False)
SHARE_WINDOW_DAYS = 90
GAP_WINDOW_DAYS = 30
SHOWN = 5


@router.get("/")
def home(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> HTMLResponse:
    my_ideas = idea_queries.my_ideas(session, user)
    context: dict[str, object] = {
        "team": get_team(session, user.team_id) if user.team_id else None,
        "my_ideas": my_ideas,
        "answers": idea_queries.latest_answers(session, [i.id for i in my_ideas if i.id]),
        "response_days": settings.idea_response_working_days,
    }
    today = utcnow().date()
    if user.role == Role.staff:
        context["coaching"] = assignments.my_open(session, user, today)
        context["today"] = today
    if user.role == Role.team_lead and user.team_id is not None:
        context.update(_team_lead(session, settings, user.team_id, today))
    if idea_queries.can_moderate(user):
        context.update(_cx_lead(session, settings, today))
    return render(request, "home.html", context)


def _team_lead(session: Session, settings: Settings, team_id: int, today: date) -> dict[str, Any]:
    now = utcnow()
    gaps = gap_queries.gap_rates_by_kind(
        session,
        team_ids=[team_id],
        since=now - timedelta(days=GAP_WINDOW_DAYS),
        until=now,
        min_group_size=settings.min_group_size,
    )
    return {
        "team_gaps": sorted(gaps, key=lambda k: -(k.rate or 0))[:SHOWN],
        "gap_window": GAP_WINDOW_DAYS,
        "completion": completion_figures.team_completion(session, team_id, today),
        "suggestions": suggestions.offers(session, team_id, now),
    }


def _cx_lead(session: Session, settings: Settings, today: date) -> dict[str, Any]:
    days = settings.idea_response_working_days
    waiting, overdue = idea_promise.awaiting_answer(session, days)
    on_time, due = idea_promise.answered_in_time_share(
        session, days, utcnow() - timedelta(days=SHARE_WINDOW_DAYS)
    )
    return {
        "waiting": waiting,
        "overdue_count": overdue,
        "on_time": on_time,
        "due": due,
        "share_window": SHARE_WINDOW_DAYS,
        "growing": _growing_themes(session),
        "overdue_plans": _overdue_plans(session, today),
        "reviews_due": guide_queries.review_overdue(session, today),
        "effects": _effects(session, settings),
    }


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


def _effects(session: Session, settings: Settings) -> list[tuple[CoachingModule, Any]]:
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
