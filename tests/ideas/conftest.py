"""Fixtures for the ideas tests."""

from __future__ import annotations

import pytest

from foundation.embeddings import Embedder, get_embedder
from foundation.settings import get_settings


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The real all-MiniLM-L6-v2 model, loaded once per test session (``get_embedder`` caches
    it for the process, so tests that call it directly share the same instance)."""
    return get_embedder(get_settings())
