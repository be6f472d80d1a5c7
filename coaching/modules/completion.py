"""Completion figures of coaching assignments: per team, per agent, across teams and by module,
honouring the minimum group size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from coaching.modules.assignments import _today, is_overdue, team_agents
from coaching.modules.models import Assignment, CoachingModule
from foundation.accounts import Team, User
from foundation.i18n import gettext


# ------------------------------------------------------------------------------ completion
@dataclass
class Tally:
    """Completion of a group of assignments; ``None`` figures are withheld."""

    label: str
    id: int | None = None  # the module's (team_completion) or the team's (across teams)
    agents: int | None = 0
    assigned: int | None = 0
    completed: int | None = 0
    overdue: int | None = 0
    _people: set[int] = field(default_factory=set, repr=False)

    def add(self, assignment: Assignment, today: date) -> None:
        self._people.add(assignment.user_id)
        self.agents = len(self._people)
        self.assigned = (self.assigned or 0) + 1
        self.completed = (self.completed or 0) + (assignment.completed_at is not None)
        self.overdue = (self.overdue or 0) + is_overdue(assignment, today)

    def merge(self, other: Tally) -> None:
        self._people |= other._people
        self.agents = len(self._people)
        self.assigned = (self.assigned or 0) + (other.assigned or 0)
        self.completed = (self.completed or 0) + (other.completed or 0)
        self.overdue = (self.overdue or 0) + (other.overdue or 0)

    def withhold(self) -> Tally:
        self.agents = self.assigned = self.completed = self.overdue = None
        return self

    @property
    def withheld(self) -> bool:
        return self.assigned is None


def _team_rows(session: Session, team_id: int) -> list[tuple[Assignment, str]]:
    """The team's assignments with their module titles, soonest due first."""
    query = (
        select(Assignment, CoachingModule.title)
        .join(CoachingModule, col(CoachingModule.id) == col(Assignment.module_id))
        .where(Assignment.team_id == team_id)
    )
    return list(session.exec(query.order_by(col(Assignment.due_on), col(Assignment.id))))


def team_completion(session: Session, team_id: int, today: date | None = None) -> list[Tally]:
    """Per module, the team's assignments: assigned, completed, overdue (the team leader's
    view of their own team; the label is the module's title)."""
    today = today or _today()
    tallies: dict[int, Tally] = {}
    for assignment, title in sorted(_team_rows(session, team_id), key=lambda r: r[1]):
        tally = tallies.setdefault(assignment.module_id, Tally(title, assignment.module_id))
        tally.add(assignment, today)
    return list(tallies.values())


@dataclass(frozen=True)
class AgentProgress:
    user: User
    items: list[tuple[Assignment, str]]  # (assignment, module title), soonest due first
    overdue: int

    @property
    def completed(self) -> int:
        return sum(a.completed_at is not None for a, _ in self.items)


def team_agent_progress(
    session: Session, team_id: int, today: date | None = None
) -> list[AgentProgress]:
    """Each agent of the team (and anyone assigned while in it) with their assignments."""
    today = today or _today()
    by_user: dict[int, list[tuple[Assignment, str]]] = defaultdict(list)
    for assignment, title in _team_rows(session, team_id):
        by_user[assignment.user_id].append((assignment, title))
    people = {u.id: u for u in team_agents(session, team_id)}
    missing = set(by_user) - set(people)
    if missing:
        people.update(
            (u.id, u) for u in session.exec(select(User).where(col(User.id).in_(missing)))
        )
    return [
        AgentProgress(user, by_user[uid], sum(is_overdue(a, today) for a, _ in by_user[uid]))
        for uid, user in sorted(people.items(), key=lambda p: (p[1].display_name, p[0] or 0))
        if uid is not None
    ]


@dataclass(frozen=True)
class CrossTeam:
    """A module's completion across teams: named teams (each with at least the minimum group
    of assigned agents), the rest summed as "other teams", and the total."""

    teams: list[Tally]
    other: Tally | None
    total: Tally


def completion_across_teams(
    session: Session, module_ids: list[int], min_group_size: int, today: date | None = None
) -> dict[int, CrossTeam]:
    today = today or _today()
    rows = session.exec(
        select(Assignment, Team.name)
        .outerjoin(Team, col(Team.id) == col(Assignment.team_id))
        .where(col(Assignment.module_id).in_(module_ids))
    ).all()
    per_module: dict[int, dict[int | None, Tally]] = {m: {} for m in module_ids}
    for assignment, name in rows:
        teams = per_module[assignment.module_id]
        tally = teams.setdefault(
            assignment.team_id, Tally(name or gettext("No team"), assignment.team_id)
        )
        tally.add(assignment, today)
    return {m: _cross_team(teams, min_group_size) for m, teams in per_module.items()}


def completion_by_module(
    session: Session, module_id: int, min_group_size: int, today: date | None = None
) -> CrossTeam:
    return completion_across_teams(session, [module_id], min_group_size, today)[module_id]


def _cross_team(teams: dict[int | None, Tally], min_group_size: int) -> CrossTeam:
    # Labels in the current locale: completion figures are made for the page being shown.
    total, other = Tally(gettext("All teams")), Tally(gettext("Other teams"))
    shown: list[Tally] = []
    for team_id, tally in teams.items():
        total.merge(tally)
        if team_id is not None and (tally.agents or 0) >= min_group_size:
            shown.append(tally)
        else:
            other.merge(tally)
    # A small "other teams" group is withheld, and so is the total: the named teams subtracted
    # from it would reveal the small group's figures.
    if other.agents and (other.agents or 0) < min_group_size:
        other.withhold()
        total.withhold()
    if total.agents and (total.agents or 0) < min_group_size:
        total.withhold()
    shown.sort(key=lambda t: t.label)
    return CrossTeam(shown, other if other.agents != 0 else None, total)
