"""What the clustering sees. A *document* is a visible idea or the gap evidence of one
interaction (``coaching`` supplies those through a ``Corpus``), with the language it is written
in; its vector is stored once per text and model and read back for every run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np
from sqlalchemy import delete, insert
from sqlalchemy import select as sql_select
from sqlmodel import Session, col, select

from foundation.crosslingual import X_DIMENSIONS, Encoded, place
from foundation.embeddings import DIMENSIONS, Embedder, Embedding, from_bytes, text_hash, to_bytes
from foundation.ids import pk
from ideas.submissions.models import Idea, idea_text
from ideas.themes.models import DocumentKind

MAX_ANCHORS = 50_000  # English documents a theme run places CJK ones among
ID_CHUNK = 1_000  # ids per IN (...) list


class Corpus(Protocol):
    """Where documents come from: ``coaching.interactions.evidence.Corpus`` knows both sources (gap
    evidence lives in the coaching package, which depends on this one)."""

    model: str  # the embedding model whose stored vectors are used

    def texts(self, session: Session, kind: DocumentKind, ids: list[int]) -> dict[int, str]: ...

    def languages(
        self, session: Session, kind: DocumentKind, ids: list[int]
    ) -> dict[int, str | None]:
        """The stored language of each (``None`` for rows from before languages were stored:
        ``document_language`` detects those)."""
        ...


@dataclass(frozen=True)
class Document:
    kind: DocumentKind
    id: int
    text: str
    occurred_at: datetime
    team_id: int | None = None
    language: str = "en"  # "en", "zh", "ja", or "und" when it could not be told
    agent_id: int | None = None  # who handled the interaction (gap evidence; None: not known)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.id}"


def document_language(stored: str | None, text: str) -> str:
    """The language stored with the idea or interaction, or, for rows written before
    languages were stored, the one detected from the text."""
    if stored:
        return stored
    from foundation.language import detect_language

    return detect_language(text)


def idea_document(idea: Idea) -> Document:
    text = idea_text(idea)
    language = document_language(idea.language, text)
    return Document(DocumentKind.idea, pk(idea), text, idea.created_at, language=language)


def idea_documents(session: Session) -> list[Document]:
    """Every visible idea (not hidden, not merged into another). Only the columns a document
    needs are read: a full run reads every idea, and whole rows cost ten times as much."""
    columns = (Idea.id, Idea.title, Idea.body, Idea.created_at, Idea.language)
    query = sql_select(*(col(c) for c in columns)).where(
        col(Idea.hidden_reason).is_(None), col(Idea.merged_into_id).is_(None)
    )
    docs = []
    for idea_id, title, body, created_at, language in session.execute(query.order_by(col(Idea.id))):
        text = f"{title}\n{body}".strip()  # as ``idea_text``
        docs.append(
            Document(
                DocumentKind.idea,
                int(idea_id or 0),
                text,
                created_at,
                language=document_language(language, text),
            )
        )
    return docs


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
    session: Session, docs: Sequence[Document], vectors: np.ndarray | Encoded, model: str
) -> None:
    """Replace the stored vectors of these documents (a new row id, so vector indexes see it);
    given ``Encoded`` texts, their multilingual vectors and anchor flags too."""
    encoded = vectors if isinstance(vectors, Encoded) else None
    if isinstance(vectors, Encoded):
        vectors = vectors.vectors
    for kind in sorted({doc.kind for doc in docs}):
        ids = [doc.id for doc in docs if doc.kind == kind]
        session.exec(
            delete(Embedding).where(
                col(Embedding.source) == kind.value, col(Embedding.source_id).in_(ids)
            )
        )
    if not docs:
        return
    # A bulk INSERT: the theme job stores every document once, and ORM objects cost about as
    # much as embedding the text (bench/theme_job.py).
    session.execute(
        insert(Embedding),
        [
            {
                "source": doc.kind.value,
                "source_id": doc.id,
                "model": model,
                "text_hash": text_hash(doc.text),
                "vector": to_bytes(vector),
                "xvector": _xvector(encoded, i),
                "anchor": True if encoded is None else bool(encoded.anchor[i]),
                "updated_at": doc.occurred_at,
            }
            for i, (doc, vector) in enumerate(zip(docs, vectors, strict=True))
        ],
    )


def load_vectors(session: Session, docs: Sequence[Document], model: str) -> np.ndarray:
    """The stored vectors of ``docs``, in their order; every one must be stored already.
    Chinese and Japanese documents are placed again among the English ones of this set
    (foundation.crosslingual), so they sit with the English texts that say the same thing; at
    most about ``MAX_ANCHORS`` English documents (every n-th) serve, to bound the memory. The
    multilingual vectors are read only for those documents (at 200,000 documents reading them
    all would read 400 MB)."""
    position = {(doc.kind.value, doc.id): i for i, doc in enumerate(docs)}
    matrix = np.zeros((len(docs), DIMENSIONS), dtype=np.float32)
    found = np.zeros(len(docs), dtype=bool)
    placed: list[int] = []  # rows whose vector is not MiniLM's own (CJK text)
    for kind in sorted({doc.kind for doc in docs}):
        query = select(Embedding.source_id, Embedding.vector, Embedding.anchor).where(
            Embedding.source == kind.value, Embedding.model == model
        )
        for source_id, blob, is_anchor in session.exec(query):
            i = position.get((kind.value, source_id))
            if i is None:
                continue
            matrix[i], found[i] = from_bytes(blob), True
            if not is_anchor:
                placed.append(i)
    if not found.all():
        raise RuntimeError(f"{int((~found).sum())} documents have no stored vector")
    if placed:
        _place_again(session, docs, matrix, placed, model)
    return matrix


def _place_again(
    session: Session, docs: Sequence[Document], matrix: np.ndarray, placed: list[int], model: str
) -> None:
    """Place the CJK rows ``placed`` of ``matrix`` among every n-th English row (in place)."""
    stride = max(1, len(docs) // MAX_ANCHORS)
    cjk = set(placed)
    wanted = sorted(cjk | set(range(0, len(docs), stride)))
    scan = len(wanted) > len(docs) // 2
    xvectors = _xvectors(session, [docs[i] for i in wanted], model, scan=scan)
    others = [i for i in placed if (docs[i].kind, docs[i].id) in xvectors]
    anchors = [
        i
        for i in range(0, len(docs), stride)
        if i not in cjk and (docs[i].kind, docs[i].id) in xvectors
    ]
    if not others:
        return  # stored before multilingual vectors were: left as they are
    anchor_x = np.array([xvectors[(docs[i].kind, docs[i].id)] for i in anchors])
    xs = np.array([xvectors[(docs[i].kind, docs[i].id)] for i in others])
    matrix[others] = place(xs, anchor_x.reshape(-1, X_DIMENSIONS), matrix[anchors])


def _xvectors(
    session: Session, docs: Sequence[Document], model: str, *, scan: bool
) -> dict[tuple[DocumentKind, int], np.ndarray]:
    """The stored multilingual vectors of ``docs`` (those that have one); ``scan`` reads every
    row of the model instead of asking by id."""
    out: dict[tuple[DocumentKind, int], np.ndarray] = {}
    for kind in sorted({doc.kind for doc in docs}):
        ids = [doc.id for doc in docs if doc.kind == kind]
        wanted = set(ids)
        # A few of the rows: by id; most (a small corpus, every row an anchor): one pass.
        chunks = [ids[i : i + ID_CHUNK] for i in range(0, len(ids), ID_CHUNK)]
        for chunk in [None] if scan else chunks:
            query = select(Embedding.source_id, Embedding.xvector).where(
                Embedding.source == kind.value,
                Embedding.model == model,
                col(Embedding.xvector).is_not(None),
            )
            if chunk is not None:
                query = query.where(col(Embedding.source_id).in_(chunk))
            for source_id, blob in session.exec(query):
                if blob is not None and source_id in wanted:
                    out[(kind, source_id)] = from_bytes(blob)
    return out


def _xvector(encoded: Encoded | None, i: int) -> bytes | None:
    if encoded is None or encoded.xvectors is None:
        return None
    return to_bytes(encoded.xvectors[i])


def embed_missing(
    session: Session, docs: Sequence[Document], embedder: Embedder, batch_size: int = 256
) -> int:
    """Embed and store what is stale, in one go (small sets: the request path and tests)."""
    todo = stale(session, docs, embedder.model_name)
    for first in range(0, len(todo), batch_size):
        batch = todo[first : first + batch_size]
        encoded = embedder.encode_for_storage([d.text for d in batch])
        store_vectors(session, batch, encoded, embedder.model_name)
    return len(todo)
