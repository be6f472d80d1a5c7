"""The admin pages' data: the user and team lists, and their forms (with the choices of their
selects, what was typed and why it was refused, and a user's API tokens)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from api import accounts
from api.models import ApiToken
from api.pages.forms import Errors, Values
from foundation.accounts import Role, Team, User
from foundation.clock import utcnow


# ---------------------------------------------------------------------------------- the lists
@dataclass(frozen=True)
class UsersPage:
    users: list[User]
    teams: Mapping[int, Team]  # by id


def users_page(session: Session) -> UsersPage:
    teams = {t.id: t for t in accounts.list_teams(session) if t.id is not None}
    return UsersPage(users=accounts.list_users(session), teams=teams)


@dataclass(frozen=True)
class TeamsPage:
    teams: list[Team]
    users: Mapping[int, User]  # by id (each team's leader)
    sizes: Mapping[int, int]  # active members by team id


def teams_page(session: Session) -> TeamsPage:
    users = {u.id: u for u in accounts.list_users(session) if u.id is not None}
    return TeamsPage(
        teams=accounts.list_teams(session), users=users, sizes=accounts.team_sizes(session)
    )


# ---------------------------------------------------------------------------------- the forms
@dataclass(frozen=True)
class Choices:
    """What the user and team forms choose from: (value, label) pairs for their selects."""

    role_options: list[tuple[str, str]]
    team_options: list[tuple[int | None, str]]
    leader_options: list[tuple[int | None, str]]


@dataclass(frozen=True)
class TeamForm(Choices):
    values: Values
    errors: Errors = field(default_factory=dict)
    edited: Team | None = None  # None: a new team


@dataclass(frozen=True)
class UserForm(Choices):
    """The new-user form, or a user's with their API tokens (each with a revoke button)."""

    values: Values
    errors: Errors = field(default_factory=dict)
    edited: User | None = None  # None: a new user
    tokens: list[ApiToken] = field(default_factory=list)
    now: datetime | None = None  # to tell expired tokens
    revoke_base: str = ""  # the address a token's id and "/revoke" are added to


def _choices(session: Session) -> Choices:
    leaders = [u for u in accounts.list_users(session) if u.role == Role.team_lead and u.is_active]
    return Choices(
        role_options=[(r.value, r.label) for r in Role],
        team_options=[(t.id, t.name) for t in accounts.list_teams(session)],
        leader_options=[(u.id, u.display_name) for u in leaders],
    )


def new_user_form(
    session: Session, values: Values | None = None, errors: Errors | None = None
) -> UserForm:
    """A blank form (a staff member by default), or the refused one again."""
    return UserForm(
        **vars(_choices(session)),
        values=values if values is not None else {"role": "staff"},
        errors=errors or {},
    )


def user_form(
    session: Session, user: User, values: Values | None = None, errors: Errors | None = None
) -> UserForm:
    """``user``'s form: as stored, or as refused; with their API tokens."""
    return UserForm(
        **vars(_choices(session)),
        values=values if values is not None else user.model_dump(exclude={"password_hash"}),
        errors=errors or {},
        edited=user,
        tokens=accounts.tokens_of(session, user.id),
        now=utcnow(),
        revoke_base=f"/admin/users/{user.id}/tokens",
    )


def team_form(
    session: Session,
    team: Team | None = None,
    values: Values | None = None,
    errors: Errors | None = None,
) -> TeamForm:
    """A new team's form, or ``team``'s: as stored, or as refused."""
    stored = team.model_dump() if team is not None else {}
    return TeamForm(
        **vars(_choices(session)),
        values=values if values is not None else stored,
        errors=errors or {},
        edited=team,
    )
