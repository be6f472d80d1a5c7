"""The personal API tokens page: a person's tokens, and the form to create one (with the new
secret, shown once, or why the name was refused)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from api import accounts
from api.models import ApiToken
from foundation.accounts import User
from foundation.clock import utcnow
from foundation.settings import Settings


@dataclass(frozen=True)
class TokensPage:
    tokens: list[ApiToken]
    now: datetime  # which tokens have expired
    token_days: int
    revoke_base: str  # where the table's revoke buttons post
    name: str = ""  # a refused token's name and scope, as typed
    write: bool = False
    error: str | None = None
    secret: str | None = None  # a token just created, shown once


def tokens_page(
    session: Session,
    settings: Settings,
    user: User,
    *,
    name: str = "",
    write: bool = False,
    error: str | None = None,
    secret: str | None = None,
) -> TokensPage:
    return TokensPage(
        tokens=accounts.tokens_of(session, user.id),
        now=utcnow(),
        token_days=settings.api_token_days,
        revoke_base="/account/tokens",
        name=name,
        write=write,
        error=error,
        secret=secret,
    )
