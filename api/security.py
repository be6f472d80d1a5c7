"""Passwords, login sessions, personal API tokens and login throttling (OWASP ASVS L2)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, col, delete, func, or_, select, update

from api.models import ALL_SCOPES, ApiToken, LoginAttempt, TokenScope, UserSession
from foundation.accounts import User
from foundation.clock import as_utc, utcnow
from foundation.db import unit_of_work
from foundation.errors import Forbidden, NotAuthenticated, TooManyRequests
from foundation.i18n import N_
from foundation.ids import pk
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
# Sign-in throttling is atomic without locks: every attempt is recorded and committed *before*
# the count that decides it, so of n parallel attempts the k-th to commit sees at least k rows,
# and no more than the limit ever reach the password check. Accounts and addresses are kept as
# keyed hashes: the table holds no email and no IP address.
def throttle_key(settings: Settings, kind: str, value: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Attempt:
    account: str
    ip: str


def record_attempt(session: Session, settings: Settings, email: str, ip: str) -> Attempt:
    attempt = Attempt(throttle_key(settings, "account", email), throttle_key(settings, "ip", ip))
    session.add(LoginAttempt(account=attempt.account, ip=attempt.ip))
    session.flush()
    return attempt


def check_throttle(session: Session, settings: Settings, attempt: Attempt) -> None:
    """Refuse, before any hash is computed, an attempt beyond an account's or an address's
    limit. Counts the attempt itself, so it must already be committed."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    recent = select(func.count()).select_from(LoginAttempt).where(LoginAttempt.at >= since)
    per_account = session.exec(recent.where(LoginAttempt.account == attempt.account)).one()
    per_ip = session.exec(recent.where(LoginAttempt.ip == attempt.ip)).one()
    if (
        per_account > settings.login_max_failures_per_account
        or per_ip > settings.login_max_failures_per_ip
    ):
        raise TooManyRequests(
            N_("Too many failed sign-ins. Try again in %(minutes)s minutes."),
            params={"minutes": settings.login_window_minutes},
        )


def sign_in(
    factory: Callable[[], Session],
    settings: Settings,
    email: str,
    password: str,
    ip: str,
    *,
    replacing: str | None = None,
) -> str:
    """Check a sign-in and start its session; returns the new session's cookie value.

    Three short transactions, so the write lock is never held while a password is hashed: record
    the attempt; count and read (then verify, outside any transaction); on success clear the
    account's attempts and start a new session, ending the one being ``replacing`` (rotation).
    A failed attempt simply stays recorded."""
    email = email.strip().lower()
    with unit_of_work(factory, write=True) as session:
        attempt = record_attempt(session, settings, email, ip)
    with unit_of_work(factory, write=False) as session:
        check_throttle(session, settings, attempt)
        user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(password, user.password_hash if user else None)
    if not ok or user is None or not user.is_active:
        # One message for every case: no hint whether the account exists or is disabled.
        raise NotAuthenticated(N_("That email and password do not match an active account."))
    with unit_of_work(factory, write=True) as session:
        session.exec(delete(LoginAttempt).where(col(LoginAttempt.account) == attempt.account))
        end_session(session, replacing)
        return start_session(session, settings, user)


# ------------------------------------------------------------------------------------- sessions
# A session's last activity is kept to the minute: enough for the idle timeout, and too coarse
# to join a person to one request of the access log (README, security notes).
def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def start_session(session: Session, settings: Settings, user: User) -> str:
    """Create a new server-side session and return the cookie value (256 random bits)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        UserSession(
            id_hash=digest(token),
            user_id=pk(user),
            created_at=_minute(now),
            last_seen_at=_minute(now),
            expires_at=now + timedelta(hours=settings.session_absolute_hours),
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
    """The live session row for a cookie value and its active user, in one query (every request
    asks). Reads only: callers that run before a request's body is read (the limits
    middleware) must not write."""
    found = session.exec(
        select(UserSession, User)
        .join(User, col(User.id) == UserSession.user_id)
        .where(UserSession.id_hash == digest(token))
    ).first()
    if found is None:
        return None
    row, user = found
    now = utcnow()
    idle_limit = as_utc(row.last_seen_at) + timedelta(minutes=settings.session_idle_minutes)
    if now >= as_utc(row.expires_at) or now >= idle_limit or not user.is_active:
        return None
    return row, user


def touch_due(row: UserSession) -> datetime | None:
    """The minute to record as the session's last activity, or None when it already is."""
    minute = _minute(utcnow())
    return minute if as_utc(row.last_seen_at) < minute else None


def touch_session(id_hash: str, minute: datetime, session: Session) -> None:
    session.exec(
        update(UserSession)
        .where(col(UserSession.id_hash) == id_hash, col(UserSession.last_seen_at) < minute)
        .values(last_seen_at=minute)
    )


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
        user_id=pk(user),
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
    found = session.exec(
        select(ApiToken, User)
        .join(User, col(User.id) == ApiToken.user_id)
        .where(ApiToken.token_hash == digest(secret))
    ).first()
    if found is None:
        return None
    token, user = found
    if not token.usable(utcnow()) or not user.is_active:
        return None
    return token, user


def check_token_use(token: ApiToken, method: str) -> None:
    """Refuse a request its token's scopes do not cover: without ``write``, only reads."""
    needed = TokenScope.read if method.upper() in READ_METHODS else TokenScope.write
    if not token.allows(needed):
        raise Forbidden(
            N_("This API token may only read. Create a token with the write scope to make changes.")
        )


def revoke_user_tokens(session: Session, user_id: int) -> None:
    """Revoke every live token of a user: their account's trust has changed."""
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.user_id) == user_id, col(ApiToken.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )


def token_touch_due(token: ApiToken) -> datetime | None:
    """The day to record as the token's last use (kept to the day), or None when it already is."""
    day = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    return day if token.last_used_at is None or as_utc(token.last_used_at) < day else None


def touch_api_token(token_id: int | None, day: datetime, session: Session) -> None:
    session.exec(
        update(ApiToken)
        .where(col(ApiToken.id) == token_id)
        .where(or_(col(ApiToken.last_used_at).is_(None), col(ApiToken.last_used_at) < day))
        .values(last_used_at=day)
    )
