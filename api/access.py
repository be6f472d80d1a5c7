"""Who may do what: one rule per route, and one helper for object-level checks.

Every route declares an :class:`Access` dependency (through the aliases below). The role-by-route
matrix test walks the app's route table and fails for a route without one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from api.deps import OptionalUser
from foundation.accounts import Role, User, UserPublic
from foundation.errors import Forbidden, NotAuthenticated, NotFound
from foundation.i18n import N_

NOT_YOURS = N_("There is nothing here that you can open. Check the address, or go back home.")
EVERYONE = frozenset(Role)
LEADERS = frozenset({Role.team_lead, Role.cx_lead, Role.admin})
ORG_WIDE = frozenset({Role.cx_lead, Role.admin})


class Access:
    """Dependency that admits signed-in users whose role is in ``roles``."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles) or EVERYONE

    async def __call__(self, user: OptionalUser) -> User:
        if user is None:
            raise NotAuthenticated()
        if user.role not in self.roles:
            raise Forbidden()
        return user

    def __repr__(self) -> str:
        return f"Access({', '.join(sorted(self.roles))})"


class Public:
    """Marks a route open to anyone, signed in or not (login page, health check, assets)."""

    async def __call__(self, user: OptionalUser) -> User | None:
        return user


class NoSession(Public):
    """Open to anyone, and never reads who is signed in: sign-in itself (which runs its own short
    transactions), and the receipt links of anonymous submitters, whose session must be neither
    read nor touched by what they do there."""

    # A FastAPI dependency that reads nothing: it takes none of the parent's arguments.
    async def __call__(self) -> None:  # type: ignore[override]
        return None


CurrentUser = Annotated[User, Depends(Access())]
LeaderUser = Annotated[User, Depends(Access(*LEADERS))]
CxUser = Annotated[User, Depends(Access(Role.cx_lead, Role.admin))]
AdminUser = Annotated[User, Depends(Access(Role.admin))]
MaybeUser = Annotated[User | None, Depends(Public())]
NoUser = Annotated[None, Depends(NoSession())]


def can_see_team(user: User | UserPublic, team_id: int | None) -> bool:
    if user.role in ORG_WIDE:
        return True
    return team_id is not None and user.team_id == team_id and user.role == Role.team_lead


def require_team(user: User, team_id: int | None) -> None:
    """Object check for anything that belongs to a team. Answers 404, like an unknown id, so
    probing ids reveals nothing about other teams."""
    if not can_see_team(user, team_id):
        raise NotFound(NOT_YOURS)


def require_owner_or(user: User, owner_id: int | None, *roles: Role) -> None:
    """Object check for personal things: the owner, or one of ``roles``."""
    if user.id != owner_id and user.role not in roles:
        raise NotFound(NOT_YOURS)
