"""Similar ideas: the in-process vector index over stored embeddings, and the look-up behind
similar-idea suggestions (DESIGN.md: numpy over normalised float32; 100k x 384 top-10 in tens of
milliseconds on 2 cores, no ANN index below a measured limit).

The index mirrors the ``embedding`` rows of one source. ``refresh`` reads the ids of the newest
rows (an index seek on ``(source, model, id)``) and fetches vectors only for rows it has not seen,
so keeping it current costs well under a millisecond per search; a re-embedded text supersedes
its old row. It also keeps the rows' multilingual vectors (allocated when the first arrives), so a
Chinese or Japanese text is placed among the English ideas before it is searched for
(``foundation.crosslingual``): a translation finds its original. Visibility (hidden, merged) is
checked by the caller against the database, so the index never serves what should not be shown.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from sqlmodel import Session, col, select

from foundation.crosslingual import X_DIMENSIONS, get_encoder, is_cjk, place
from foundation.embeddings import DIMENSIONS, Embedder, Embedding, from_bytes
from ideas.submissions.models import Idea

REREAD_WINDOW = 256
SOURCE = "idea"

MIN_SIMILARITY = 0.3


class VectorIndex:
    def __init__(self, source: str, model: str) -> None:
        self.source = source
        self.model = model
        self._matrix = np.zeros((1024, DIMENSIONS), dtype=np.float32)
        self._ids = np.zeros(1024, dtype=np.int64)
        self._x: np.ndarray | None = None  # multilingual vectors, row for row (zero if none)
        self._anchor = np.zeros(1024, dtype=bool)  # rows whose x is an English anchor
        self._size = 0
        self._position: dict[int, int] = {}
        self._last_row = 0
        self._rows: set[int] = set()  # embedding row ids already loaded
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._position)

    def refresh(self, session: Session) -> int:
        """Load the rows this index has not seen yet; returns how many.

        Ids are read for a window behind the newest row seen, because on PostgreSQL a
        transaction holding a lower id can commit after a higher one was read; only the vectors
        of unseen rows are fetched."""
        where = (
            Embedding.source == self.source,
            Embedding.model == self.model,
            col(Embedding.id) > self._last_row - REREAD_WINDOW,
        )
        recent = session.exec(select(Embedding.id).where(*where)).all()
        unseen = [row_id for row_id in recent if row_id is not None and row_id not in self._rows]
        if not unseen:
            return 0
        # sqlmodel's select() is typed for at most four columns.
        query = select(  # type: ignore[call-overload]
            Embedding.id, Embedding.source_id, Embedding.vector, Embedding.xvector, Embedding.anchor
        ).where(col(Embedding.id).in_(unseen))
        with self._lock:
            for row_id, source_id, blob, xblob, anchor in session.exec(
                query.order_by(col(Embedding.id))
            ):
                xvector = from_bytes(xblob) if xblob is not None else None
                self._put(source_id, from_bytes(blob), xvector, anchor)
                self._rows.add(row_id)
                self._last_row = max(self._last_row, row_id or 0)
        return len(unseen)

    def add(
        self,
        source_id: int,
        vector: np.ndarray,
        xvector: np.ndarray | None = None,
        anchor: bool = True,
    ) -> None:
        with self._lock:
            self._put(source_id, vector, xvector, anchor)

    def _put(
        self, source_id: int, vector: np.ndarray, xvector: np.ndarray | None, anchor: bool
    ) -> None:
        row = self._position.get(source_id)
        if row is None:  # otherwise a re-embedded text: replaced in place
            if self._size == len(self._ids):
                self._grow()
            row = self._size
            self._ids[row] = source_id
            self._position[source_id] = row
            self._size += 1
        self._matrix[row] = vector
        if xvector is not None and self._x is None:
            self._x = np.zeros((len(self._ids), X_DIMENSIONS), dtype=np.float32)
        if self._x is not None:
            self._x[row] = 0.0 if xvector is None else xvector
        self._anchor[row] = anchor and xvector is not None

    def _grow(self) -> None:
        capacity = 2 * len(self._ids)
        self._matrix = _grown(self._matrix, self._size, capacity)
        self._ids = _grown(self._ids, self._size, capacity)
        self._anchor = _grown(self._anchor, self._size, capacity)
        if self._x is not None:
            self._x = _grown(self._x, self._size, capacity)

    def place(self, xvectors: np.ndarray) -> np.ndarray:
        """Vectors for Chinese or Japanese texts, placed among this index's English rows."""
        with self._lock:
            n, x, matrix, anchor = self._size, self._x, self._matrix, self._anchor
        if x is None:
            return place(xvectors)
        return place(xvectors, x[:n], matrix[:n], anchor[:n])

    def query_vector(self, embedder: Embedder, text: str) -> np.ndarray:
        """The vector to search with for ``text``: CJK text placed among the English rows."""
        if is_cjk(text):
            vectors = self.place(get_encoder().encode([text]))
        else:
            vectors = embedder.encode([text])
        vector: np.ndarray = vectors[0]
        return vector

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The ``k`` best (source_id, cosine) pairs, best first."""
        with self._lock:  # a consistent snapshot; the product itself runs outside the lock
            n, matrix, ids = self._size, self._matrix, self._ids
        if n == 0:
            return []
        scores = matrix[:n] @ query
        k = min(k, n)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(ids[i]), float(scores[i])) for i in top]


def _grown(array: np.ndarray, size: int, capacity: int) -> np.ndarray:
    grown = np.zeros((capacity, *array.shape[1:]), dtype=array.dtype)
    grown[:size] = array[:size]
    return grown


@dataclass(frozen=True)
class Match:
    idea: Idea
    score: float


def similar_ideas(
    session: Session,
    index: VectorIndex,
    embedder: Embedder,
    text: str,
    *,
    k: int = 5,
    exclude: int | None = None,
) -> list[Match]:
    """The ``k`` visible ideas most similar to ``text`` (cosine >= MIN_SIMILARITY)."""
    text = text.strip()
    if len(text) < 3:
        return []
    index.refresh(session)
    query = index.query_vector(embedder, text)
    return _visible_matches(session, index.search(query, k * 4), k, exclude)


def _visible_matches(
    session: Session, hits: list[tuple[int, float]], k: int, exclude: int | None
) -> list[Match]:
    hits = [(i, s) for i, s in hits if s >= MIN_SIMILARITY and i != exclude]
    if not hits:
        return []
    ideas = {
        idea.id: idea
        for idea in session.exec(select(Idea).where(col(Idea.id).in_([i for i, _ in hits])))
        if idea.visible
    }
    return [Match(ideas[i], s) for i, s in hits if i in ideas][:k]
