"""Import tests commit for real (a job runs them), so each gets its own migrated database:
a SQLite file, or a fresh PostgreSQL schema."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from foundation.db import make_engine
from foundation.settings import Settings
from tests.support.harness import migrated_database


@pytest.fixture(params=["sqlite", "postgresql"])
def import_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with migrated_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def import_engine(import_db: str) -> Iterator[Engine]:
    engine = make_engine(import_db)
    yield engine
    engine.dispose()


@pytest.fixture
def import_settings(
    import_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    """Settings for the import, also in the environment for code that reads them itself."""
    values = {
        "VOICELOOP_ENVIRONMENT": "test",
        "VOICELOOP_SECRET_KEY": secrets.token_urlsafe(32),
        "VOICELOOP_DATABASE_URL": import_db,
        "VOICELOOP_QUEUE_URL": f"sqlite:///{tmp_path / 'queue.db'}",
        "VOICELOOP_UPLOAD_DIR": str(tmp_path / "uploads"),
        "VOICELOOP_TRANSCRIPT_MAX_CHARS": "2000",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    from foundation.settings import get_settings

    get_settings.cache_clear()
    yield Settings()
    get_settings.cache_clear()
