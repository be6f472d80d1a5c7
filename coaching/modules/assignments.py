"""Assignments of published module versions to agents: assigning (team leaders to their own
team, CX leads to any), check attempts and acknowledgement, completion figures and due-date
reminders. Suggestions (``coaching.modules.suggestions``) build on these.

Agents are active users with the staff role. An assignment keeps the version it was given.
Ids that point outside what the assigner may touch answer NotFound, like unknown ids, so
probing reveals nothing about other teams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from coaching.modules import queries as module_queries
from coaching.modules import service as module_service
from coaching.modules.models import Assignment, Attempt, CoachingModule, ModuleVersion
from foundation.accounts import Role, Team, User
from foundation.clock import as_utc, utcnow
from foundation.errors import Conflict, Invalid, NotFound
from foundation.i18n import N_
from foundation.ids import pk
from ideas.submissions.models import Notification

NOT_YOURS = N_("There is nothing here that you can open. Check the address, or go back home.")
ANSWER_FIRST = N_(
    "Answer the check questions first: you can confirm you have read and understood the module "
    "once you have answered them."
)


def _today() -> date:
    return utcnow().date()


def is_overdue(assignment: Assignment, today: date) -> bool:
    return assignment.completed_at is None and assignment.due_on < today


# ---------------------------------------------------------------------------------- assigning
def team_agents(session: Session, team_id: int) -> list[User]:
    """The active frontline staff of a team, by name."""
    query = select(User).where(
        User.team_id == team_id, User.role == Role.staff, col(User.is_active).is_(True)
    )
    return list(session.exec(query.order_by(User.display_name, col(User.id))))


def may_assign_in(by: User, team_id: int | None) -> bool:
    if by.role in (Role.cx_lead, Role.admin):
        return team_id is not None
    return by.role == Role.team_lead and team_id is not None and by.team_id == team_id


@dataclass(frozen=True)
class AssignResult:
    created: list[Assignment]
    skipped: list[str]  # names of agents who already have this module open


def _chosen_agents(
    session: Session, by: User, user_ids: Iterable[int], team_ids: Iterable[int]
) -> dict[int, User]:
    agents: dict[int, User] = {}
    for team_id in sorted(set(team_ids)):
        if not may_assign_in(by, team_id) or session.get(Team, team_id) is None:
            raise NotFound(NOT_YOURS)
        agents.update((u.id, u) for u in team_agents(session, team_id) if u.id is not None)
    for user_id in sorted(set(user_ids)):
        user = session.get(User, user_id)
        if (
            user is None
            or user.role != Role.staff
            or not user.is_active
            or not may_assign_in(by, user.team_id)
        ):
            raise NotFound(NOT_YOURS)
        agents[user_id] = user
    return agents


def assign(
    session: Session,
    module: CoachingModule,
    by: User,
    *,
    due_on: date,
    user_ids: Iterable[int] = (),
    team_ids: Iterable[int] = (),
    today: date | None = None,
) -> AssignResult:
    """Assign the module's latest version to the chosen agents and whole teams. Agents who
    already have it open are skipped and named."""
    agents = _chosen_agents(session, by, user_ids, team_ids)
    version = module_queries.latest_version(session, module)
    if version is None or module.archived:
        raise Conflict(N_("Only a published, current module can be assigned."))
    if due_on < (today or _today()):
        raise Invalid(N_("The due date cannot be in the past."), field="due_on")
    if not agents:
        raise Invalid(N_("Choose at least one agent, or the whole team."), field="agents")
    open_ids = set(
        session.exec(
            select(Assignment.user_id).where(
                Assignment.module_id == module.id,
                col(Assignment.completed_at).is_(None),
                col(Assignment.user_id).in_(list(agents)),
            )
        )
    )
    created = [
        Assignment(
            module_id=pk(module),
            version_id=pk(version),
            user_id=user_id,
            team_id=agent.team_id,
            assigned_by_id=by.id,
            due_on=due_on,
        )
        for user_id, agent in sorted(agents.items())
        if user_id not in open_ids
    ]
    session.add_all(created)
    session.flush()
    skipped = sorted(agents[i].display_name for i in open_ids)
    return AssignResult(created, skipped)


# ------------------------------------------------------------------------- the agent's side
def get_for_assignee(
    session: Session, assignment_id: int, user: User
) -> tuple[Assignment, ModuleVersion]:
    """The assignment and its version, for its assignee only (NotFound for anyone else)."""
    assignment = session.get(Assignment, assignment_id)
    if assignment is None or assignment.user_id != user.id:
        raise NotFound(NOT_YOURS)
    version = session.get(ModuleVersion, assignment.version_id)
    assert version is not None  # the foreign key cascades
    return assignment, version


@dataclass(frozen=True)
class MyItem:
    assignment: Assignment
    version: ModuleVersion
    overdue: bool
    days_left: int


def my_assignments(session: Session, user: User, today: date | None = None) -> list[MyItem]:
    """Open assignments first, soonest due first; then completed ones, latest first."""
    today = today or _today()
    rows = session.exec(
        select(Assignment, ModuleVersion)
        .join(ModuleVersion, col(ModuleVersion.id) == col(Assignment.version_id))
        .where(Assignment.user_id == user.id)
    ).all()
    items = [MyItem(a, v, is_overdue(a, today), (a.due_on - today).days) for a, v in rows]
    open_items = sorted(
        (i for i in items if i.assignment.completed_at is None),
        key=lambda i: (i.assignment.due_on, i.assignment.id or 0),
    )
    done = sorted(
        (i for i in items if i.assignment.completed_at is not None),
        # Only completed assignments are sorted here, so completed_at is set.
        key=lambda i: as_utc(i.assignment.completed_at),  # type: ignore[arg-type]
        reverse=True,
    )
    return open_items + done


def my_open(
    session: Session, user: User, today: date | None = None
) -> list[tuple[Assignment, ModuleVersion]]:
    """Open assignments with their versions, soonest due first (for the home page)."""
    return [
        (i.assignment, i.version)
        for i in my_assignments(session, user, today)
        if i.assignment.completed_at is None
    ]


def submit_attempt(
    session: Session,
    assignment: Assignment,
    version: ModuleVersion,
    answers: list[int],
    *,
    now: datetime | None = None,
) -> tuple[Attempt, list[module_service.Mark]]:
    """Score one go at the check questions; the best score is kept, retries are allowed."""
    if not version.questions:
        raise Invalid(N_("This module has no check questions: acknowledge it to complete it."))
    if len(answers) != len(version.questions):
        raise Invalid(N_("Answer every question."), field="answers")
    marks = module_service.mark(version, answers)
    correct = sum(m.right for m in marks)
    attempt = Attempt(
        assignment_id=pk(assignment),
        answers=answers,
        correct=correct,
        total=len(marks),
        created_at=now or utcnow(),
    )
    session.add(attempt)
    assignment.attempts += 1
    assignment.best_score = max(correct / len(marks), assignment.best_score or 0.0)
    _complete_if_done(assignment, version, now)
    session.flush()
    return attempt, marks


def last_attempt(session: Session, assignment_id: int) -> Attempt | None:
    query = select(Attempt).where(Attempt.assignment_id == assignment_id)
    return session.exec(query.order_by(col(Attempt.id).desc()).limit(1)).first()


def acknowledge(
    session: Session, assignment: Assignment, version: ModuleVersion, *, now: datetime | None = None
) -> Assignment:
    """Records "I have read and understood" once; completes the assignment when every check
    question has been answered right in one attempt (or there are none). Refused until the
    check questions have been answered at least once."""
    if version.questions and not assignment.attempts:
        raise Invalid(ANSWER_FIRST, field="acknowledge")
    if assignment.acknowledged_at is None:
        assignment.acknowledged_at = now or utcnow()
    _complete_if_done(assignment, version, now)
    session.flush()
    return assignment


def _complete_if_done(assignment: Assignment, version: ModuleVersion, now: datetime | None) -> None:
    all_right = not version.questions or (assignment.best_score or 0.0) >= 1.0
    if assignment.completed_at is None and assignment.acknowledged_at and all_right:
        assignment.completed_at = now or utcnow()


# ------------------------------------------------------------------------------- reminders
def due_reminders(session: Session, today: date | None = None, *, days: int) -> list[Notification]:
    """An in-app reminder for each open assignment due within ``days`` (the
    ``coaching_reminder_days`` setting) or already overdue, sent once per assignment."""
    today = today or _today()
    rows = session.exec(
        select(Assignment, ModuleVersion.title)
        .join(ModuleVersion, col(ModuleVersion.id) == col(Assignment.version_id))
        .where(
            col(Assignment.completed_at).is_(None),
            col(Assignment.reminded_at).is_(None),
            col(Assignment.due_on) <= today + timedelta(days=days),
        )
        .order_by(col(Assignment.id))
    ).all()
    sent = []
    for assignment, title in rows:
        when = assignment.due_on.strftime("%d %b %Y")
        message = (
            f"Coaching overdue: “{title}” was due on {when}."
            if assignment.due_on < today
            else f"Coaching reminder: “{title}” is due on {when}."
        )
        note = Notification(
            user_id=assignment.user_id,
            link=f"/coaching/assignments/{assignment.id}",
            message=message[:500],
        )
        session.add(note)
        assignment.reminded_at = utcnow()
        sent.append(note)
    session.flush()
    return sent
