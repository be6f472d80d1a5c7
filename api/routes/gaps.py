"""Knowledge-gap pages: gap rates by kind, by agent (a team leader's own team) or by team
(CX leads and admins, across teams), the weekly trend, remediation effectiveness, and the
signals behind each figure with their redacted evidence.

Who sees what (see ``coaching.interactions.queries`` for the minimum group size):
- a team leader: their own team only, whatever team id is typed (404 otherwise), with one row
  per agent and each signal's agent;
- a CX lead or admin: every team, one row per team, never per agent; evidence without the
  agent, and only for a scope that covers at least the minimum group of agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from api import accounts
from api.access import NOT_YOURS, LeaderUser, require_team
from api.deps import SessionDep, SettingsDep
from api.params import parse_id
from api.web import render
from coaching.interactions import evidence
from coaching.interactions import queries as gap_queries
from coaching.interactions import remediation as gap_remediation
from coaching.interactions.models import Agent, SignalKind
from foundation.accounts import Role, Team, User
from foundation.clock import utcnow
from foundation.errors import NotFound

router = APIRouter(prefix="/gaps", include_in_schema=False)

PERIODS = (4, 12, 26)
DEFAULT_WEEKS = 12
SORTS = ("rate", "signals", "interactions", "agent")
PAGE_SIZE = 20


@dataclass(frozen=True)
class Scope:
    """The filters after access checks: what the page may show this user."""

    weeks: int
    team: Team | None  # None: every team (organisation-wide viewers only)
    since: datetime
    per_person: bool  # a team leader looking at their own team

    @property
    def team_ids(self) -> list[int] | None:
        return None if self.team is None else [self.team.id]  # type: ignore[list-item]

    def query(self, **extra: object) -> str:
        """The query string that keeps these filters, plus ``extra`` (blank values dropped)."""
        values = {"weeks": self.weeks, "team": self.team.id if self.team else None, **extra}
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


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
            raise NotFound("You are not in a team yet. Ask an administrator to add you to one.")
        require_team(user, team_id)
        return Scope(period, accounts.get_team(session, team_id), since, per_person=True)
    if chosen is None:
        return Scope(period, None, since, per_person=False)
    require_team(user, chosen)
    return Scope(period, accounts.get_team(session, chosen), since, per_person=False)


def _kind(value: str | None) -> SignalKind | None:
    return SignalKind(value) if value and value in SignalKind.__members__ else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _kind_chart(rows: list[gap_queries.KindRate]) -> dict[str, Any]:
    return {
        "type": "bar",
        "labels": [r.kind.label for r in rows],
        "datasets": [
            {"label": "Signals per 100 interactions", "data": [_round(r.rate) for r in rows]}
        ],
        "options": {
            "plugins": {"legend": {"display": False}},
            "scales": {"y": {"beginAtZero": True}},
        },
    }


def _weekly_chart(series: gap_queries.WeeklySeries, shown: list[SignalKind]) -> dict[str, Any]:
    return {
        "type": "line",
        "labels": [w.isoformat() for w in series.weeks],
        "datasets": [
            {"label": k.label, "data": [_round(v) for v in series.rates[k]], "spanGaps": False}
            for k in shown
        ],
        "options": {
            "scales": {
                "y": {
                    "beginAtZero": True,
                    "title": {"display": True, "text": "Signals per 100 interactions"},
                },
                "x": {"title": {"display": True, "text": "Week starting (Monday)"}},
            }
        },
    }


def _sorted_agents(rows: list[gap_queries.AgentRate], sort: str) -> list[gap_queries.AgentRate]:
    if sort == "agent":
        return sorted(rows, key=lambda r: (r.name or r.code).lower())
    if sort == "signals":
        return sorted(rows, key=lambda r: (-r.signals, r.code))
    if sort == "interactions":
        return sorted(rows, key=lambda r: (-r.interactions, r.code))
    return rows  # already by rate, highest first


def _teams(session: Session, user: User) -> list[Team]:
    return accounts.list_teams(session) if user.role != Role.team_lead else []


@dataclass(frozen=True)
class Figures:
    """Everything the gaps page aggregates, computed together and cached together."""

    agents: list[gap_queries.AgentRate]
    kinds: list[gap_queries.KindRate]
    series: gap_queries.WeeklySeries
    by_team: list[gap_queries.TeamRate] | None
    remedy: gap_remediation.Remediation


def _figures(session: Session, scope: Scope, min_group_size: int) -> Figures:
    args: dict[str, Any] = {"team_ids": scope.team_ids, "since": scope.since, "until": None}
    agents = gap_queries.gap_rates_by_agent(session, **args) if scope.per_person else []
    args["min_group_size"] = min_group_size
    return Figures(
        agents=agents,
        kinds=gap_queries.gap_rates_by_kind(session, **args),
        series=gap_queries.gap_rates_over_time(session, **args),
        by_team=None if scope.per_person else gap_queries.gap_rates_by_team(session, **args),
        remedy=gap_remediation.remediation(session, **args),
    )


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
    key = ("gaps", tuple(scope.team_ids or ()), scope.since, scope.per_person)
    figures, age = request.app.state.figures.get(
        key, lambda: _figures(session, scope, settings.min_group_size)
    )
    context: dict[str, Any] = {"scope": scope, "sort": sort, "periods": PERIODS, "age": age}
    if scope.per_person:
        context["agents"] = _sorted_agents(figures.agents, sort)
    if scope.per_person and request.headers.get("hx-target") == "by-agent":  # re-sorting
        return render(request, "gaps/index.html", context, block="agents")
    kinds, series = figures.kinds, figures.series
    shown = [k for k in SignalKind if any(series.rates[k])]  # kinds that occurred at all
    columns = [series.rates[k] for k in shown]
    context |= {
        "teams": _teams(session, user),
        "kinds": kinds,
        "kinds_chart": _kind_chart(kinds) if any(r.rate is not None for r in kinds) else None,
        "weekly_kinds": shown,
        "series_rows": [
            (week, series.interactions[i], series.suppressed[i], [c[i] for c in columns])
            for i, week in enumerate(series.weeks)
        ],
        "weekly_chart": _weekly_chart(series, shown) if shown else None,
        "has_weekly": any(
            n or hidden for n, hidden in zip(series.interactions, series.suppressed, strict=True)
        ),
        "by_team": figures.by_team,
        "remedy": figures.remedy,
        "min_group_size": settings.min_group_size,
    }
    return render(request, "gaps/index.html", context, block="results")


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
    agent_row: Agent | None = None
    agent_name: str | None = None
    if agent:
        # One person's signals: for their own team leader only.
        agent_id = parse_id(agent)
        if not (agent_id and scope.per_person and scope.team_ids):
            raise NotFound(NOT_YOURS)
        agent_row = session.get(Agent, agent_id)
        if agent_row is None or not evidence.agent_worked_in(session, agent_id, scope.team_ids):
            raise NotFound(NOT_YOURS)
        linked = session.get(User, agent_row.user_id) if agent_row.user_id else None
        agent_name = linked.display_name if linked else None
    args: dict[str, Any] = {"team_ids": scope.team_ids, "since": scope.since, "until": None}
    group = 0 if scope.per_person else evidence.agents_in_scope(session, **args)
    withheld = 0 < group < settings.min_group_size
    rows: list[evidence.Evidence] = []
    total = 0
    if not withheld:
        rows, total = evidence.signal_evidence(
            session,
            **args,
            kind=_kind(kind),
            agent_id=agent_row.id if agent_row else None,
            page=page,
            page_size=PAGE_SIZE,
        )
    filters = {"kind": kind if _kind(kind) else None, "agent": agent_row.id if agent_row else None}
    context = {
        "scope": scope,
        "teams": _teams(session, user),
        "periods": PERIODS,
        "kinds": list(SignalKind),
        "kind": _kind(kind),
        "agent": agent_row,
        "agent_name": agent_name,
        "rows": rows,
        "total": total,
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "withheld": withheld,
        "min_group_size": settings.min_group_size,
        "query": scope.query(**filters),
    }
    return render(request, "gaps/evidence.html", context, block="results")
