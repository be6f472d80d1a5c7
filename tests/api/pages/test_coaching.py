"""The coaching page builders, each against a session: what each role's overview holds, the
module page for editors and team leaders, assigning, and an agent's own assignment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from api.pages import coaching as pages
from coaching.modules import assignments
from coaching.modules import service as module_service
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.errors import Conflict, NotFound
from tests.support.coaching import published_module, seed_suggestion, seed_theme

TODAY = utcnow().date()


def _assigned(db, make):
    """A published module assigned to one agent of a team, due in a week."""
    team = make.team()
    cx, leader, agent = (
        make.user(Role.cx_lead),
        make.user(Role.team_lead, team),
        make.user(Role.staff, team),
    )
    module = published_module(db, cx)
    result = assignments.assign(
        db, module, leader, due_on=TODAY + timedelta(days=7), user_ids=[agent.id]
    )
    return module, leader, agent, result.created[0]


def test_an_agents_overview_lists_their_own_assignments(db, make, settings):
    module, _, agent, assignment = _assigned(db, make)
    page = pages.coaching_overview(db, settings, agent, TODAY)
    assert isinstance(page, pages.StaffOverview)
    assert page.today == TODAY
    assert [i.assignment.id for i in page.items] == [assignment.id]
    assert page.items[0].version.title == module.title and not page.items[0].overdue
    other = make.user(Role.staff, make.team())
    assert pages.coaching_overview(db, settings, other, TODAY).items == []  # type: ignore[union-attr]


def test_a_leaders_overview_shows_their_team_and_suggestions(db, make, settings):
    team, leader, users, module = seed_suggestion(db, make, utcnow())
    page = pages.coaching_overview(db, settings, leader, TODAY)
    assert isinstance(page, pages.LeaderOverview)
    assert page.team is not None and page.team.id == team.id
    assert [m.id for m in page.published] == [module.id]
    assert [o.user_id for o in page.offers] == [users[0].id]
    assert {p.user.id for p in page.by_agent} == {u.id for u in users}
    assert page.by_module == []  # nothing assigned yet


def test_a_leader_without_a_team_sees_only_that(db, make, settings):
    published_module(db, make.user(Role.cx_lead))
    page = pages.coaching_overview(db, settings, make.user(Role.team_lead), TODAY)
    assert isinstance(page, pages.LeaderOverview)
    assert page.team is None and page.published == []
    assert page.by_module == [] and page.by_agent == [] and page.offers == []


def test_cx_overview_has_every_module_with_completion(db, make, settings):
    module, *_ = _assigned(db, make)
    page = pages.coaching_overview(db, settings, make.user(Role.cx_lead), TODAY)
    assert isinstance(page, pages.CxOverview)
    assert [m.id for m in page.modules] == [module.id] and page.archived == []
    assert set(page.completion) == {module.id}
    assert page.min_group_size == settings.min_group_size


def test_new_module_page_from_a_theme(db, make):
    theme = seed_theme(db, make.team())
    page = pages.new_module_page(db, theme.id)
    assert page.theme is not None and page.theme.id == theme.id
    assert theme.id in [t.id for t in page.themes]
    assert page.values == {} and page.errors == {}
    blank = pages.new_module_page(db, None, {"title": ""}, {"title": "Give a title."})
    assert blank.theme is None and blank.errors == {"title": "Give a title."}


def test_module_page_for_an_editor_and_a_team_leader(db, make, settings):
    cx = make.user(Role.cx_lead)
    module = published_module(db, cx)
    page = pages.module_page(db, settings, module, cx)
    assert type(page) is pages.ModulePage  # no theme: not measured
    assert page.editor and page.completion is not None
    assert page.latest is not None and page.latest.number == 1
    assert [v.number for v in page.versions] == [1]
    assert page.values == {"title": module.title, "body": module.body}
    first, blank = page.fieldsets
    assert first == pages.Fieldset(
        0, module.questions[0]["prompt"], "Reissue the card\nClose the account", "1",
        "Reissuing resolved most contacts.",
    )  # fmt: skip
    assert blank == pages.Fieldset(index=1)
    leader = make.user(Role.team_lead, make.team())
    seen = pages.module_page(db, settings, module, leader)
    assert not seen.editor and seen.completion is None


def test_a_module_from_a_theme_carries_its_effect(db, make, settings):
    cx = make.user(Role.cx_lead)
    theme = seed_theme(db, make.team())
    module = published_module(db, cx, theme=theme)
    page = pages.module_page(db, settings, module, cx)
    assert isinstance(page, pages.MeasuredModulePage)
    assert page.theme is not None and page.theme.id == theme.id
    assert page.effect.horizon == settings.coaching_effect_days // 7
    assert page.stored == [] and page.stored_periods == []  # no closed period computed yet


def test_posted_fieldsets_keep_what_was_typed():
    posted = {"title": "T", "q0-prompt": "Why?", "q0-options": "a\nb", "q0-answer": "2",
              "q1-prompt": "", "q1-options": "", "q1-explanation": ""}  # fmt: skip
    sets = pages.posted_fieldsets(posted)
    assert sets == [pages.Fieldset(0, "Why?", "a\nb", "2"), pages.Fieldset(1)]
    typed = pages.posted_fieldsets({"q0-prompt": "Why?"})
    assert typed == [pages.Fieldset(0, "Why?"), pages.Fieldset(1)]  # a blank set added


def test_assign_page_for_a_leader_and_for_a_cx_lead(db, make, settings):
    team = make.team("Alpha")
    cx, leader = make.user(Role.cx_lead), make.user(Role.team_lead, team)
    agent = make.user(Role.staff, team)
    module = published_module(db, cx)
    due = (TODAY + timedelta(settings.coaching_default_due_days)).isoformat()
    page = pages.assign_page(db, settings, module, leader, TODAY)
    assert page.leader and [a.id for a in page.agents] == [agent.id] and page.teams == []
    assert page.values == {"due_on": due} and page.errors == {} and page.result is None
    wide = pages.assign_page(db, settings, module, cx, TODAY)
    assert not wide.leader and wide.agents == [] and team.id in [t.id for t in wide.teams]
    with pytest.raises(NotFound):
        pages.assign_page(db, settings, module, make.user(Role.team_lead), TODAY)
    module_service.archive(db, module, cx)
    with pytest.raises(Conflict):
        pages.assign_page(db, settings, module, leader, TODAY)


def test_assignment_page_is_the_assignees_only(db, make):
    module, _, agent, assignment = _assigned(db, make)
    page = pages.assignment_page(db, assignment.id, agent, TODAY)
    assert page.assignment.id == assignment.id and page.version.title == module.title
    assert not page.overdue and page.marks is None and page.chosen == [] and page.errors == {}
    late = pages.assignment_page(db, assignment.id, agent, date.max - timedelta(days=1))
    assert late.overdue
    with pytest.raises(NotFound):
        pages.assignment_page(db, assignment.id, make.user(Role.staff), TODAY)
    assignments.submit_attempt(db, page.assignment, page.version, [1])
    tried = pages.assignment_page(db, assignment.id, agent, TODAY)
    assert tried.chosen == [1] and tried.marks is not None
    assert (tried.marks[0].chosen, tried.marks[0].answer) == (1, 0)
