"""What the benchmarks that serve the real app share: a migrated SQLite database in a temporary
folder with its settings, a user with a signed-in session, the server-side timer, and p50 / p95.
Imported by the scripts beside it as ``bench.common``: each puts the repository root first on
``sys.path``, so ``bench`` is a namespace package there as it is to mypy."""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from typing import Any

import numpy as np
from pydantic import SecretStr
from sqlalchemy import Engine
from sqlmodel import Session

from api.migrate import upgrade
from api.security import start_session
from foundation.accounts import Role, User
from foundation.db import make_engine
from foundation.settings import Settings


def ms(values: Sequence[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds of durations in seconds."""
    p50, p95 = np.percentile(np.asarray(values) * 1000, [50, 95])
    return float(p50), float(p95)


def app_database(folder: str) -> tuple[Engine, Settings]:
    """A migrated SQLite database (and queue) in ``folder``, and test settings pointing at it."""
    url = f"sqlite:///{folder}/bench.db"
    upgrade(url)
    settings = Settings(
        environment="test",
        database_url=url,
        queue_url=f"sqlite:///{folder}/queue.db",
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        pii_key=SecretStr(secrets.token_urlsafe(32)),
    )
    return make_engine(url), settings


def signed_in_user(engine: Engine, settings: Settings, email: str, role: Role) -> tuple[int, str]:
    """A new user with a session: (user id, session token)."""
    with Session(engine, expire_on_commit=False) as session:
        user = User(email=email, display_name=email.split("@")[0], role=role, password_hash="x")
        session.add(user)
        session.flush()
        token = start_session(session, settings, user)
        session.commit()
        return user.id, token  # type: ignore[return-value]


class ServerTimer:
    """ASGI wrapper: records how long the app spends on each request to the timed paths, from
    the request entering the app to the last byte of the response leaving it."""

    def __init__(self, app: Any, paths: tuple[str, ...]) -> None:
        self.app = app
        self.times: dict[str, list[float]] = {p: [] for p in paths}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path") if scope["type"] == "http" else None
        started = time.perf_counter()
        await self.app(scope, receive, send)
        if path in self.times:
            self.times[path].append(time.perf_counter() - started)
