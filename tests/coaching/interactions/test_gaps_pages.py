"""The knowledge-gap pages: who sees which team, per-person rows for the own team leader only,
withheld small groups, charts, htmx fragments and the evidence drill-down."""

from __future__ import annotations

import html
import json
import re
import time as clock
from datetime import UTC, datetime, time, timedelta

from coaching.interactions.models import Agent, Outcome, SignalKind
from foundation.accounts import Role, Team
from foundation.cache import TtlCache
from foundation.clock import utcnow
from tests.support.coaching import add_agents, add_interaction
from tests.support.harness import hx, sign_in

CHART = re.compile(r"data-chart='([^']*)'")


def charts(page: str) -> list[dict]:
    return [json.loads(html.unescape(raw)) for raw in CHART.findall(page)]


def team_with_agents(db, make, n: int, name: str) -> tuple[Team, list[Agent]]:
    team = make.team(name)
    agents = add_agents(db, n, prefix=f"{name[:3].upper()}-")
    # Two hours ago, but never before this week's Monday: the charts count weeks from Monday.
    now = utcnow()
    monday = datetime.combine(now.date() - timedelta(days=now.weekday()), time(), tzinfo=UTC)
    recent = max(now - timedelta(hours=2), monday)
    for i, agent in enumerate(agents):
        add_interaction(
            db,
            agent,
            team,
            recent,
            signals=[SignalKind.uncertainty] if i % 2 == 0 else [],
            actions=["kb_article"],
            outcome=Outcome.resolved,
            csat=4,
        )
        add_interaction(db, agent, team, recent - timedelta(days=8))
    return team, agents


def test_team_leader_sees_own_team_and_its_people_only(client, db, make, settings):
    mine, my_agents = team_with_agents(db, make, 5, "Cards")
    other, their_agents = team_with_agents(db, make, 5, "Mortgages")
    colleague = make.user(team=mine)
    my_agents[0].user_id = colleague.id
    db.flush()
    sign_in(client, db, settings, make.user(Role.team_lead, mine))

    page = client.get("/gaps")
    assert page.status_code == 200
    assert all(a.code in page.text for a in my_agents[1:])
    assert colleague.display_name in page.text  # linked user's name
    assert not any(a.code in page.text for a in their_agents)
    assert 'id="f-team"' not in page.text  # no team choice
    assert "Mortgages" not in page.text
    assert f"/gaps/evidence?weeks=12&amp;team={mine.id}&amp;agent={my_agents[1].id}" in page.text
    assert client.get(f"/gaps?team={mine.id}").status_code == 200

    for url in (
        f"/gaps?team={other.id}",
        "/gaps?team=999999",
        "/gaps?team=abc",
        f"/gaps/evidence?team={other.id}",
        f"/gaps/evidence?agent={their_agents[0].id}",  # not in this leader's team
        "/gaps/evidence?agent=999999",
    ):
        assert client.get(url).status_code == 404, url


def test_staff_get_403(client, db, make, settings):
    team, _ = team_with_agents(db, make, 5, "Cards")
    sign_in(client, db, settings, make.user(Role.staff, team))
    assert client.get("/gaps").status_code == 403
    assert client.get("/gaps/evidence").status_code == 403


def test_cx_lead_sees_every_team_but_no_individual_agents(client, db, make, settings):
    cards, card_agents = team_with_agents(db, make, 5, "Cards")
    small, small_agents = team_with_agents(db, make, 3, "Savings")
    sign_in(client, db, settings, make.user(Role.cx_lead))

    page = client.get("/gaps")
    assert page.status_code == 200
    assert 'id="f-team"' in page.text
    assert "Cards" in page.text and "Savings" in page.text
    assert "Withheld: fewer than 5 agents" in page.text  # the small team's row
    assert not any(a.code in page.text for a in card_agents + small_agents)
    assert "By agent" not in page.text

    one = client.get(f"/gaps?team={cards.id}")
    assert one.status_code == 200 and f'<option value="{cards.id}" selected>' in one.text
    assert client.get("/gaps?team=999999").status_code == 404
    # Per-person evidence is for the agent's own team leader.
    assert (
        client.get(f"/gaps/evidence?team={cards.id}&agent={card_agents[0].id}").status_code == 404
    )
    # Evidence for a group below the minimum is withheld; a big enough one is listed.
    withheld = client.get(f"/gaps/evidence?team={small.id}")
    assert "Withheld: fewer than 5 agents" in withheld.text
    listed = client.get(f"/gaps/evidence?team={cards.id}")
    assert "3 signals" in listed.text
    assert card_agents[0].code not in listed.text


def test_small_team_aggregates_are_withheld_but_people_are_listed(client, db, make, settings):
    team, agents = team_with_agents(db, make, 4, "Cards")
    sign_in(client, db, settings, make.user(Role.team_lead, team))
    page = client.get("/gaps").text
    assert "Withheld: fewer than 5 agents" in page
    assert all(a.code in page for a in agents)
    assert not [c for c in charts(page) if c["type"] == "bar"]  # nothing to draw


