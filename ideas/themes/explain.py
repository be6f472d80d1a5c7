"""Why an idea is in its theme, for the ideas a theme page shows: how close its stored vector is
to the theme's centroid, and the gap evidence of the theme it is most like.

Similarity is the cosine of the idea's vector to ``Theme.centroid``, shown as a strength:

- *close match*: at least ``CLOSE`` (0.7). Paraphrases of one problem sit here with MiniLM
  (BANKING77 members of one intent are mostly 0.6 to 0.85 from their intent's centroid);
- *good match*: at least ``vectors.JOIN_THRESHOLD`` (0.5), the rule a document joins a theme
  by between runs and when HDBSCAN left it out;
- *loose match*: below that. The density clustering may take such a member, or the centroid
  has moved since it joined (a merge, new members); worth a look when reviewing the theme.

The nearest evidence is the gap snippet (redacted at import) with the highest cosine to the
idea, among the theme's most recent ``EVIDENCE_CAP`` gap members: one query for the shown
ideas' vectors and one for the evidence vectors, so a page costs the same for any theme size.
Chinese and Japanese texts are placed among the English ones loaded (``crosslingual.place``),
as the run places them. An idea without a stored vector (not embedded yet, or for another model)
gets no explanation. Nothing about an idea's author is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from sqlmodel import Session, col, select

from foundation.crosslingual import X_DIMENSIONS, place
from foundation.embeddings import DIMENSIONS, Embedding, from_bytes
from foundation.i18n import N_, gettext
from ideas.themes.documents import Corpus
from ideas.themes.models import DocumentKind, Theme, ThemeMember
from ideas.themes.vectors import JOIN_THRESHOLD, normalise

CLOSE = 0.7
EVIDENCE_CAP = 3000  # the theme's most recent gap members compared with each idea
SNIPPET_CHARS = 160


class Strength(StrEnum):
    close = "close"
    good = "good"
    loose = "loose"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {
            "close": N_("Close match"),
            "good": N_("Good match"),
            "loose": N_("Loose match"),
        }
        return gettext(labels[self.value])


def strength(similarity: float) -> Strength:
    if similarity >= CLOSE:
        return Strength.close
    return Strength.good if similarity >= JOIN_THRESHOLD else Strength.loose


@dataclass(frozen=True)
class Explanation:
    similarity: float  # cosine of the idea to the theme's centroid
    strength: Strength
    nearest_evidence_id: int | None  # the interaction; None when the theme has no evidence
    evidence_similarity: float | None
    snippet: str | None  # the start of that evidence (redacted at import)


@dataclass(frozen=True)
class _Rows:
    """Stored vectors of one query: ids, MiniLM-space vectors, and for the CJK rows (not
    anchors) their multilingual vectors; English rows with one are anchors."""

    ids: list[int]
    vectors: np.ndarray
    xvectors: dict[int, np.ndarray]  # row -> multilingual vector
    anchor: list[bool]


def _rows(session: Session, query: object) -> _Rows:
    ids: list[int] = []
    vectors: list[np.ndarray] = []
    xvectors: dict[int, np.ndarray] = {}
    anchor: list[bool] = []
    for source_id, blob, xblob, is_anchor in session.exec(query):  # type: ignore[call-overload]
        if xblob is not None:
            xvectors[len(ids)] = from_bytes(xblob)
        ids.append(int(source_id))
        vectors.append(from_bytes(blob))
        anchor.append(bool(is_anchor))
    matrix = np.array(vectors, dtype=np.float32) if vectors else np.zeros((0, DIMENSIONS))
    return _Rows(ids, matrix, xvectors, anchor)


def _columns() -> tuple[object, ...]:
    return (Embedding.source_id, Embedding.vector, Embedding.xvector, Embedding.anchor)


def _idea_rows(session: Session, idea_ids: Sequence[int], model: str) -> _Rows:
    query = select(*_columns()).where(  # type: ignore[call-overload]
        Embedding.source == DocumentKind.idea.value,
        Embedding.model == model,
        col(Embedding.source_id).in_(list(idea_ids)),
    )
    return _rows(session, query)


def _evidence_rows(session: Session, theme_id: int, model: str) -> _Rows:
    query = (
        select(*_columns())  # type: ignore[call-overload]
        .join(ThemeMember, col(ThemeMember.source_id) == col(Embedding.source_id))
        .where(
            ThemeMember.theme_id == theme_id,
            ThemeMember.kind == DocumentKind.gap,
            Embedding.source == DocumentKind.gap.value,
            Embedding.model == model,
        )
        .order_by(col(ThemeMember.occurred_at).desc(), col(ThemeMember.source_id).desc())
        .limit(EVIDENCE_CAP)
    )
    return _rows(session, query)


def _place(parts: Sequence[_Rows]) -> list[np.ndarray]:
    """Each part's vectors, CJK rows placed among the English rows of every part."""
    anchor_x = [r.xvectors[i] for r in parts for i in r.xvectors if r.anchor[i]]
    anchor_v = [r.vectors[i] for r in parts for i in r.xvectors if r.anchor[i]]
    placed = []
    for r in parts:
        matrix = r.vectors.copy()
        others = [i for i in r.xvectors if not r.anchor[i]]
        if others:
            xs = np.array([r.xvectors[i] for i in others])
            ax = np.array(anchor_x).reshape(-1, X_DIMENSIONS) if anchor_x else None
            av = np.array(anchor_v) if anchor_v else None
            matrix[others] = place(xs, ax, av)
        placed.append(normalise(matrix))
    return placed


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """The start of a text, cut at a word where there is one, with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:/") + "…"


def explain(
    session: Session, theme: Theme, idea_ids: Sequence[int], corpus: Corpus
) -> dict[int, Explanation]:
    """Idea id -> why it is in ``theme``, for the given (shown) ideas that have a stored vector
    for ``corpus.model``; none when the theme has no centroid of that model's size."""
    if theme.id is None or theme.centroid is None or not idea_ids:
        return {}
    centroid = normalise(from_bytes(theme.centroid))
    ideas = _idea_rows(session, idea_ids, corpus.model)
    if not ideas.ids or ideas.vectors.shape[1] != len(centroid):
        return {}
    evidence = _evidence_rows(session, theme.id, corpus.model)
    idea_vectors, evidence_vectors = _place([ideas, evidence])
    similarity = idea_vectors @ centroid
    nearest: list[int | None] = [None] * len(ideas.ids)
    best: list[float | None] = [None] * len(ideas.ids)
    if evidence.ids:
        sims = idea_vectors @ evidence_vectors.T
        rows = sims.argmax(axis=1)
        nearest = [evidence.ids[j] for j in rows]
        best = [float(sims[i, j]) for i, j in enumerate(rows)]
    found = sorted({i for i in nearest if i is not None})
    snippets: dict[int | None, str] = {
        i: snippet(text) for i, text in corpus.texts(session, DocumentKind.gap, found).items()
    }
    return {
        idea_id: Explanation(
            similarity=float(similarity[i]),
            strength=strength(float(similarity[i])),
            nearest_evidence_id=nearest[i],
            evidence_similarity=best[i],
            snippet=snippets.get(nearest[i]),
        )
        for i, idea_id in enumerate(ideas.ids)
    }
