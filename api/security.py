"""Passwords, login sessions, personal API tokens and login throttling (OWASP ASVS L2)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, col, delete, func, select, update

from api.models import ALL_SCOPES, ApiToken, LoginAttempt, TokenScope, UserSession
from foundation.accounts import User
from foundation.clock import as_utc, utcnow
from foundation.errors import Forbidden, NotAuthenticated, TooManyRequests
from foundation.settings import Settings

SESSION_COOKIE = "vl_session"
TOKEN_PREFIX = "vl_"  # noqa: S105 - a visible prefix, not a secret


# ------------------------------------------------------------------------------------ passwords
@lru_cache
def password_hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


def hash_password(password: str) -> str:
    return password_hasher().hash(password)


@lru_cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def verify_password(password: str, password_hash: str | None) -> bool:
    # Unknown users still cost one verification, so timing does not reveal who has an account.
    return password_hasher().verify(password, password_hash or _dummy_hash())


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# ------------------------------------------------------------------------------------- throttle
def check_throttle(session: Session, settings: Settings, email: str, ip: str) -> None:
    """Refuse before any hash is computed once an account or an IP has failed too often."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    recent = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since)
    per_account = session.exec(recent.where(LoginAttempt.email == email)).one()
    per_ip = session.exec(recent.where(LoginAttempt.ip == ip)).one()
    if (
        per_account >= settings.login_max_failures_per_account
        or per_ip >= settings.login_max_failures_per_ip
    ):
        raise TooManyRequests(
            f"Too many failed sign-ins. Try again in {settings.login_window_minutes} minutes."
        )


def record_failure(session: Session, email: str, ip: str) -> None:
    session.add(LoginAttempt(email=email, ip=ip))
    session.flush()


def authenticate(session: Session, settings: Settings, email: str, password: str, ip: str) -> User:
    email = email.strip().lower()
    check_throttle(session, settings, email, ip)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        record_failure(session, email, ip)
        # One message for every case: no hint whether the account exists or is disabled.
        raise NotAuthenticated("That email and password do not match an active account.")
    session.exec(delete(LoginAttempt).where(col(LoginAttempt.email) == email))
    return user


# ------------------------------------------------------------------------------------- sessions
def start_session(
    session: Session, settings: Settings, user: User, *, ip: str | None, user_agent: str | None
) -> str:
    """Create a new server-side session and return the cookie value (256 random bits)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            id_hash=digest(token),
            user_id=user.id,  # type: ignore[arg-type]
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
            ip=ip,
            user_agent=(user_agent or "")[:255],
        )
    )
    session.flush()
    return token


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.exec(delete(UserSession).where(col(UserSession.id_hash) == digest(token)))


def end_all_sessions(session: Session, user_id: int) -> None:
    session.exec(delete(UserSession).where(col(UserSession.user_id) == user_id))


def lookup_session(
    session: Session, settings: Settings, token: str
) -> tuple[UserSession, User] | None:
    """The live session row for a cookie value and its active user. Reads only: callers that
    run before a request's body is read (the limits middleware) must not write."""
    row = session.get(UserSession, digest(token))
    if row is None:
        return None
    now = utcnow()
    idle_limit = as_utc(row.last_seen_at) + timedelta(minutes=settings.session_idle_minutes)
    if now >= as_utc(row.expires_at) or now >= idle_limit:
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    return row, user


def user_for_session(session: Session, settings: Settings, token: str) -> User | None:
    found = lookup_session(session, settings, token)
    if found is None:
        return None
    row, user = found
    now = utcnow()
    # Touch at most once a minute: enough for the idle timeout, without a write per request.
    if now - as_utc(row.last_seen_at) > timedelta(minutes=1):
        row.last_seen_at = now
    return user


# ----------------------------------------------------------------------------------- API tokens
# A token is a person's delegate with less trust than their browser session: it may only do what
# its scopes allow, it expires, it never manages tokens (api.routes.account), and it dies with
# the account's trust (every token of a user is revoked when their password, role or status
# changes: api.accounts.update_user).
DEFAULT_TOKEN_DAYS: int = Settings.model_fields["api_token_days"].default
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_api_token(
    session: Session,
    user: User,
    name: str,
    *,
    scopes: Iterable[TokenScope] = ALL_SCOPES,
    days: int = DEFAULT_TOKEN_DAYS,
) -> tuple[ApiToken, str]:
    """Return the stored token and the secret, which is shown once and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(
        user_id=user.id,  # type: ignore[arg-type]
        name=name,
        token_hash=digest(secret),
        prefix=secret[:10],
        scopes=" ".join(TokenScope(s).value for s in scopes),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    return token, secret


def lookup_api_token(session: Session, secret: str) -> tuple[ApiToken, User] | None:
    """The usable (not revoked, not expired) token for a bearer secret and its active user.
    Reads only."""
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == digest(secret))).first()
    if token is None or not token.usable(utcnow()):
        return None
    user = session.get(User, token.user_id)
    if user is None or not user.is_active:
        return None
    return token, user


def check_token_use(token: ApiToken, method: str) -> None:
    """Refuse a request its token's scopes do not cover: without ``write``, only reads."""
    needed = TokenScope.read if method.upper() in READ_METHODS else TokenScope.write
    if not token.allows(needed):
        raise Forbidden(
            "This API token may only read. Create a token with the write scope to make changes."
        )


def revoke_user_tokens(session: Session, user_id: int) -> None:
    """Revoke every live token of a user: their account's trust has changed."""
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def user_for_api_token(session: Session, secret: str) -> User | None:
    found = lookup_api_token(session, secret)
    if found is None:
        return None
    token, user = found
    token.last_used_at = utcnow()
    return user