def test_charts_have_valid_json_and_chart_js(client, db, make, settings):
    team, _ = team_with_agents(db, make, 5, "Cards")
    sign_in(client, db, settings, make.user(Role.team_lead, team))
    page = client.get("/gaps?weeks=4").text
    assert '<script src="/static/vendor/chart.umd.min.js" defer></script>' in page
    bar, line = charts(page)
    assert bar["type"] == "bar"
    assert bar["labels"] == [k.label for k in SignalKind]
    assert bar["datasets"][0]["data"][0] == 30.0  # 3 uncertainty signals in 10 interactions
    assert line["type"] == "line"
    assert len(line["labels"]) == 4
    assert [d["label"] for d in line["datasets"]] == ["Uncertainty"]
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert "Used the knowledge article" in page and "kb_article" not in page  # remediation table


def test_htmx_gets_fragments_and_agents_sort(client, db, make, settings):
    team, agents = team_with_agents(db, make, 5, "Cards")
    sign_in(client, db, settings, make.user(Role.team_lead, team))

    results = client.get("/gaps?weeks=26", headers=hx(client))
    assert results.status_code == 200
    assert "<html" not in results.text and 'id="by-kind"' in results.text

    by_agent = client.get("/gaps?sort=agent", headers=hx(client, **{"HX-Target": "by-agent"}))
    assert "<table" in by_agent.text and 'id="by-kind"' not in by_agent.text
    positions = [by_agent.text.index(a.code) for a in sorted(agents, key=lambda a: a.code)]
    assert positions == sorted(positions)
    assert 'aria-sort="ascending"' in by_agent.text


def test_evidence_escapes_markup_keeps_line_breaks_and_pages(client, db, make, settings):
    team, agents = team_with_agents(db, make, 5, "Cards")
    when = utcnow() - timedelta(hours=1)
    add_interaction(
        db,
        agents[0],
        team,
        when,
        signals=[SignalKind.missed_vulnerability],
        outcome=Outcome.unresolved,
        csat=2,
        evidence="Customer: my husband died <script>alert(1)</script>\nAgent: <b>ok</b> & next",
    )
    for i in range(25):
        add_interaction(
            db, agents[2], team, when - timedelta(minutes=i), signals=[SignalKind.transfer]
        )
    sign_in(client, db, settings, make.user(Role.team_lead, team))

    page = client.get("/gaps/evidence?kind=missed_vulnerability").text
    assert "1 signal " in page or "1 signal<" in page
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;<br>Agent: &lt;b&gt;ok&lt;/b&gt; &amp; next" in page
    )
    assert "<script>alert" not in page and "<b>ok" not in page
    assert "rule missed_vulnerability" in page
    assert "unresolved" in page and "CSAT: 2" in page and agents[0].code in page

    first = client.get("/gaps/evidence?kind=transfer")
    assert "25 signals" in first.text and "Page 1 of 2" in first.text
    second = client.get("/gaps/evidence?kind=transfer&page=2", headers=hx(client))
    assert "<html" not in second.text
    assert second.text.count('<article class="signal">') == 5
    by_agent = client.get(f"/gaps/evidence?agent={agents[0].id}").text
    assert "2 signals" in by_agent  # the uncertainty one from setup and the vulnerability one


def test_team_figures_are_kept_for_a_minute_and_say_how_old_they_are(app, client, db, make):
    """An import adds rows every second; a team leader's dashboard is recomputed at most once
    a minute per web process, and says how old its figures are."""
    app.state.figures = TtlCache(60)
    team, agents = team_with_agents(db, make, 5, "Cards")
    sign_in(client, db, app.state.settings, make.user(Role.team_lead, team))
    first = client.get("/gaps?weeks=4").text
    add_interaction(db, agents[0], team, utcnow(), signals=[SignalKind.uncertainty] * 3)
    cached = client.get("/gaps?weeks=4").text
    assert charts(cached)[0] == charts(first)[0]  # the same figures, not yet recomputed
    app.state.figures = TtlCache(0)
    fresh = client.get("/gaps?weeks=4").text
    assert charts(fresh)[0] != charts(first)[0]


def test_the_cache_forgets_after_its_time_and_keeps_only_so_many():
    cache = TtlCache(0.2, max_entries=2)
    calls = []

    def first() -> int:
        calls.append("a")
        return 1

    value, age = cache.get("a", first)
    assert (value, age, calls) == (1, 0.0, ["a"])
    assert cache.get("a", lambda: 2)[0] == 1
    clock.sleep(0.25)
    assert cache.get("a", lambda: 3) == (3, 0.0)
    cache.get("b", lambda: 4)
    cache.get("c", lambda: 5)
    assert cache.get("a", lambda: 6)[0] == 6  # "a" was the oldest of three: dropped
