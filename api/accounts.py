"""Managing users and teams (admin work). Functions flush; the request commits."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from api.models import ApiToken
from api.security import end_all_sessions, hash_password, revoke_user_tokens
from coaching.interactions.models import Agent
from foundation.accounts import Role, Team, TeamCreate, TeamUpdate, User, UserCreate, UserUpdate
from foundation.clock import utcnow
from foundation.errors import Conflict, Invalid, NotFound
from foundation.i18n import N_
from foundation.ids import pk


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(N_("No such user."))
    return user


def get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(N_("No such team."))
    return team


def list_users(session: Session, *, team_id: int | None = None) -> list[User]:
    query = select(User).order_by(col(User.display_name))
    if team_id is not None:
        query = query.where(User.team_id == team_id)
    return list(session.exec(query))


def list_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(col(Team.name))))


def team_sizes(session: Session) -> dict[int, int]:
    rows = session.exec(
        select(User.team_id, func.count()).where(col(User.is_active)).group_by(col(User.team_id))
    )
    return {team_id: count for team_id, count in rows if team_id is not None}


def _check_refs(session: Session, team_id: int | None) -> None:
    if team_id is not None and session.get(Team, team_id) is None:
        raise Invalid(N_("Choose an existing team."), field="team_id")


def _email_taken(session: Session, email: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(User.email == email)
    if except_id is not None:
        query = query.where(User.id != except_id)
    return session.exec(query).first() is not None


def _check_agent_code(session: Session, code: str | None, except_id: int | None = None) -> None:
    if code is None:
        return
    query = select(User.id).where(User.agent_code == code)
    if except_id is not None:
        query = query.where(User.id != except_id)
    if session.exec(query).first() is not None:
        raise Conflict(N_("Another user already has that agent id."), field="agent_code")


def _link_agent(session: Session, user: User) -> None:
    """Imported interactions of this agent id now belong to this person."""
    if user.agent_code:
        agent = session.exec(select(Agent).where(Agent.code == user.agent_code)).first()
        if agent is not None and agent.user_id != user.id:
            agent.user_id = user.id
            session.add(agent)
            session.flush()


def create_user(session: Session, data: UserCreate) -> User:
    _check_refs(session, data.team_id)
    _check_agent_code(session, data.agent_code)
    if _email_taken(session, data.email):
        raise Conflict(N_("A user with that email already exists."), field="email")
    user = User.model_validate(data, update={"password_hash": hash_password(data.password)})
    session.add(user)
    session.flush()
    _link_agent(session, user)
    return user


def update_user(session: Session, user: User, data: UserUpdate, *, acting: User) -> User:
    _check_refs(session, data.team_id)
    _check_agent_code(session, data.agent_code, except_id=user.id)
    if _email_taken(session, data.email, except_id=user.id):
        raise Conflict(N_("A user with that email already exists."), field="email")
    if user.id == acting.id and (not data.is_active or data.role != Role.admin):
        raise Invalid(
            N_("You cannot disable yourself or remove your own admin role."), field="role"
        )
    was_active, was_role = user.is_active, user.role
    user.sqlmodel_update(data.model_dump(exclude={"password"}))
    if data.password:
        user.password_hash = hash_password(data.password)
    if (was_active and not user.is_active) or data.password:
        # Disabling an account (or resetting its password) signs it out everywhere at once.
        end_all_sessions(session, pk(user))
    if not user.is_active or data.password or user.role != was_role:
        # Tokens die with the trust they were made under: none survives a reset, a disable
        # (so none comes back on re-enable) or a change of role.
        revoke_user_tokens(session, pk(user))
    session.add(user)
    session.flush()
    _link_agent(session, user)
    return user


def _check_leader(session: Session, leader_id: int | None, team_id: int | None) -> None:
    if leader_id is None:
        return
    leader = session.get(User, leader_id)
    if leader is None or leader.role != Role.team_lead:
        raise Invalid(N_("The leader must be a user with the team leader role."), field="leader_id")
    if team_id is not None and leader.team_id not in (None, team_id):
        raise Invalid(N_("That team leader already belongs to another team."), field="leader_id")


def _name_taken(session: Session, name: str, except_id: int | None = None) -> bool:
    query = select(Team.id).where(func.lower(Team.name) == name.lower())
    if except_id is not None:
        query = query.where(Team.id != except_id)
    return session.exec(query).first() is not None


def create_team(session: Session, data: TeamCreate) -> Team:
    if _name_taken(session, data.name):
        raise Conflict(N_("A team with that name already exists."), field="name")
    _check_leader(session, data.leader_id, None)
    team = Team.model_validate(data)
    session.add(team)
    session.flush()
    _attach_leader(session, team)
    return team


def update_team(session: Session, team: Team, data: TeamUpdate) -> Team:
    if _name_taken(session, data.name, except_id=team.id):
        raise Conflict(N_("A team with that name already exists."), field="name")
    _check_leader(session, data.leader_id, team.id)
    team.sqlmodel_update(data.model_dump())
    session.add(team)
    session.flush()
    _attach_leader(session, team)
    return team


def _attach_leader(session: Session, team: Team) -> None:
    """A team's leader works in that team: their team scope is what they may read."""
    if team.leader_id is None:
        return
    leader = session.get(User, team.leader_id)
    if leader is not None and leader.team_id != team.id:
        leader.team_id = team.id
        session.add(leader)
        session.flush()


# --------------------------------------------------------------------------------------- tokens
def tokens_of(session: Session, user_id: int | None) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user_id)
    return list(session.exec(query.order_by(col(ApiToken.created_at).desc(), col(ApiToken.id))))


def get_token(session: Session, token_id: int, *, owner_id: int | None) -> ApiToken:
    """``owner_id``'s token: another person's answers like an unknown id."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != owner_id:
        raise NotFound(N_("No such token."))
    return token


def revoke_token(session: Session, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        session.flush()
    return token
