"""Assignments: versions kept, team boundaries, attempts and completion, overdue and reminders
with fixed dates, completion figures with the minimum group size, and suggestions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from coaching.modules import assignments, suggestions
from coaching.modules import completion as completion_figures
from coaching.modules import queries as module_queries
from coaching.modules import service as module_service
from coaching.modules.models import Assignment, ModuleUpdate, Suggestion
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.errors import Conflict, Invalid, NotFound
from foundation.ids import pk
from ideas.submissions.models import Notification
from jobs import tasks
from tests.support.coaching import (
    NOW,
    QUESTION,
    SECOND,
    published_module,
    seed_suggestion,
    staff,
)

TODAY = date(2026, 3, 10)


def test_an_assignment_keeps_its_version_after_a_new_publish(db, make):
    team, cx = make.team(), make.user(Role.cx_lead)
    agent = make.user(Role.staff, team)
    module = published_module(db, cx)
    first = module_queries.latest_version(db, module)
    assert first is not None
    result = assignments.assign(db, module, cx, due_on=TODAY, team_ids=[team.id], today=TODAY)
    (assignment,) = result.created
    module_service.update_module(db, module, ModuleUpdate(title="Lost cards v2", body="New"), cx)
    module_service.publish(db, module, cx)
    db.refresh(assignment)
    assert assignment.version_id == first.id
    assert module.latest_version == 2
    (mine,) = assignments.my_open(db, agent, TODAY)
    assert mine[1].title == "Lost cards" and mine[1].number == 1


def test_team_leaders_assign_only_inside_their_own_team(db, make):
    team, other = make.team(), make.team()
    leader = make.user(Role.team_lead, team)
    (mine,), (theirs,) = staff(make, team, 1), staff(make, other, 1)
    module = published_module(db, make.user(Role.cx_lead))
    refused = [
        {"user_ids": [theirs.id]},
        {"team_ids": [other.id]},
        {"user_ids": [mine.id, theirs.id]},
        {"user_ids": [999999]},
        {"user_ids": [leader.id]},  # a team leader is not an agent
    ]
    for ids in refused:
        with pytest.raises(NotFound):
            assignments.assign(db, module, leader, due_on=TODAY, today=TODAY, **ids)
    assert db.exec(select(Assignment)).all() == []
    result = assignments.assign(db, module, leader, due_on=TODAY, user_ids=[mine.id], today=TODAY)
    assert [a.user_id for a in result.created] == [mine.id]
    assert result.created[0].team_id == team.id
    # A CX lead may assign any team.
    cx = make.user(Role.cx_lead)
    result = assignments.assign(db, module, cx, due_on=TODAY, team_ids=[other.id], today=TODAY)
    assert [a.user_id for a in result.created] == [theirs.id]


def test_open_assignments_are_skipped_and_bad_requests_refused(db, make):
    team = make.team()
    leader = make.user(Role.team_lead, team)
    a, b = staff(make, team, 2)
    module = published_module(db, make.user(Role.cx_lead))
    assignments.assign(db, module, leader, due_on=TODAY, user_ids=[a.id], today=TODAY)
    result = assignments.assign(db, module, leader, due_on=TODAY, team_ids=[team.id], today=TODAY)
    assert [x.user_id for x in result.created] == [b.id]
    assert result.skipped == [a.display_name]
    with pytest.raises(Invalid) as past:
        assignments.assign(db, module, leader, due_on=TODAY - timedelta(days=1), today=TODAY,
                           user_ids=[a.id])  # fmt: skip
    assert past.value.field == "due_on"
    with pytest.raises(Invalid):
        assignments.assign(db, module, leader, due_on=TODAY, today=TODAY)  # nobody chosen
    draft = module_service.create_module(db, ModuleUpdate(title="Draft"), make.user(Role.cx_lead))
    with pytest.raises(Conflict):
        assignments.assign(db, draft, leader, due_on=TODAY, user_ids=[a.id], today=TODAY)


def test_attempts_score_and_completion_needs_all_right_and_acknowledgement(db, make):
    team, cx = make.team(), make.user(Role.cx_lead)
    agent = make.user(Role.staff, team)
    module = published_module(db, cx, questions=(QUESTION, SECOND))
    (assignment,) = assignments.assign(
        db, module, cx, due_on=TODAY, user_ids=[agent.id], today=TODAY
    ).created
    version = module_queries.latest_version(db, module)
    assert version is not None
    _, marks = assignments.submit_attempt(db, assignment, version, [0, 0], now=NOW)
    assert [m.right for m in marks] == [True, False] and marks[1].explanation
    assert assignment.best_score == 0.5 and assignment.attempts == 1
    assignments.acknowledge(db, assignment, version, now=NOW)
    assert assignment.completed_at is None  # acknowledged, but not every answer right yet
    assignments.submit_attempt(db, assignment, version, [0, 1], now=NOW + timedelta(hours=1))
    assert assignment.best_score == 1.0 and assignment.completed_at == NOW + timedelta(hours=1)
    assignments.submit_attempt(db, assignment, version, [1, 1], now=NOW + timedelta(hours=2))
    assert assignment.best_score == 1.0 and assignment.attempts == 3
    assert assignment.completed_at == NOW + timedelta(hours=1)  # set once
    answers, errors = module_service.read_answers(version.questions, {"a0": "1", "a1": "7"})
    assert answers == [1] and set(errors) == {"a1"}
    stranger = make.user(Role.staff, team)
    with pytest.raises(NotFound):
        assignments.get_for_assignee(db, pk(assignment), stranger)


def test_a_module_without_questions_completes_on_acknowledgement(db, make):
    team, cx = make.team(), make.user(Role.cx_lead)
    agent = make.user(Role.staff, team)
    module = published_module(db, cx, questions=())
    (assignment,) = assignments.assign(
        db, module, cx, due_on=TODAY, user_ids=[agent.id], today=TODAY
    ).created
    version = module_queries.latest_version(db, module)
    assert version is not None
    with pytest.raises(Invalid):
        assignments.submit_attempt(db, assignment, version, [])
    assignments.acknowledge(db, assignment, version, now=NOW)
    assert assignment.completed_at == NOW


def test_overdue_and_reminders_with_fixed_dates(db, make):
    team, cx = make.team(), make.user(Role.cx_lead)
    soon, later, late, done = staff(make, team, 4)
    module = published_module(db, cx, questions=())
    version = module_queries.latest_version(db, module)
    assert version is not None
    start = TODAY - timedelta(days=10)
    due = [(soon, TODAY + timedelta(days=2)), (later, TODAY + timedelta(days=3)),
           (late, TODAY - timedelta(days=1)), (done, TODAY)]  # fmt: skip
    rows = {}
    for agent, due_on in due:
        (rows[agent.id],) = assignments.assign(
            db, module, cx, due_on=due_on, user_ids=[agent.id], today=start
        ).created
    assignments.acknowledge(db, rows[done.id], version, now=NOW)
    assert [assignments.is_overdue(rows[u.id], TODAY) for u in (soon, later, late, done)] == [
        False, False, True, False
    ]  # fmt: skip
    assert not assignments.is_overdue(rows[late.id], TODAY - timedelta(days=1))  # due that day
    sent = assignments.due_reminders(db, TODAY, days=2)
    assert sorted(n.user_id for n in sent) == sorted([soon.id, late.id])
    by_user = {n.user_id: n for n in sent}
    assert by_user[late.id].message.startswith("Coaching overdue")
    assert by_user[soon.id].link == f"/coaching/assignments/{rows[soon.id].id}"
    assert rows[soon.id].reminded_at is not None and rows[later.id].reminded_at is None
    assert assignments.due_reminders(db, TODAY, days=2) == []  # once per assignment
    assert [
        n.user_id for n in assignments.due_reminders(db, TODAY + timedelta(days=1), days=2)
    ] == [later.id]
    items = assignments.my_assignments(db, late, TODAY)
    assert items[0].overdue and items[0].days_left == -1


def test_the_reminder_job_writes_notifications(db, make, settings):
    team, cx = make.team(), make.user(Role.cx_lead)
    agent = make.user(Role.staff, team)
    module = published_module(db, cx, questions=())
    assignments.assign(db, module, cx, due_on=utcnow().date(), user_ids=[agent.id])

    class Context:
        def __init__(self) -> None:
            self.settings = settings

        def set_total(self, total: int) -> None: ...
        def progress(self, done: int, message: str | None = None) -> None:
            self.message = message

        def commit_batch(self, write, checkpoint, done, message=None) -> None:
            write(db)

    ctx = Context()
    tasks.coaching_remind(ctx)  # type: ignore[arg-type]
    assert ctx.message == "1 reminders sent"
    notes = db.exec(select(Notification).where(Notification.user_id == agent.id)).all()
    assert len(notes) == 1 and notes[0].link.startswith("/coaching/assignments/")


def test_completion_figures_hide_small_teams(db, make):
    big, small, tiny = make.team("Big"), make.team("Small"), make.team("Tiny")
    cx = make.user(Role.cx_lead)
    module = published_module(db, cx, questions=())
    version = module_queries.latest_version(db, module)
    assert version is not None
    agents = {
        big.id: staff(make, big, 5),
        small.id: staff(make, small, 2),
        tiny.id: staff(make, tiny, 1),
    }
    for team_id in agents:
        assignments.assign(
            db, module, cx, due_on=TODAY, team_ids=[team_id], today=TODAY - timedelta(5)
        )
    done = db.exec(select(Assignment).where(Assignment.user_id == agents[big.id][0].id)).one()
    assignments.acknowledge(db, done, version)
    figures = completion_figures.completion_by_module(
        db, pk(module), 5, today=TODAY + timedelta(days=1)
    )
    (shown,) = figures.teams
    assert (shown.label, shown.agents, shown.assigned, shown.completed, shown.overdue) == (
        "Big", 5, 5, 1, 4
    )  # fmt: skip
    assert figures.other is not None and figures.other.withheld  # 3 agents: too few to show
    assert figures.total.withheld  # the total less Big would reveal them
    # With a threshold of 3, the two small teams together (3 agents) are shown as "other".
    figures = completion_figures.completion_by_module(db, pk(module), 3, today=TODAY)
    assert [t.label for t in figures.teams] == ["Big"]
    assert figures.other is not None
    assert figures.other.agents == 3 and figures.other.completed == 0
    assert figures.total.agents == 8 and figures.total.completed == 1
    # With 2, Small is named and Tiny's single agent is withheld, with the total.
    figures = completion_figures.completion_by_module(db, pk(module), 2, today=TODAY)
    assert [t.label for t in figures.teams] == ["Big", "Small"]
    assert figures.other is not None
    assert figures.other.withheld and figures.total.withheld
    per_module = completion_figures.team_completion(db, big.id, TODAY + timedelta(days=1))
    assert [(t.id, t.label, t.assigned, t.completed, t.overdue) for t in per_module] == [
        (module.id, "Lost cards", 5, 1, 4)
    ]
    progress = completion_figures.team_agent_progress(db, small.id, TODAY)
    assert {p.user.id for p in progress} == {u.id for u in agents[small.id]}


def test_suggestions_offer_the_theme_module_for_a_high_rate_agent(db, make):
    team, leader, users, module = seed_suggestion(db, make)
    (offer,) = suggestions.offers(db, team.id, NOW)
    assert (offer.user_id, offer.module_id) == (users[0].id, module.id)
    assert offer.agent_rate == 0.5 and offer.team_rate == 0.2 and offer.theme_gaps == 5
    # Outside the 30 days nothing counts.
    assert suggestions.offers(db, team.id, NOW + timedelta(days=40)) == []
    suggestions.decide(db, leader, module.id, users[0].id, "dismissed", due_days=14, now=NOW)
    assert suggestions.offers(db, team.id, NOW) == []
    with pytest.raises(Conflict):  # remembered: it is not offered, so it cannot be accepted
        suggestions.decide(db, leader, module.id, users[0].id, "accepted", due_days=14, now=NOW)


def test_accepting_a_suggestion_assigns_with_the_default_due_date(db, make):
    team, leader, users, module = seed_suggestion(db, make)
    other_leader = make.user(Role.team_lead, make.team())
    with pytest.raises(NotFound):
        suggestions.decide(db, other_leader, module.id, users[0].id, "accepted", due_days=14)
    with pytest.raises(Invalid):
        suggestions.decide(db, leader, module.id, users[0].id, "maybe", due_days=14)
    decided = suggestions.decide(db, leader, module.id, users[0].id, "accepted", due_days=14,
                                 now=NOW)  # fmt: skip
    assert decided.status == "accepted" and decided.agent_rate == 0.5
    (assignment,) = db.exec(select(Assignment).where(Assignment.user_id == users[0].id)).all()
    assert assignment.due_on == TODAY + timedelta(days=14)
    assert db.exec(select(Suggestion)).one().decided_by_id == leader.id
    assert suggestions.offers(db, team.id, NOW) == []
