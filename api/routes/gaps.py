"""Knowledge-gap pages: gap rates by kind, by agent (a team leader's own team) or by team
(CX leads and admins, across teams), the weekly trend, remediation effectiveness, and the
signals behind each figure with their redacted evidence. The pages' data comes from
``api.pages.gaps``.

Who sees what (see ``coaching.interactions.queries`` for the minimum group size):
- a team leader: their own team only, whatever team id is typed (404 otherwise), with one row
  per agent and each signal's agent;
- a CX lead or admin: every team, one row per team, never per agent; evidence without the
  agent, and only for a scope that covers at least the minimum group of agents.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api import accounts
from api.access import NOT_YOURS, LeaderUser, require_team
from api.deps import SessionDep, SettingsDep
from api.pages import contacts
from api.pages import gaps as pages
from api.pages.gaps import PERIODS, Scope
from api.params import Id, parse_id
from api.web import render
from coaching.interactions import evidence
from coaching.interactions.models import Agent, SignalKind
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.errors import NotFound
from foundation.i18n import N_, current_locale

router = APIRouter(prefix="/gaps", include_in_schema=False)

DEFAULT_WEEKS = 12
SORTS = ("rate", "signals", "interactions", "agent")


def _scope(session: Session, user: User, team: str | None, weeks: str | None) -> Scope:
    period = int(weeks) if weeks and weeks.isdigit() and int(weeks) in PERIODS else DEFAULT_WEEKS
    today = utcnow().date()
    monday = today - timedelta(days=today.weekday())
    since = datetime.combine(monday - timedelta(weeks=period - 1), time(), tzinfo=UTC)
    chosen = parse_id(team)
    if team and chosen is None:
        raise NotFound(NOT_YOURS)
    if user.role == Role.team_lead:
        team_id = chosen or user.team_id
        if team_id is None:
            raise NotFound(N_("You are not in a team yet. Ask an administrator to add you to one."))
        require_team(user, team_id)
        return Scope(period, accounts.get_team(session, team_id), since, per_person=True)
    if chosen is None:
        return Scope(period, None, since, per_person=False)
    require_team(user, chosen)
    return Scope(period, accounts.get_team(session, chosen), since, per_person=False)


def _kind(value: str | None) -> SignalKind | None:
    return SignalKind(value) if value and value in SignalKind.__members__ else None


@router.get("")
def gaps_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: LeaderUser,
    team: str | None = None,
    weeks: str | None = None,
    sort: str = "rate",
) -> HTMLResponse:
    scope = _scope(session, user, team, weeks)
    sort = sort if sort in SORTS else "rate"
    # A minute-old dashboard is as useful, and an import adds rows every second (foundation.cache).
    # Per locale too: the figures hold labels and reasons in the request's language.
    key = ("gaps", current_locale(), tuple(scope.team_ids or ()), scope.since, scope.per_person)
    figures, age = request.app.state.figures.get(
        key, lambda: pages.gap_figures(session, scope, settings.min_group_size)
    )
    if scope.per_person and request.headers.get("hx-target") == "by-agent":  # re-sorting
        block = pages.gaps_agents(scope, sort, figures, age)
        return render(request, "gaps/index.html", block, block="agents")
    page = pages.gaps_page(session, settings, user, scope, sort, figures, age)
    return render(request, "gaps/index.html", page, block="results")


def _agent(session: Session, scope: Scope, agent: str | None) -> Agent | None:
    """The agent filtered on: one person's signals are for their own team leader only."""
    if not agent:
        return None
    agent_id = parse_id(agent)
    if not (agent_id and scope.per_person and scope.team_ids):
        raise NotFound(NOT_YOURS)
    row = session.get(Agent, agent_id)
    if row is None or not evidence.agent_worked_in(session, agent_id, scope.team_ids):
        raise NotFound(NOT_YOURS)
    return row


@router.get("/evidence")
def evidence_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: LeaderUser,
    team: str | None = None,
    weeks: str | None = None,
    kind: str | None = None,
    agent: str | None = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    scope = _scope(session, user, team, weeks)
    found = pages.evidence_page(
        session,
        settings,
        user,
        scope,
        kind=_kind(kind),
        agent=_agent(session, scope, agent),
        page=page,
    )
    return render(request, "gaps/evidence.html", found, block="results")


@router.get("/contacts/{interaction_id}")
def contact_page(
    request: Request, session: SessionDep, user: LeaderUser, interaction_id: Id
) -> HTMLResponse:
    """One contact's redacted evidence (what drafts' quotes link to), never its agent; a team
    leader sees their own team's contacts only."""
    row = contacts.get_contact(session, interaction_id)
    if user.role == Role.team_lead:
        require_team(user, row.team_id)
    return render(request, "gaps/contact.html", contacts.contact_page(session, row))
