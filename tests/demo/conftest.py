"""The demo loaded once for the session into a fresh, migrated SQLite file, as ``voiceloop demo``
loads it (users, teams and ideas through the services with the real embedding model, then the
synthetic interactions through the real import job): ``demo_engine``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from api.migrate import upgrade
from demo.loader import SHARED_DATA, load_demo, load_demo_interactions
from foundation.db import make_engine, session_scope
from foundation.embeddings import Embedder, get_embedder
from foundation.settings import get_settings
from tests.support.harness import make_settings


@pytest.fixture(scope="session")
def demo_embedder() -> Embedder:
    """The real model, loaded once per test session (``get_embedder`` caches it per process)."""
    return get_embedder(get_settings())


@pytest.fixture(scope="session")
def demo_engine(
    tmp_path_factory: pytest.TempPathFactory, demo_embedder: Embedder
) -> Iterator[Engine]:
    tmp: Path = tmp_path_factory.mktemp("demo")
    url = "sqlite:///" + str(tmp / "demo.db")
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        load_demo(session, demo_embedder)
    if not (SHARED_DATA / "banking77" / "train.csv").is_file():
        pytest.fail(f"The shared data sets are missing: expected BANKING77 under {SHARED_DATA}.")
    summary = load_demo_interactions(engine, make_settings(tmp, url), SHARED_DATA)
    assert summary and "imported" in summary, summary
    yield engine
    engine.dispose()
