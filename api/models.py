"""Tables the web layer owns: login sessions, personal API tokens and login attempts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlmodel import Field, SQLModel

from foundation.clock import as_utc, utcnow
from foundation.text import line_input


class UserSession(SQLModel, table=True):
    """A signed-in browser. Only the SHA-256 of the cookie value is stored, so a leaked
    database does not hand out live sessions."""

    __tablename__ = "user_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime


class TokenScope(StrEnum):
    """What a personal API token may do. ``read``: safe methods (GET, HEAD); ``write``: the rest.

    Stored space-separated in one text column, OAuth 2's ``scope`` syntax (RFC 6749, 3.3): the
    same on SQLite and PostgreSQL, readable in the database, and open to the names later
    integrations add, with no schema change."""

    read = "read"
    write = "write"


ALL_SCOPES = (TokenScope.read, TokenScope.write)


def _scope_list(value: object) -> object:
    return value.split() if isinstance(value, str) else value


class ApiTokenBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)

    _clean_name = field_validator("name", mode="before")(line_input)


class ApiTokenCreate(ApiTokenBase):
    # Least privilege unless asked: a new token reads only.
    scopes: list[TokenScope] = Field(default=[TokenScope.read], min_length=1, max_length=10)

    @field_validator("scopes")
    @classmethod
    def _unique(cls, value: list[TokenScope]) -> list[TokenScope]:
        return [s for s in ALL_SCOPES if s in value]


class ApiToken(ApiTokenBase, table=True):
    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    # The first characters, shown so people can tell their tokens apart.
    prefix: str = Field(max_length=16)
    scopes: str = Field(max_length=200)  # space-separated TokenScope values
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes.split()

    def usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < as_utc(self.expires_at)


class ApiTokenPublic(ApiTokenBase):
    id: int
    user_id: int
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    _split = field_validator("scopes", mode="before")(_scope_list)


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts, counted per account and per address to throttle guessing. Recorded
    before the password is checked, and cleared for the account when one succeeds. Both are
    keyed hashes (``api.security.throttle_key``): no email or IP address is stored."""

    __tablename__ = "login_attempt"

    id: int | None = Field(default=None, primary_key=True)
    account: str = Field(max_length=64, index=True)
    ip: str = Field(max_length=64, index=True)
    at: datetime = Field(default_factory=utcnow, index=True)
