"""Fixtures for the job-queue tests: migrated SQLite databases and settings."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

REPO_ROOT = Path(__file__).resolve().parents[2]
# ``tests.support`` must be importable; pytest's default import mode only adds this folder.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from api.migrate import upgrade  # noqa: E402
from foundation.db import make_engine  # noqa: E402
from foundation.settings import Settings  # noqa: E402

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def make_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"environment": "test", "secret_key": TEST_SECRET}
    values.update(overrides)
    return Settings(**values)


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
