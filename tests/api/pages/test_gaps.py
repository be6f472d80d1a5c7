"""The gap page builders, each against a session: a team leader's per-agent dashboard, the
organisation-wide one by team, the re-sorted agents block, and the evidence behind a figure."""

from __future__ import annotations

from datetime import timedelta

from api.pages import gaps as pages
from coaching.interactions.models import SignalKind
from foundation.accounts import Role
from foundation.clock import utcnow
from tests.support.coaching import add_agents, add_interaction

WEEKS = 12


def _team_with_signals(db, make, agents: int = 5):
    """A team whose agents had one call each yesterday, each with an uncertainty signal; the
    first agent had two more calls without a signal."""
    team = make.team()
    rows = add_agents(db, agents, prefix="GAP-")
    when = utcnow() - timedelta(days=1)
    for agent in rows:
        add_interaction(db, agent, team, when, signals=[SignalKind.uncertainty])
    for _ in range(2):
        add_interaction(db, rows[0], team, when)
    return team, rows


def _scope(team, per_person: bool) -> pages.Scope:
    return pages.Scope(WEEKS, team, utcnow() - timedelta(weeks=WEEKS), per_person)


def test_a_leaders_dashboard_has_one_row_per_agent(db, make, settings):
    team, agents = _team_with_signals(db, make)
    leader = make.user(Role.team_lead, team)
    scope = _scope(team, per_person=True)
    figures = pages.gap_figures(db, scope, settings.min_group_size)
    page = pages.gaps_page(db, settings, leader, scope, "rate", figures, 3.0)
    assert page.periods == pages.PERIODS and page.age == 3.0 and page.sort == "rate"
    assert {a.agent_id for a in page.agents} == {a.id for a in agents}
    assert page.teams == [] and page.by_team is None  # no team filter, no per-team rows
    assert page.weekly_kinds == [SignalKind.uncertainty] and page.has_weekly
    assert sum(r.interactions or 0 for r in page.series_rows) == 7
    assert all(isinstance(r, pages.SeriesRow) and len(r.rates) == 1 for r in page.series_rows)
    assert page.kinds_chart is not None and page.kinds_chart["type"] == "bar"
    assert page.weekly_chart is not None
    assert [d["label"] for d in page.weekly_chart["datasets"]] == ["Uncertainty"]
    assert page.min_group_size == settings.min_group_size


def test_re_sorting_the_agents(db, make, settings):
    team, agents = _team_with_signals(db, make)
    scope = _scope(team, per_person=True)
    figures = pages.gap_figures(db, scope, settings.min_group_size)
    by_calls = pages.gaps_agents(scope, "interactions", figures, 0.0)
    assert by_calls.agents[0].agent_id == agents[0].id and by_calls.agents[0].interactions == 3
    by_name = pages.gaps_agents(scope, "agent", figures, 0.0)
    assert [a.code for a in by_name.agents] == sorted(a.code for a in agents)
    wide = pages.gaps_agents(_scope(team, per_person=False), "agent", figures, 0.0)
    assert wide.agents == []  # never per agent across teams


def test_the_organisation_wide_dashboard_is_by_team(db, make, settings):
    team, _ = _team_with_signals(db, make)
    cx = make.user(Role.cx_lead)
    scope = _scope(None, per_person=False)
    figures = pages.gap_figures(db, scope, settings.min_group_size)
    page = pages.gaps_page(db, settings, cx, scope, "rate", figures, 0.0)
    assert page.agents == [] and figures.agents == []
    assert page.by_team is not None and team.id in [t.team_id for t in page.by_team]
    assert team.id in [t.id for t in page.teams]


def test_evidence_for_a_leader_and_withheld_for_a_small_group(db, make, settings):
    team, agents = _team_with_signals(db, make)
    leader = make.user(Role.team_lead, team)
    scope = _scope(team, per_person=True)
    found = pages.evidence_page(
        db, settings, leader, scope, kind=SignalKind.uncertainty, agent=agents[0], page=1
    )
    assert found.total == 1 and len(found.rows) == 1 and found.pages == 1
    assert not found.withheld and found.agent_name is None
    assert found.agent is not None and found.agent.id == agents[0].id
    assert found.query == f"weeks={WEEKS}&team={team.id}&kind=uncertainty&agent={agents[0].id}"
    every = pages.evidence_page(db, settings, leader, scope, kind=None, agent=None, page=1)
    assert every.total == 5 and every.kind is None and every.kinds == list(SignalKind)
    small, _ = _team_with_signals(db, make, agents=2)
    cx = make.user(Role.cx_lead)
    hidden = pages.evidence_page(
        db, settings, cx, _scope(small, per_person=False), kind=None, agent=None, page=1
    )
    assert hidden.withheld and hidden.rows == [] and hidden.total == 0
