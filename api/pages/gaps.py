"""The knowledge-gap pages' data: rates by kind, by agent (a team leader's own team) or by
team, the weekly trend, remediation effectiveness, and the signals behind each figure.

``Scope`` is what the routes decided this user may see (after their access checks); every
figure here is computed inside it, with the minimum group size applied by
``coaching.interactions``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from sqlmodel import Session

from api import accounts, presentation
from api.presentation import ChartConfig
from coaching.interactions import actions, evidence
from coaching.interactions import queries as gap_queries
from coaching.interactions import remediation as gap_remediation
from coaching.interactions.models import Agent, SignalKind
from foundation.accounts import Role, Team, User
from foundation.ids import pk
from foundation.settings import Settings

PERIODS = (4, 12, 26)
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
        return None if self.team is None else [pk(self.team)]

    def query(self, **extra: object) -> str:
        """The query string that keeps these filters, plus ``extra`` (blank values dropped)."""
        values = {"weeks": self.weeks, "team": self.team.id if self.team else None, **extra}
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})


@dataclass(frozen=True)
class Figures:
    """Everything the gaps page aggregates, computed together and cached together."""

    agents: list[gap_queries.AgentRate]
    kinds: list[gap_queries.KindRate]
    series: gap_queries.WeeklySeries
    by_team: list[gap_queries.TeamRate] | None
    remedy: gap_remediation.Remediation


def gap_figures(session: Session, scope: Scope, min_group_size: int) -> Figures:
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


def _teams(session: Session, user: User) -> list[Team]:
    """The team filter's choices: organisation-wide viewers only."""
    return accounts.list_teams(session) if user.role != Role.team_lead else []


# ------------------------------------------------------------------------------ the dashboard
@dataclass(frozen=True)
class GapsAgents:
    """The by-agent table (htmx swaps it in when re-sorted). ``agents`` is empty unless the
    scope is per person."""

    scope: Scope
    sort: str
    periods: tuple[int, ...]
    age: float  # seconds since the figures were computed (they are cached a minute)
    agents: list[gap_queries.AgentRate]


class SeriesRow(NamedTuple):
    """One week of the trend table: interactions, whether withheld, each shown kind's rate."""

    week: date
    interactions: int | None
    suppressed: bool
    rates: list[float | None]


@dataclass(frozen=True)
class GapsPage(GapsAgents):
    teams: list[Team]
    kinds: list[gap_queries.KindRate]
    kinds_chart: ChartConfig | None
    weekly_kinds: list[SignalKind]  # the kinds that occurred at all, in the weekly table
    series_rows: list[SeriesRow]
    weekly_chart: ChartConfig | None
    has_weekly: bool
    by_team: list[gap_queries.TeamRate] | None
    remedy: gap_remediation.Remediation
    action_names: Mapping[str, str]  # each action code shown, in plain words (admin's list)
    min_group_size: int


def _sorted_agents(rows: list[gap_queries.AgentRate], sort: str) -> list[gap_queries.AgentRate]:
    if sort == "agent":
        return sorted(rows, key=lambda r: (r.name or r.code).lower())
    if sort == "signals":
        return sorted(rows, key=lambda r: (-r.signals, r.code))
    if sort == "interactions":
        return sorted(rows, key=lambda r: (-r.interactions, r.code))
    return rows  # already by rate, highest first


def gaps_agents(scope: Scope, sort: str, figures: Figures, age: float) -> GapsAgents:
    agents = _sorted_agents(figures.agents, sort) if scope.per_person else []
    return GapsAgents(scope, sort, PERIODS, age, agents)


def gaps_page(
    session: Session,
    settings: Settings,
    user: User,
    scope: Scope,
    sort: str,
    figures: Figures,
    age: float,
) -> GapsPage:
    kinds, series = figures.kinds, figures.series
    shown = [k for k in SignalKind if any(series.rates[k])]  # kinds that occurred at all
    columns = [series.rates[k] for k in shown]
    return GapsPage(
        **vars(gaps_agents(scope, sort, figures, age)),
        teams=_teams(session, user),
        kinds=kinds,
        kinds_chart=presentation.gap_kinds_chart(kinds)
        if any(r.rate is not None for r in kinds)
        else None,
        weekly_kinds=shown,
        series_rows=[
            SeriesRow(week, series.interactions[i], series.suppressed[i], [c[i] for c in columns])
            for i, week in enumerate(series.weeks)
        ],
        weekly_chart=presentation.gap_weekly_chart(series, shown) if shown else None,
        has_weekly=any(
            n or hidden for n, hidden in zip(series.interactions, series.suppressed, strict=True)
        ),
        by_team=figures.by_team,
        remedy=figures.remedy,
        action_names=actions.plain(session, _codes(figures.remedy)),
        min_group_size=settings.min_group_size,
    )


def _codes(remedy: gap_remediation.Remediation) -> set[str]:
    rows = [*remedy.by_action, *(r for rs in remedy.by_gap_kind.values() for r in rs)]
    return {r.action for r in rows}


# ------------------------------------------------------------------------------- the evidence
@dataclass(frozen=True)
class EvidencePage:
    scope: Scope
    teams: list[Team]
    periods: tuple[int, ...]
    kinds: list[SignalKind]
    kind: SignalKind | None  # the kind filtered on
    agent: Agent | None  # the agent filtered on (their own team leader only)
    agent_name: str | None
    rows: list[evidence.Evidence]
    total: int
    page: int
    pages: int
    withheld: bool  # the scope covers fewer agents than the minimum group: nothing shown
    min_group_size: int
    query: str  # the filters as a query string, for the pager's links


def evidence_page(
    session: Session,
    settings: Settings,
    user: User,
    scope: Scope,
    *,
    kind: SignalKind | None,
    agent: Agent | None,
    page: int,
) -> EvidencePage:
    """One page of signals with their redacted evidence, in ``scope`` (and for ``kind`` and
    ``agent`` when given; the route has checked the agent is in the leader's team)."""
    linked = session.get(User, agent.user_id) if agent and agent.user_id else None
    args: dict[str, Any] = {"team_ids": scope.team_ids, "since": scope.since, "until": None}
    group = 0 if scope.per_person else evidence.agents_in_scope(session, **args)
    withheld = 0 < group < settings.min_group_size
    rows: list[evidence.Evidence] = []
    total = 0
    if not withheld:
        rows, total = evidence.signal_evidence(
            session,
            **args,
            kind=kind,
            agent_id=agent.id if agent else None,
            page=page,
            page_size=PAGE_SIZE,
        )
    filters = {"kind": kind.value if kind else None, "agent": agent.id if agent else None}
    return EvidencePage(
        scope=scope,
        teams=_teams(session, user),
        periods=PERIODS,
        kinds=list(SignalKind),
        kind=kind,
        agent=agent,
        agent_name=linked.display_name if linked else None,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        withheld=withheld,
        min_group_size=settings.min_group_size,
        query=scope.query(**filters),
    )
