"""Fixtures for the job-queue tests: migrated SQLite databases and settings.

``engine`` here overrides the suite-wide fixture of ``tests/conftest.py`` in this folder: the job
tests need real commits (threads and worker processes must see them), so each test gets its own
migrated SQLite file instead of a transaction that is rolled back.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from api.migrate import upgrade
from foundation.db import make_engine
from foundation.settings import Settings

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"
SettingsFactory = Callable[..., Settings]


@pytest.fixture
def make_settings() -> SettingsFactory:
    """``make_settings(queue_url=...)``: test settings with a valid secret and any overrides."""

    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"environment": "test", "secret_key": TEST_SECRET}
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated with Alembic; each test gets a copy (migrating is the slow part)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture
def sqlite_url(migrated_template: Path, tmp_path: Path) -> str:
    path = tmp_path / "app.db"
    shutil.copyfile(migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()
