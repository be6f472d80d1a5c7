"""A team's page data: the team and its people."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from api import accounts
from foundation.accounts import Team, User


@dataclass(frozen=True)
class TeamPage:
    team: Team
    members: list[User]


def team_page(session: Session, team_id: int) -> TeamPage:
    """The team (NotFound if there is none) and its members."""
    team = accounts.get_team(session, team_id)
    return TeamPage(team=team, members=accounts.list_users(session, team_id=team_id))
