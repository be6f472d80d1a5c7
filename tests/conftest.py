"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, each test inside a
transaction that is rolled back, against the real app and the real migrations."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, text
from sqlmodel import Session

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Outside development the PII key must be set (foundation/settings.py); workers started by tests
# inherit it.
os.environ.setdefault("VOICELOOP_PII_KEY", "test-only-pii-key-" + "0123456789abcdef" * 2)

from api.app import create_app
from api.csrf import CSRF_COOKIE, session_token
from api.migrate import upgrade
from api.security import SESSION_COOKIE, hash_password, start_session
from foundation.accounts import Role, Team, User
from foundation.db import make_engine
from foundation.settings import Settings
from jobs.queue import Queue
from tests.support.services import postgres_url

PASSWORD = "correct horse battery staple"
BACKENDS = ["sqlite", "postgresql"]


def make_settings(tmp: Path, database_url: str, **overrides: object) -> Settings:
    # Dashboards recompute their figures on every view here (tests change data between views);
    # tests/coaching/interactions/test_gaps_pages.py checks the minute-long cache itself.
    values: dict[str, object] = {"figures_cache_seconds": 0, **overrides}
    return Settings(
        environment="test",
        database_url=database_url,
        queue_url=f"sqlite:///{tmp / 'queue.db'}",
        secret_key=secrets.token_urlsafe(32),
        **values,  # type: ignore[arg-type]
    )


def fresh_postgres_schema() -> tuple[str, Engine, str]:
    """A new schema in the test database; returns (url using it, admin engine, schema)."""
    base = postgres_url()
    schema = "vl_" + secrets.token_hex(6)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}", admin, schema


def drop_postgres_schema(admin: Engine, schema: str) -> None:
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@contextmanager
def migrated_database(backend: str, folder: Path) -> Iterator[str]:
    """A database migrated to head: a SQLite file in ``folder``, or a fresh PostgreSQL schema
    (dropped afterwards). PostgreSQL must answer: its tests fail, never skip, without it."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'test.db'}"
        upgrade(url)
        yield url
        return
    url, admin, schema = fresh_postgres_schema()
    try:
        upgrade(url)
        yield url
    finally:
        drop_postgres_schema(admin, schema)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One migrated database per backend for the whole session."""
    with migrated_database(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


def _session(connection: Connection) -> Session:
    # The app's commits become savepoint releases; the outer transaction is rolled back.
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    with _session(connection) as session:
        yield session


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url)


@pytest.fixture
def app(settings: Settings, connection: Connection):  # type: ignore[no-untyped-def]
    return create_app(settings, session_factory=lambda: _session(connection), queue=Queue(settings))


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, base_url="http://testserver") as client:
        yield client


# ------------------------------------------------------------------------------------ factories
@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


class Factory:
    def __init__(self, db: Session, password_hash: str) -> None:
        self.db = db
        self.password_hash = password_hash
        self.count = 0

    def team(self, name: str | None = None) -> Team:
        self.count += 1
        team = Team(name=name or f"Team {self.count}", department="Retail banking")
        self.db.add(team)
        self.db.flush()
        return team

    def user(self, role: Role = Role.staff, team: Team | None = None, **fields: object) -> User:
        self.count += 1
        user = User(
            email=f"user{self.count}-{secrets.token_hex(3)}@bank.test",
            display_name=f"User {self.count}",
            role=role,
            team_id=team.id if team else None,
            password_hash=self.password_hash,
            **fields,  # type: ignore[arg-type]
        )
        self.db.add(user)
        self.db.flush()
        return user


@pytest.fixture
def make(db: Session, password_hash: str) -> Factory:
    return Factory(db, password_hash)


def csrf_token(client: TestClient) -> str:
    """The token our pages give ``client`` now: its session's once signed in (the same value the
    templates get), else the signed-out double-submit cookie's."""
    if session := client.cookies.get(SESSION_COOKIE):
        settings: Settings = client.app.state.settings  # type: ignore[attr-defined]
        return session_token(settings.secret_key.get_secret_value(), session)
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    return client.cookies[CSRF_COOKIE]


def sign_in(client: TestClient, db: Session, settings: Settings, user: User) -> str:
    """Give ``client`` a real server-side session for ``user`` without spending a hash."""
    token = start_session(db, settings, user)
    db.commit()
    use_session(client, token)
    return token


def use_session(client: TestClient, token: str) -> None:
    client.cookies.delete(SESSION_COOKIE)
    client.cookies.set(SESSION_COOKIE, token, domain="testserver.local")


def hx(client: TestClient, **extra: str) -> dict[str, str]:
    """Headers an htmx request from our pages carries."""
    return {"X-CSRFToken": csrf_token(client), "HX-Request": "true", **extra}
