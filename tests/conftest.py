"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, each test inside a
transaction that is rolled back, against the real app and the real migrations."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine
from sqlmodel import Session

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# Outside development the PII key must be set (foundation/settings.py); workers started by tests
# inherit it.
os.environ.setdefault("VOICELOOP_PII_KEY", "test-only-pii-key-" + "0123456789abcdef" * 2)

from api.app import create_app
from api.security import hash_password
from foundation.accounts import Role, Team, User
from foundation.db import make_engine
from foundation.settings import Settings
from jobs.queue import Queue
from tests.support.harness import BACKENDS, PASSWORD, make_settings, migrated_database


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
def app(settings: Settings, connection: Connection):
    return create_app(settings, session_factory=lambda: _session(connection), queue=Queue(settings))


@pytest.fixture
def client(app) -> Iterator[TestClient]:
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
