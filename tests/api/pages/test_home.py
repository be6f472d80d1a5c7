"""The home page builder, against a session: the page's class and fields follow the role
(an agent's coaching, a team leader's team, a CX lead's and an admin's follow-ups)."""

from __future__ import annotations

from datetime import timedelta

from api.pages import home as pages
from coaching.guides.models import Guide, GuideStatus
from coaching.modules import assignments
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.ids import pk
from ideas.themes.models import ActionPlan, PlanStatus, Theme
from tests.support.coaching import published_module
from tests.support.ideas import make_idea

TODAY = utcnow().date()


def test_an_agent_gets_their_ideas_and_open_coaching(db, make, settings):
    team = make.team()
    agent = make.user(Role.staff, team)
    idea, _ = make_idea(db, agent, "Longer hold music warnings", body="")
    cx = make.user(Role.cx_lead)
    module = published_module(db, cx)
    given = assignments.assign(db, module, cx, due_on=TODAY, user_ids=[agent.id], today=TODAY)
    page = pages.home_page(db, settings, agent)
    assert isinstance(page, pages.StaffHome)
    assert page.team is not None and page.team.id == team.id
    assert [i.id for i in page.my_ideas] == [idea.id] and page.answers == {}
    assert page.response_days == settings.idea_response_working_days
    assert [a.id for a, _ in page.coaching] == [given.created[0].id]
    assert page.coaching[0][1].title == module.title and page.today == TODAY


def test_a_team_leader_gets_team_gaps_completion_and_suggestions(db, make, settings):
    team = make.team()
    leader = make.user(Role.team_lead, team)
    make.user(Role.staff, team)
    module = published_module(db, make.user(Role.cx_lead))
    assignments.assign(db, module, leader, due_on=TODAY, team_ids=[team.id], today=TODAY)
    page = pages.home_page(db, settings, leader)
    assert isinstance(page, pages.LeaderHome)
    assert page.gap_window == pages.GAP_WINDOW_DAYS
    assert [(t.label, t.id) for t in page.completion] == [(module.title, module.id)]
    assert page.team_gaps == [] or all(k.rate is None for k in page.team_gaps)
    assert page.suggestions == []
    without_team = pages.home_page(db, settings, make.user(Role.team_lead))
    assert type(without_team) is pages.HomePage and without_team.team is None


def test_cx_leads_and_admins_get_the_follow_ups(db, make, settings):
    cx = make.user(Role.cx_lead)
    theme = Theme(name="Card delivery delays", auto_label="card / delivery")
    db.add(theme)
    db.flush()
    plan = ActionPlan(
        theme_id=pk(theme),
        owner_id=cx.id,
        due_date=TODAY - timedelta(days=3),
        status=PlanStatus.in_progress,
    )
    db.add(plan)
    module = published_module(db, cx, theme=theme)
    stale = Guide(
        title="Chargebacks explained",
        body="Raise it within 120 days.",
        status=GuideStatus.published,
        latest_version=1,
        review_due_on=TODAY - timedelta(days=2),
    )
    db.add(stale)
    waiting, _ = make_idea(db, make.user(Role.staff), "Longer hold music warnings", body="")
    for user in (cx, make.user(Role.admin)):
        page = pages.home_page(db, settings, user)
        assert isinstance(page, pages.CxHome)
        assert [i.id for i in page.waiting] == [waiting.id] and page.overdue_count == 0
        assert (page.on_time, page.due, page.share_window) == (0, 0, pages.SHARE_WINDOW_DAYS)
        assert page.overdue_plans == [(plan, theme, cx.display_name)]
        assert [g.id for g in page.reviews_due] == [stale.id]
        assert [m.id for m, _ in page.effects] == [module.id]
        assert not page.effects[0][1].enough
        assert page.growing == []  # no member in the last weeks
