"""What the clustering sees. A *document* is a visible idea or the gap evidence of one
interaction (``coaching`` supplies those through a ``Corpus``); its vector is stored once per
text and model and read back for every run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np
from sqlalchemy import delete
from sqlmodel import Session, col, select

from foundation.embeddings import DIMENSIONS, Embedder, Embedding, from_bytes, text_hash, to_bytes
from foundation.ids import pk
from ideas.submissions.models import Idea, idea_text
from ideas.themes.models import DocumentKind


class Corpus(Protocol):
    """Where documents come from: ``coaching.interactions.evidence.Corpus`` knows both sources (gap
    evidence lives in the coaching package, which depends on this one)."""

    model: str  # the embedding model whose stored vectors are used

    def texts(self, session: Session, kind: DocumentKind, ids: list[int]) -> dict[int, str]: ...


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    id: int
    text: str
    occurred_at: datetime
    team_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.id}"


def idea_document(idea: Idea) -> Document:
    return Document(DocumentKind.idea, pk(idea), idea_text(idea), idea.created_at)


def idea_documents(session: Session) -> list[Document]:
    """Every visible idea (not hidden, not merged into another)."""
    query = select(Idea).where(
        col(Idea.hidden_reason).is_(None), col(Idea.merged_into_id).is_(None)
    )
    return [idea_document(idea) for idea in session.exec(query.order_by(col(Idea.id)))]


def stale(session: Session, docs: Sequence[Document], model: str) -> list[Document]:
    """The documents with no stored vector for their current text and this model."""
    stored: dict[tuple[str, int], tuple[str, str]] = {}
    for kind in {doc.kind for doc in docs}:
        query = select(Embedding.source_id, Embedding.text_hash, Embedding.model).where(
            Embedding.source == kind.value
        )
        for source_id, digest, row_model in session.exec(query):
            stored[(kind.value, source_id)] = (digest, row_model)
    return [
        doc for doc in docs if stored.get((doc.kind.value, doc.id)) != (text_hash(doc.text), model)
    ]


def store_vectors(
    session: Session, docs: Sequence[Document], vectors: np.ndarray, model: str
) -> None:
    """Replace the stored vectors of these documents (a new row id, so vector indexes see it)."""
    for kind in {doc.kind for doc in docs}:
        ids = [doc.id for doc in docs if doc.kind == kind]
        session.exec(
            delete(Embedding).where(
                col(Embedding.source) == kind.value, col(Embedding.source_id).in_(ids)
            )
        )
    session.add_all(
        Embedding(
            source=doc.kind.value,
            source_id=doc.id,
            model=model,
            text_hash=text_hash(doc.text),
            vector=to_bytes(vector),
            updated_at=doc.occurred_at,
        )
        for doc, vector in zip(docs, vectors, strict=True)
    )
    session.flush()


def load_vectors(session: Session, docs: Sequence[Document], model: str) -> np.ndarray:
    """The stored vectors of ``docs``, in their order; every one must be stored already."""
    position = {(doc.kind.value, doc.id): i for i, doc in enumerate(docs)}
    matrix = np.zeros((len(docs), DIMENSIONS), dtype=np.float32)
    found = 0
    for kind in {doc.kind for doc in docs}:
        query = select(Embedding.source_id, Embedding.vector).where(
            Embedding.source == kind.value, Embedding.model == model
        )
        for source_id, blob in session.exec(query):
            i = position.get((kind.value, source_id))
            if i is not None:
                matrix[i] = from_bytes(blob)
                found += 1
    if found != len(docs):
        raise RuntimeError(f"{len(docs) - found} documents have no stored vector")
    return matrix


def embed_missing(
    session: Session, docs: Sequence[Document], embedder: Embedder, batch_size: int = 256
) -> int:
    """Embed and store what is stale, in one go (small sets: the request path and tests)."""
    todo = stale(session, docs, embedder.model_name)
    for first in range(0, len(todo), batch_size):
        batch = todo[first : first + batch_size]
        store_vectors(session, batch, embedder.encode([d.text for d in batch]), embedder.model_name)
    return len(todo)
