"""The app under test, shared by the test modules (``tests/conftest.py`` builds its fixtures
from these): test settings, migrated databases on SQLite and PostgreSQL, and signing a test
client in with the CSRF and htmx headers our pages send."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session

from api.csrf import CSRF_COOKIE, session_token
from api.migrate import upgrade
from api.security import SESSION_COOKIE, start_session
from foundation.accounts import User
from foundation.settings import Settings
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
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        **values,  # type: ignore[arg-type]
    )


def bare_settings(**values: Any) -> Settings:
    """Settings from these values and the environment alone (no ``.env`` file). The values are
    validated as the environment's would be (a ``str`` for a ``SecretStr``, a comma list for a
    list), which is what the settings tests check."""
    # _env_file is pydantic-settings' own argument, absent from the __init__ mypy synthesises.
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


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
