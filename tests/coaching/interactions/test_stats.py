"""Gap rates, weekly series, remediation effectiveness and the minimum group size, on small
hand-made data where every figure can be worked out by hand (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from coaching.interactions import evidence
from coaching.interactions import queries as gap_queries
from coaching.interactions import remediation as gap_remediation
from coaching.interactions.models import Channel, Outcome, SignalKind
from foundation.accounts import Team
from tests.support.coaching import MONDAY, add_agents, add_interaction

SINCE = datetime(2026, 3, 2, tzinfo=UTC)


def scope(team: Team | None = None, **extra: object) -> dict[str, object]:
    return {
        "team_ids": [team.id] if team else None,
        "since": SINCE,
        "until": SINCE + timedelta(weeks=4),
        **extra,
    }


def by_kind(rows: list[gap_queries.KindRate]) -> dict[SignalKind, gap_queries.KindRate]:
    return {r.kind: r for r in rows}


# ------------------------------------------------------------------------------ gap rates
def test_gap_rate_is_signals_per_100_interactions_in_scope(db, make):
    team, other = make.team(), make.team()
    agents = add_agents(db, 5)
    for i in range(10):
        signals = []
        if i < 2:
            signals.append(SignalKind.uncertainty)
        if i == 0:
            signals += [SignalKind.uncertainty, SignalKind.transfer]  # two of a kind count twice
        add_interaction(db, agents[i % 5], team, MONDAY + timedelta(hours=i), signals=signals)
    # Outside the scope: another team, before and after the period.
    add_interaction(db, agents[0], other, signals=[SignalKind.uncertainty])
    add_interaction(
        db, agents[0], team, SINCE - timedelta(seconds=1), signals=[SignalKind.transfer]
    )
    add_interaction(db, agents[0], team, SINCE + timedelta(weeks=4), signals=[SignalKind.transfer])

    rows = by_kind(gap_queries.gap_rates_by_kind(db, **scope(team), min_group_size=5))  # type: ignore[arg-type]

    assert list(rows) == list(SignalKind)  # every kind, zero rows included
    assert rows[SignalKind.uncertainty].signals == 3
    assert rows[SignalKind.uncertainty].interactions == 10
    assert rows[SignalKind.uncertainty].rate == pytest.approx(30.0)
    assert rows[SignalKind.transfer].rate == pytest.approx(10.0)
    assert rows[SignalKind.low_csat].rate == 0
    assert all(r.suppressed is None for r in rows.values())

    everyone = by_kind(gap_queries.gap_rates_by_kind(db, **scope(), min_group_size=5))  # type: ignore[arg-type]
    assert everyone[SignalKind.uncertainty].signals == 4
    assert everyone[SignalKind.uncertainty].interactions == 11


@pytest.mark.parametrize(("n_agents", "shown"), [(4, False), (5, True)])
def test_team_aggregates_need_min_group_size_distinct_agents(db, make, n_agents, shown):
    team = make.team()
    agents = add_agents(db, n_agents)
    for i in range(20):  # many interactions do not make a small team a big group
        add_interaction(
            db,
            agents[i % n_agents],
            team,
            MONDAY + timedelta(hours=i),
            signals=[SignalKind.uncertainty] if i % 2 else [],
            actions=["refund"],
            outcome=Outcome.resolved,
            csat=4,
        )
    kw = {**scope(team), "min_group_size": 5}
    kinds = gap_queries.gap_rates_by_kind(db, **kw)  # type: ignore[arg-type]
    weekly = gap_queries.gap_rates_over_time(db, **kw)  # type: ignore[arg-type]
    remedy = gap_remediation.remediation(db, **kw)  # type: ignore[arg-type]
    teams = gap_queries.gap_rates_by_team(db, **kw)  # type: ignore[arg-type]

    if shown:
        assert by_kind(kinds)[SignalKind.uncertainty].rate == pytest.approx(50.0)
        assert weekly.rates[SignalKind.uncertainty][0] == pytest.approx(50.0)
        assert remedy.by_action[0].uses == 20
        assert remedy.by_gap_kind[SignalKind.uncertainty][0].uses == 10
        assert teams[0].rate == pytest.approx(50.0)
    else:
        for row in kinds:
            assert (row.signals, row.interactions, row.rate) == (None, None, None)
            assert row.suppressed == "fewer than 5 agents"
        assert weekly.suppressed[0] is True
        assert weekly.interactions[0] is None
        assert all(series[0] is None for series in weekly.rates.values())
        assert remedy.by_action[0].uses is None
        assert remedy.by_action[0].suppressed == "fewer than 5 agents"
        assert remedy.by_gap_kind[SignalKind.uncertainty][0].resolution_rate is None
        assert (teams[0].rate, teams[0].signals, teams[0].suppressed) == (
            None,
            None,
            "fewer than 5 agents",
        )
    # Per-person rows are not aggregates: their own team leader sees them either way.
    people = gap_queries.gap_rates_by_agent(db, **scope(team))  # type: ignore[arg-type]
    assert len(people) == n_agents
    assert sum(p.interactions for p in people) == 20


def test_rates_by_agent_per_person_with_linked_name_and_kind_filter(db, make):
    team = make.team()
    a, b = add_agents(db, 2)
    user = make.user(team=team)
    user.display_name = "Priya Shah"
    a.user_id = user.id
    db.flush()
    for i in range(4):
        add_interaction(db, a, team, signals=[SignalKind.uncertainty] if i == 0 else [])
    add_interaction(db, b, team, signals=[SignalKind.transfer, SignalKind.uncertainty])
    add_interaction(db, b, team)

    rows = gap_queries.gap_rates_by_agent(db, **scope(team))  # type: ignore[arg-type]
    assert [(r.code, r.name, r.interactions, r.signals) for r in rows] == [
        (b.code, None, 2, 2),
        (a.code, "Priya Shah", 4, 1),
    ]
    assert rows[0].rate == pytest.approx(100.0)
    assert rows[1].rate == pytest.approx(25.0)
    assert rows[0].by_kind == {SignalKind.transfer: 1, SignalKind.uncertainty: 1}

    transfers = gap_queries.gap_rates_by_agent(db, **scope(team), kind=SignalKind.transfer)  # type: ignore[arg-type]
    assert {r.code: r.signals for r in transfers} == {a.code: 0, b.code: 1}


def test_rates_by_team_suppress_small_teams_only(db, make):
    big, small = make.team("Big"), make.team("Small")
    for agent in add_agents(db, 5):
        add_interaction(db, agent, big, signals=[SignalKind.low_csat])
        add_interaction(db, agent, big)
    for agent in add_agents(db, 2):
        add_interaction(db, agent, small, signals=[SignalKind.low_csat])

    rows = {r.name: r for r in gap_queries.gap_rates_by_team(db, **scope(), min_group_size=5)}  # type: ignore[arg-type]
    assert (rows["Big"].interactions, rows["Big"].signals) == (10, 5)
    assert rows["Big"].rate == pytest.approx(50.0)
    assert rows["Big"].by_kind[SignalKind.low_csat] == pytest.approx(50.0)
    assert rows["Small"].rate is None
    assert rows["Small"].suppressed == "fewer than 5 agents"


# ----------------------------------------------------------------------------- weekly series
def test_weekly_series_uses_iso_weeks_and_fills_empty_weeks(db, make):
    team = make.team()
    agents = add_agents(db, 5)
    sunday_late = datetime(2026, 3, 8, 23, 30, tzinfo=UTC)  # still the week of 2 March
    monday_early = datetime(2026, 3, 9, 0, 10, tzinfo=UTC)  # the week of 9 March
    for agent in agents:
        add_interaction(db, agent, team, MONDAY)
    add_interaction(db, agents[0], team, sunday_late, signals=[SignalKind.escalation])
    for agent in agents:  # week of 9 March: these 5 and the early one
        add_interaction(db, agent, team, monday_early + timedelta(days=1))
    add_interaction(db, agents[0], team, monday_early, signals=[SignalKind.escalation])
    # Week of 16 March: nothing. Week of 23 March: only two agents (suppressed).
    for agent in agents[:2]:
        add_interaction(db, agent, team, datetime(2026, 3, 24, tzinfo=UTC))

    series = gap_queries.gap_rates_over_time(db, **scope(team), min_group_size=5)  # type: ignore[arg-type]

    assert series.weeks == [date(2026, 3, 2) + timedelta(weeks=w) for w in range(4)]
    assert series.interactions == [6, 6, 0, None]
    assert series.suppressed == [False, False, False, True]
    assert series.rates[SignalKind.escalation][0] == pytest.approx(100 / 6)
    assert series.rates[SignalKind.escalation][1] == pytest.approx(100 / 6)
    assert series.rates[SignalKind.escalation][2:] == [None, None]
    assert series.rates[SignalKind.uncertainty][:2] == [0, 0]


def test_week_start_is_monday():
    assert gap_queries.week_start(datetime(2026, 3, 8, 23, 59, tzinfo=UTC)) == date(2026, 3, 2)
    assert gap_queries.week_start(date(2026, 3, 9)) == date(2026, 3, 9)


# ------------------------------------------------------------------------------ remediation
def test_remediation_per_action_and_per_gap_kind(db, make):
    team = make.team()
    agents = add_agents(db, 6)
    # "refund" on 6 interactions by 6 agents: 4 resolved, 2 repeat contacts, csat 5,4,3,4.
    plan = [
        (Outcome.resolved, 5, [SignalKind.uncertainty]),
        (Outcome.resolved, 4, [SignalKind.uncertainty, SignalKind.uncertainty]),
        (Outcome.resolved, None, [SignalKind.uncertainty, SignalKind.repeat_contact]),
        (Outcome.resolved, 3, []),
        (Outcome.unresolved, 4, [SignalKind.uncertainty, SignalKind.repeat_contact]),
        (Outcome.escalated, None, [SignalKind.uncertainty]),
    ]
    for agent, (outcome, csat, signals) in zip(agents, plan, strict=True):
        # A code recorded twice on one contact is one use.
        add_interaction(
            db,
            agent,
            team,
            actions=["refund", "refund"],
            outcome=outcome,
            csat=csat,
            signals=signals,
        )
    # "callback" by two agents only: withheld.
    for agent in agents[:2]:
        add_interaction(db, agent, team, actions=["callback"], outcome=Outcome.resolved)
    add_interaction(db, agents[0], team, outcome=Outcome.resolved)  # no action: not counted

    result = gap_remediation.remediation(db, **scope(team), min_group_size=5)  # type: ignore[arg-type]

    refund, callback = result.by_action
    assert refund.action == "refund"
    assert (refund.uses, refund.resolved, refund.repeats) == (6, 4, 2)
    assert refund.resolution_rate == pytest.approx(400 / 6)
    assert refund.repeat_rate == pytest.approx(200 / 6)
    assert (refund.csat_count, refund.csat_mean) == (4, pytest.approx(4.0))
    assert callback.action == "callback"
    assert callback.uses is None and callback.suppressed == "fewer than 5 agents"

    # Uncertainty: 5 interactions by 5 agents (2 signals on one contact are one contact).
    (unc,) = result.by_gap_kind[SignalKind.uncertainty]
    assert (unc.action, unc.uses, unc.resolved, unc.repeats) == ("refund", 5, 3, 2)
    assert unc.resolution_rate == pytest.approx(60.0)
    assert unc.csat_mean == pytest.approx(13 / 3)
    # Repeat contact: 2 agents only.
    (rep,) = result.by_gap_kind[SignalKind.repeat_contact]
    assert rep.suppressed == "fewer than 5 agents"
    assert SignalKind.transfer not in result.by_gap_kind

    assert (
        gap_remediation.remediation_by_action(db, **scope(team), min_group_size=5)  # type: ignore[arg-type]
        == result.by_action
    )
    assert (
        gap_remediation.remediation_by_gap_kind(db, **scope(team), min_group_size=5)  # type: ignore[arg-type]
        == result.by_gap_kind
    )


# --------------------------------------------------------------------------------- evidence
def test_evidence_pages_newest_first_with_filters(db, make):
    team, other = make.team(), make.team()
    a, b = add_agents(db, 2)
    for i in range(5):
        add_interaction(
            db,
            a,
            team,
            MONDAY + timedelta(hours=i),
            signals=[SignalKind.uncertainty],
            evidence=f"line {i}",
        )
    add_interaction(db, b, team, MONDAY, signals=[SignalKind.transfer], outcome=Outcome.transferred)
    add_interaction(db, b, other, MONDAY, signals=[SignalKind.uncertainty])

    rows, total = evidence.signal_evidence(db, **scope(team), page_size=4)  # type: ignore[arg-type]
    assert total == 6 and len(rows) == 4
    assert rows[0].evidence == "line 4"
    assert [r.occurred_at for r in rows] == sorted((r.occurred_at for r in rows), reverse=True)
    rest, _ = evidence.signal_evidence(db, **scope(team), page=2, page_size=4)  # type: ignore[arg-type]
    assert len(rest) == 2
    assert {r.signal_id for r in rows}.isdisjoint(r.signal_id for r in rest)

    transfers, n = evidence.signal_evidence(db, **scope(team), kind=SignalKind.transfer)  # type: ignore[arg-type]
    assert n == 1
    t = transfers[0]
    assert (t.agent_code, t.outcome, t.channel, t.team) == (
        b.code,
        Outcome.transferred,
        Channel.phone,
        team.name,
    )
    assert t.reason == "rule transfer"

    _, n = evidence.signal_evidence(db, **scope(team), agent_id=a.id)  # type: ignore[arg-type]
    assert n == 5
    _, n = evidence.signal_evidence(db, **scope(), kind=SignalKind.uncertainty)  # type: ignore[arg-type]
    assert n == 6


def test_empty_scope(db, make):
    team = make.team()
    kinds = gap_queries.gap_rates_by_kind(db, **scope(team), min_group_size=1)  # type: ignore[arg-type]
    assert all(r.interactions == 0 and r.rate is None for r in kinds)
    series = gap_queries.gap_rates_over_time(db, **scope(team), min_group_size=1)  # type: ignore[arg-type]
    assert len(series.weeks) == 4 and series.interactions == [0, 0, 0, 0]
    assert gap_remediation.remediation(db, **scope(team), min_group_size=1).by_action == []  # type: ignore[arg-type]
    assert gap_queries.gap_rates_by_agent(db, **scope(team)) == []  # type: ignore[arg-type]
    assert evidence.signal_evidence(db, **scope(team)) == ([], 0)  # type: ignore[arg-type]
    assert (
        gap_queries.gap_rates_by_kind(db, team_ids=[], since=None, until=None, min_group_size=1)[
            0
        ].interactions
        == 0
    )
