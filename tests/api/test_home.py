"""Each role's home page shows what needs them now, and only what their role may see."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from coaching.guides.models import Guide, GuideStatus
from coaching.modules import assignments
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.ids import pk
from ideas.themes.models import ActionPlan, PlanStatus, Theme
from tests.support.coaching import published_module
from tests.support.harness import sign_in
from tests.support.ideas import make_idea


def test_an_agent_sees_their_answers_their_coaching_with_overdue_marked_and_guide_search(
    client, db: Session, settings, make
) -> None:
    team = make.team()
    agent = make.user(Role.staff, team)
    cx = make.user(Role.cx_lead)
    make_idea(db, agent, "Longer hold music warnings", body="")
    today = utcnow().date()
    module = published_module(db, cx)
    given = assignments.assign(db, module, cx, due_on=today, user_ids=[agent.id], today=today)
    (assignment,) = given.created
    assignment.due_on = today - timedelta(days=1)  # due yesterday: overdue
    db.flush()
    sign_in(client, db, settings, agent)
    html = client.get("/").text
    assert "Longer hold music warnings" in html and "Awaiting an answer" in html
    assert "My coaching" in html and f"/coaching/assignments/{assignment.id}" in html
    assert "Overdue" in html
    assert 'hx-get="/guides/search"' in html and 'for="home-guide-q"' in html
    assert "Coaching completion" not in html and "Overdue follow-up" not in html


def test_a_team_leader_sees_team_gaps_and_coaching_completion(
    client, db: Session, settings, make
) -> None:
    team = make.team()
    leader = make.user(Role.team_lead, team)
    agents = [make.user(Role.staff, team) for _ in range(2)]
    module = published_module(db, make.user(Role.cx_lead))
    today = utcnow().date()
    assignments.assign(db, module, leader, due_on=today, team_ids=[team.id], today=today)
    sign_in(client, db, settings, leader)
    html = client.get("/").text
    assert "Team gaps, last 30 days" in html
    assert "Coaching completion" in html and module.title in html
    assert f"0 of {len(agents)}" in html
    assert "My coaching" not in html and "Growing themes" not in html


def test_a_cx_lead_sees_overdue_action_plans_and_coaching_effects(
    client, db: Session, settings, make
) -> None:
    cx = make.user(Role.cx_lead)
    theme = Theme(name="Card delivery delays", auto_label="card / delivery")
    db.add(theme)
    db.flush()
    db.add(
        ActionPlan(
            theme_id=pk(theme),
            owner_id=cx.id,
            due_date=utcnow().date() - timedelta(days=3),
            status=PlanStatus.in_progress,
        )
    )
    module = published_module(db, cx)
    module.theme_id = theme.id
    stale = Guide(
        title="Chargebacks explained",
        body="Raise it within 120 days.",
        status=GuideStatus.published,
        latest_version=1,
        review_due_on=utcnow().date() - timedelta(days=2),
    )
    db.add(stale)
    db.flush()
    sign_in(client, db, settings, cx)
    html = client.get("/").text
    assert "Growing themes" in html and "Ideas awaiting an answer" in html
    assert "Overdue follow-up" in html and "Card delivery delays" in html
    assert "Guides due for review" in html and f'href="/guides/{stale.id}"' in html
    assert "Coaching effect" in html and module.title in html
    assert "Not enough data: no agent in the logs has completed" in html
    assert "My coaching" not in html
