"""Themes: ideas and gap evidence clustered together, kept stable across runs, reviewed by CX leads.

A *document* is any text the clustering sees: a visible idea, or the gap evidence of one
interaction (``coaching.evidence`` supplies those). A full run (``apply_run``) matches its
clusters one-to-one to the existing themes by member overlap and centroid similarity, so a
theme keeps its id, name, status and history; what CX leads did (rename, merge, split, dismiss)
is applied again on top of every run. Between runs ``join`` puts a new document into the
nearest theme at once.

Functions flush, never commit, and raise ``foundation.errors`` domain errors.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import DIMENSIONS, Embedder, Embedding, from_bytes, text_hash, to_bytes
from foundation.errors import Conflict, Invalid, NotFound
from foundation.text import clean_line
from ideas import clustering
from ideas.models import (
    ActionPlan,
    ActionPlanUpdate,
    DocumentKind,
    Idea,
    Theme,
    ThemeEvent,
    ThemeMember,
    ThemeRun,
    ThemeState,
    ThemeStatus,
    idea_text,
)

# A cluster continues a theme when they share this much membership (Jaccard) or, for a theme
# whose members all moved (merged away, or faded), when their centroids are this close.
MATCH_OVERLAP = 0.2
MATCH_COSINE = 0.85
NAME_MAX = 120
REPRESENTATIVES = 5


class Corpus(Protocol):
    """Where documents come from: ``coaching.evidence.Corpus`` knows both sources (gap
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
    return Document(DocumentKind.idea, idea.id, idea_text(idea), idea.created_at)  # type: ignore[arg-type]


def idea_documents(session: Session) -> list[Document]:
    """Every visible idea (not hidden, not merged into another)."""
    query = select(Idea).where(
        col(Idea.hidden_reason).is_(None), col(Idea.merged_into_id).is_(None)
    )
    return [idea_document(idea) for idea in session.exec(query.order_by(col(Idea.id)))]


# -------------------------------------------------------------------------------- embeddings
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


# ---------------------------------------------------------------------------- a full run
@dataclass
class _Target:
    """One theme's members after a run, before they are written."""

    theme: Theme
    members: list[int]  # positions into the run's documents
    rebuilt: bool = False  # members differ from the cluster's, so labels are recomputed


def _live_themes(session: Session) -> list[Theme]:
    states = (ThemeState.active, ThemeState.faded, ThemeState.merged)
    return list(
        session.exec(select(Theme).where(col(Theme.state).in_(states)).order_by(col(Theme.id)))
    )


def _previous_members(session: Session) -> dict[str, int]:
    """Document key -> the theme it is in now."""
    query = select(ThemeMember.theme_id, ThemeMember.kind, ThemeMember.source_id)
    return {
        f"{DocumentKind(kind).value}:{source_id}": theme_id
        for theme_id, kind, source_id in session.exec(query)
    }


def _resolve(theme: Theme, by_id: dict[int, Theme]) -> Theme:
    """Follow merges to the theme that absorbed this one."""
    seen = set()
    while theme.state == ThemeState.merged and theme.merged_into_id in by_id:
        if theme.id in seen:
            break
        seen.add(theme.id)
        theme = by_id[theme.merged_into_id]  # type: ignore[index]
    return theme


def _match(
    result: clustering.ClusterResult,
    keys: list[str],
    themes: list[Theme],
    previous: dict[str, int],
) -> dict[int, Theme]:
    """Cluster index -> existing theme, one-to-one, maximising overlap plus centroid cosine."""
    if not themes or not result.clusters:
        return {}
    column = {theme.id: t for t, theme in enumerate(themes)}
    sizes = np.zeros(len(themes))
    for theme_id in previous.values():
        if theme_id in column:
            sizes[column[theme_id]] += 1
    centroids = np.stack(
        [from_bytes(t.centroid) if t.centroid else np.zeros(DIMENSIONS, np.float32) for t in themes]
    )
    score = np.zeros((len(result.clusters), len(themes)))
    for c, cluster in enumerate(result.clusters):
        shared = np.zeros(len(themes))
        for i in cluster.members:
            t = column.get(previous.get(keys[i], -1))
            if t is not None:
                shared[t] += 1
        union = len(cluster.members) + sizes - shared
        overlap = np.where(sizes > 0, shared / np.maximum(union, 1), 0.0)
        cosines = centroids @ cluster.centroid
        eligible = (overlap >= MATCH_OVERLAP) | (cosines >= MATCH_COSINE)
        score[c] = np.where(eligible, overlap + cosines, 0.0)
    rows, cols = linear_sum_assignment(-score)
    return {int(r): themes[int(t)] for r, t in zip(rows, cols, strict=True) if score[r, t] > 0}


def _split_again(
    targets: dict[int, _Target],
    vectors: np.ndarray,
    keys: list[str],
    previous: dict[str, int],
    by_id: dict[int, Theme],
) -> None:
    """A split survives re-runs: when a cluster continues one part of a split theme but also
    holds a sibling part's members, its members are shared out again by nearest part."""
    siblings: dict[int, list[Theme]] = defaultdict(list)
    for theme in by_id.values():
        if theme.split_from_id is not None and theme.state in (ThemeState.active, ThemeState.faded):
            siblings[theme.split_from_id].append(theme)
    for target in list(targets.values()):
        parent = target.theme.split_from_id
        if parent is None or target.theme.id not in targets:
            continue
        came_from = {previous.get(keys[i]) for i in target.members}
        parts = [
            s
            for s in siblings[parent]
            if s.id == target.theme.id or (s.id not in targets and s.id in came_from)
        ]
        if len(parts) < 2:
            continue
        centroids = np.stack([from_bytes(p.centroid) for p in parts if p.centroid])
        if len(centroids) != len(parts):
            continue
        nearest = np.argmax(vectors[target.members] @ centroids.T, axis=1)
        for p, part in enumerate(parts):
            members = [m for m, n in zip(target.members, nearest, strict=True) if n == p]
            if members:
                targets[part.id] = _Target(part, members, rebuilt=True)  # type: ignore[index]


def apply_run(
    session: Session,
    docs: Sequence[Document],
    vectors: np.ndarray,
    result: clustering.ClusterResult,
    *,
    job_id: int | None = None,
    seconds: float = 0.0,
) -> ThemeRun:
    """Write one full clustering: match, keep CX-lead edits, create, fade, and replace members."""
    keys = [doc.key for doc in docs]
    run = ThemeRun(job_id=job_id, documents=len(docs), seconds=round(seconds, 2))
    session.add(run)
    session.flush()
    themes = _live_themes(session)
    by_id = {t.id: t for t in session.exec(select(Theme)) if t.id is not None}
    previous = _previous_members(session)
    matched = _match(result, keys, themes, previous)

    targets: dict[int, _Target] = {}  # theme id -> members
    fresh: list[_Target] = []
    for c, cluster in enumerate(result.clusters):
        members = [int(i) for i in cluster.members]
        theme = matched.get(c)
        if theme is not None:
            theme = _resolve(theme, by_id)
        if theme is None or not theme.live:  # e.g. merged into a theme that was later split
            fresh.append(_Target(_new_theme(cluster, run), members))
            continue
        if theme.id in targets:  # two clusters continue one theme: a merge a CX lead made
            targets[theme.id].members += members  # type: ignore[index]
            targets[theme.id].rebuilt = True  # type: ignore[index]
        else:
            targets[theme.id] = _Target(theme, members, rebuilt=theme is not matched[c])  # type: ignore[index]
            if not targets[theme.id].rebuilt:  # type: ignore[index]
                _take_labels(theme, cluster)
    _split_again(targets, vectors, keys, previous, by_id)

    for target in fresh:
        session.add(target.theme)
    session.flush()
    for target in fresh:
        _event(session, target.theme, "created", "Found by a clustering run.", run=run)
        run.new_themes += 1
    every = list(targets.values()) + fresh
    session.exec(delete(ThemeMember))
    labels = _labels_if_rebuilt(every, docs)
    for target, label in zip(every, labels, strict=True):
        _write_members(session, target, docs, vectors, keys, via="cluster", label=label)
    for theme in themes:
        if theme.state == ThemeState.merged:
            continue
        if theme.id in targets and theme.state == ThemeState.faded:
            theme.state = ThemeState.active
            _event(session, theme, "revived", "Found again by a clustering run.", run=run)
        elif theme.id not in targets and theme.state == ThemeState.active:
            theme.state = ThemeState.faded
            theme.size = theme.idea_count = theme.gap_count = 0
            run.faded_themes += 1
            _event(session, theme, "faded", "Not found by the latest clustering run.", run=run)
    run.themes = len(every)
    run.themed = sum(len(t.members) for t in every)
    session.flush()
    return run


def _new_theme(cluster: clustering.ClusterInfo, run: ThemeRun) -> Theme:
    label = cluster.label[:NAME_MAX] or "Untitled theme"
    return Theme(
        name=label,
        auto_label=label,
        keywords=list(cluster.keywords),
        centroid=to_bytes(cluster.centroid),
        first_run_id=run.id,
    )


def _take_labels(theme: Theme, cluster: clustering.ClusterInfo) -> None:
    theme.auto_label = cluster.label[:NAME_MAX] or theme.auto_label
    theme.keywords = list(cluster.keywords)


def _write_members(
    session: Session,
    target: _Target,
    docs: Sequence[Document],
    vectors: np.ndarray,
    keys: list[str],
    *,
    via: str,
    label: tuple[list[str], str] | None = None,
) -> None:
    """Members, counts, centroid, representatives, and ``label`` (keywords and label) when the
    members were rebuilt."""
    theme, members = target.theme, sorted(target.members, key=lambda i: keys[i])
    centroid = _centroid(vectors[members])
    similarity = vectors[members] @ centroid
    # A bulk INSERT: a full run writes every document once, so ORM objects would dominate.
    session.execute(
        insert(ThemeMember),
        [
            {
                "theme_id": theme.id,
                "kind": docs[i].kind,
                "source_id": docs[i].id,
                "similarity": round(float(s), 4),
                "via": via,
                "occurred_at": docs[i].occurred_at,
                "team_id": docs[i].team_id,
            }
            for i, s in zip(members, similarity, strict=True)
        ],
    )
    theme.centroid = to_bytes(centroid)
    theme.size = len(members)
    theme.idea_count = sum(docs[i].kind == DocumentKind.idea for i in members)
    theme.gap_count = theme.size - theme.idea_count
    order = np.argsort(-similarity, kind="stable")
    theme.representatives = _representatives([docs[members[j]] for j in order])
    if target.rebuilt:
        keywords, text = (
            label or clustering.keywords_and_label([[docs[i].text for i in members]])[0]
        )
        theme.keywords, theme.auto_label = list(keywords), (text[:NAME_MAX] or theme.auto_label)
    theme.updated_at = utcnow()


def _labels_if_rebuilt(
    targets: Sequence[_Target], docs: Sequence[Document]
) -> list[tuple[list[str], str] | None]:
    """c-TF-IDF labels for the themes whose members were rebuilt (a merge or split applied
    again), computed against every theme of the run so their keywords tell them apart."""
    if not any(t.rebuilt for t in targets):
        return [None] * len(targets)
    texts = [[docs[i].text for i in t.members] for t in targets]
    return [
        label if t.rebuilt else None
        for t, label in zip(targets, clustering.keywords_and_label(texts), strict=True)
    ]


def _representatives(ranked: Sequence[Document]) -> list[dict[str, object]]:
    """The most central members of each source, interleaved so both sources show."""
    by_kind: dict[DocumentKind, list[Document]] = defaultdict(list)
    for doc in ranked:
        if len(by_kind[doc.kind]) < REPRESENTATIVES:
            by_kind[doc.kind].append(doc)
    return [{"kind": d.kind.value, "id": d.id} for k in DocumentKind for d in by_kind.get(k, [])]


def _centroid(vectors: np.ndarray) -> np.ndarray:
    mean = vectors.mean(axis=0).astype(np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


def _event(
    session: Session,
    theme: Theme,
    action: str,
    detail: str = "",
    *,
    by: User | None = None,
    run: ThemeRun | None = None,
) -> None:
    session.add(
        ThemeEvent(
            theme_id=theme.id,  # type: ignore[arg-type]
            action=action,
            detail=detail,
            by_id=by.id if by else None,
            run_id=run.id if run else None,
        )
    )


# -------------------------------------------------------------------- between full runs
def join(session: Session, doc: Document, vector: np.ndarray) -> Theme | None:
    """Put a new document into the nearest active theme when it is close enough."""
    return join_many(session, [doc], vector[None, :])[0]


def join_many(
    session: Session, docs: Sequence[Document], vectors: np.ndarray
) -> list[Theme | None]:
    """``join`` for a batch: the themes are read once, and a document already in a theme stays
    where it is (so a retried job changes nothing)."""
    themes = list(
        session.exec(
            select(Theme).where(Theme.state == ThemeState.active, col(Theme.centroid).is_not(None))
        )
    )
    by_id = {t.id: t for t in themes}
    placed: list[Theme | None] = []
    centroids = np.stack([from_bytes(t.centroid) for t in themes]) if themes else None  # type: ignore[arg-type]
    for doc, vector in zip(docs, vectors, strict=True):
        existing = session.exec(
            select(ThemeMember.theme_id).where(
                ThemeMember.kind == doc.kind, ThemeMember.source_id == doc.id
            )
        ).first()
        if existing is not None:
            placed.append(by_id.get(existing) or session.get(Theme, existing))
            continue
        best, similarity = (
            clustering.nearest_theme(centroids, vector) if centroids is not None else (-1, 0.0)
        )
        if best < 0:
            placed.append(None)
            continue
        theme = themes[best]
        session.add(
            ThemeMember(
                theme_id=theme.id,  # type: ignore[arg-type]
                kind=doc.kind,
                source_id=doc.id,
                similarity=round(float(similarity), 4),
                via="nearest",
                occurred_at=doc.occurred_at,
                team_id=doc.team_id,
            )
        )
        theme.size += 1
        if doc.kind == DocumentKind.idea:
            theme.idea_count += 1
        else:
            theme.gap_count += 1
        placed.append(theme)
    session.flush()
    return placed


def leave(session: Session, kind: DocumentKind, source_id: int) -> None:
    """Take a document out of its theme (an idea hidden or merged away)."""
    member = session.exec(
        select(ThemeMember).where(ThemeMember.kind == kind, ThemeMember.source_id == source_id)
    ).first()
    if member is None:
        return
    theme = session.get(Theme, member.theme_id)
    session.delete(member)
    if theme is not None:
        theme.size = max(0, theme.size - 1)
        if kind == DocumentKind.idea:
            theme.idea_count = max(0, theme.idea_count - 1)
        else:
            theme.gap_count = max(0, theme.gap_count - 1)
    session.flush()


# --------------------------------------------------------------------------- lookups
def live_successors(session: Session, theme_id: int | None) -> list[int]:
    """The live theme(s) holding what was ``theme_id``'s members: merges are followed to the
    theme that absorbed it, a split theme to its parts."""
    found: set[int] = set()
    todo = [theme_id] if theme_id is not None else []
    seen: set[int] = set()
    while todo:
        current = todo.pop()
        theme = session.get(Theme, current)
        if theme is None or current in seen:
            continue
        seen.add(current)
        if theme.state == ThemeState.merged and theme.merged_into_id is not None:
            todo.append(theme.merged_into_id)
        elif theme.state == ThemeState.split_up:
            todo += session.exec(select(Theme.id).where(Theme.split_from_id == current)).all()  # type: ignore[arg-type]
        else:
            found.add(current)
    return sorted(found)


def get_theme(session: Session, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise NotFound("No such theme")
    return theme


def latest_run(session: Session) -> ThemeRun | None:
    return session.exec(select(ThemeRun).order_by(col(ThemeRun.id).desc()).limit(1)).first()


def list_themes(
    session: Session, *, states: Iterable[ThemeState] = (ThemeState.active,)
) -> list[Theme]:
    query = select(Theme).where(col(Theme.state).in_(list(states)))
    return list(session.exec(query.order_by(col(Theme.size).desc(), col(Theme.id))))


def member_ids(session: Session, theme_id: int, kind: DocumentKind) -> list[int]:
    query = select(ThemeMember.source_id).where(
        ThemeMember.theme_id == theme_id, ThemeMember.kind == kind
    )
    return list(session.exec(query.order_by(col(ThemeMember.similarity).desc())))


def _weekly(
    session: Session,
    group: Any,
    where: Any,
    groups: Sequence[Any],
    weeks: int,
    now: datetime | None,
) -> dict[Any, list[int]]:
    """Members per ``group`` value in each of the last ``weeks`` weeks, oldest first."""
    start = (now or utcnow()) - timedelta(weeks=weeks)
    counts = {g: [0] * weeks for g in groups}
    query = select(group, ThemeMember.occurred_at).where(
        where, col(ThemeMember.occurred_at) >= start
    )
    for value, occurred_at in session.exec(query):
        week = min(weeks - 1, int((_naive(occurred_at) - _naive(start)).days // 7))
        counts[value][week] += 1
    return counts


def weekly_counts(
    session: Session, theme_ids: Sequence[int], *, weeks: int = 12, now: datetime | None = None
) -> dict[int, list[int]]:
    """Members per theme in each of the last ``weeks`` weeks, oldest first."""
    if not theme_ids:
        return {}
    where = col(ThemeMember.theme_id).in_(list(theme_ids))
    return _weekly(session, ThemeMember.theme_id, where, theme_ids, weeks, now)


def weekly_counts_by_kind(
    session: Session, theme_id: int, *, weeks: int = 12, now: datetime | None = None
) -> dict[DocumentKind, list[int]]:
    """One theme's members per week, by source, oldest week first."""
    where = ThemeMember.theme_id == theme_id
    return _weekly(session, ThemeMember.kind, where, list(DocumentKind), weeks, now)


def unthemed_count(run: ThemeRun | None) -> tuple[int, float]:
    """Documents the latest full run left unthemed, and their share."""
    if run is None:
        return 0, 0.0
    return run.documents - run.themed, run.unthemed_share


def _naive(value: datetime) -> datetime:
    return value.replace(tzinfo=None)


def growth(series: Sequence[int]) -> int:
    """Members in the last four weeks minus the four before: the sort key for "growing"."""
    return sum(series[-4:]) - sum(series[-8:-4])


def history(session: Session, theme_id: int) -> list[ThemeEvent]:
    query = select(ThemeEvent).where(ThemeEvent.theme_id == theme_id)
    return list(
        session.exec(query.order_by(col(ThemeEvent.created_at).desc(), col(ThemeEvent.id).desc()))
    )


def get_plan(session: Session, theme_id: int) -> ActionPlan | None:
    return session.exec(select(ActionPlan).where(ActionPlan.theme_id == theme_id)).first()


# --------------------------------------------------------------------------- CX-lead edits
def _editable(theme: Theme) -> None:
    if theme.state in (ThemeState.merged, ThemeState.split_up):
        raise Conflict(f"This theme was {theme.state.value}; edit the theme it went into.")


def rename(session: Session, theme: Theme, name: str, by: User) -> Theme:
    _editable(theme)
    try:
        name = clean_line(name)
    except ValueError:
        raise Invalid("Give the theme a name with letters or digits.", field="name") from None
    if len(name) > NAME_MAX:
        raise Invalid(f"Names are at most {NAME_MAX} characters.", field="name")
    if name != theme.name:
        _event(session, theme, "renamed", f"{theme.name} → {name}", by=by)
        theme.name, theme.renamed, theme.updated_at = name, True, utcnow()
    session.flush()
    return theme


def set_status(
    session: Session, theme: Theme, status: ThemeStatus, by: User, reason: str = ""
) -> Theme:
    _editable(theme)
    reason = reason.strip()
    if status == ThemeStatus.dismissed and not reason:
        raise Invalid("Say why the theme is dismissed.", field="reason")
    if len(reason) > 500:
        raise Invalid("Keep the reason under 500 characters.", field="reason")
    detail = f"{theme.status.label} → {status.label}" + (f": {reason}" if reason else "")
    theme.status = status
    theme.dismiss_reason = reason if status == ThemeStatus.dismissed else None
    theme.updated_at = utcnow()
    _event(session, theme, status.value, detail, by=by)
    session.flush()
    return theme


def merge(session: Session, source: Theme, target: Theme, by: User, corpus: Corpus) -> Theme:
    """Move every member of ``source`` into ``target``; ``source`` keeps its row and history,
    and every later run sends what it finds of ``source`` into ``target``."""
    _editable(source)
    _editable(target)
    if source.id == target.id:
        raise Invalid("Choose a different theme to merge into.", field="into")
    session.exec(
        ThemeMember.__table__.update()  # type: ignore[attr-defined]
        .where(ThemeMember.__table__.c.theme_id == source.id)  # type: ignore[attr-defined]
        .values(theme_id=target.id, via="merge")
    )
    source.state, source.merged_into_id = ThemeState.merged, target.id
    source.size = source.idea_count = source.gap_count = 0
    _event(session, source, "merged", f"Merged into “{target.name}” (#{target.id}).", by=by)
    _event(session, target, "merged", f"“{source.name}” (#{source.id}) merged in.", by=by)
    session.flush()
    _rebuild(session, target, corpus)
    return target


def split(
    session: Session, theme: Theme, by: User, corpus: Corpus, parts: int | None = None
) -> list[Theme]:
    """Re-cluster the theme's members into two or more new themes."""
    _editable(theme)
    docs = _member_documents(session, theme, corpus)
    if len(docs) < 4:
        raise Invalid("A theme needs at least four members to split.", field="parts")
    if parts is not None and not 2 <= parts <= min(8, len(docs) // 2):
        raise Invalid("Split into between 2 and 8 parts, two members each at least.", field="parts")
    vectors = load_vectors(session, docs, corpus.model)
    part_of = clustering.split(vectors, [d.text for d in docs], k=parts)
    groups = [[i for i, p in enumerate(part_of) if p == g] for g in sorted(set(part_of.tolist()))]
    if len(groups) < 2:
        raise Invalid("These members do not divide; try a number of parts.", field="parts")
    children: list[Theme] = []
    session.exec(delete(ThemeMember).where(col(ThemeMember.theme_id) == theme.id))
    # Labelled together, so each part's keywords are what sets it apart from the others.
    titles = clustering.keywords_and_label([[docs[i].text for i in g] for g in groups])
    keys = [d.key for d in docs]
    for members, label in zip(groups, titles, strict=True):
        child = Theme(name="", auto_label="", split_from_id=theme.id, status=ThemeStatus.reviewing)
        session.add(child)
        session.flush()
        target = _Target(child, members, rebuilt=True)
        _write_members(session, target, docs, vectors, keys, via="split", label=label)
        child.name = child.auto_label
        _event(session, child, "created", f"Split from “{theme.name}” (#{theme.id}).", by=by)
        children.append(child)
    names = ", ".join(f"“{c.name}” (#{c.id})" for c in children)
    theme.state, theme.size, theme.idea_count, theme.gap_count = ThemeState.split_up, 0, 0, 0
    _event(session, theme, "split", f"Split into {names}.", by=by)
    session.flush()
    return children


def _member_documents(session: Session, theme: Theme, corpus: Corpus) -> list[Document]:
    """The theme's members as documents, with the text their stored vector was made from."""
    rows = session.exec(
        select(ThemeMember)
        .where(ThemeMember.theme_id == theme.id)
        .order_by(col(ThemeMember.kind), col(ThemeMember.source_id))
    ).all()
    texts = _texts(session, rows, corpus)
    return [
        Document(
            m.kind, m.source_id, texts.get((m.kind, m.source_id), ""), m.occurred_at, m.team_id
        )
        for m in rows
    ]


def _texts(
    session: Session, rows: Sequence[ThemeMember], corpus: Corpus
) -> dict[tuple[DocumentKind, int], str]:
    texts: dict[tuple[DocumentKind, int], str] = {}
    for kind in DocumentKind:
        ids = [m.source_id for m in rows if m.kind == kind]
        if ids:
            texts.update(((kind, i), t) for i, t in corpus.texts(session, kind, ids).items())
    return texts


def _rebuild(session: Session, theme: Theme, corpus: Corpus) -> None:
    """Recompute centroid, counts, representatives and labels from the current members."""
    docs = _member_documents(session, theme, corpus)
    if not docs:
        return
    vectors = load_vectors(session, docs, corpus.model)
    session.exec(delete(ThemeMember).where(col(ThemeMember.theme_id) == theme.id))
    target = _Target(theme, list(range(len(docs))), rebuilt=True)
    _write_members(session, target, docs, vectors, [d.key for d in docs], via="merge")
    session.flush()


def save_plan(session: Session, theme: Theme, data: ActionPlanUpdate, by: User) -> ActionPlan:
    _editable(theme)
    if data.owner_id is not None and session.get(User, data.owner_id) is None:
        raise Invalid("Choose an owner from the list.", field="owner_id")
    plan = get_plan(session, theme.id) or ActionPlan(theme_id=theme.id)  # type: ignore[arg-type]
    plan.owner_id, plan.due_date, plan.status, plan.note = (
        data.owner_id,
        data.due_date,
        data.status,
        data.note,
    )
    plan.updated_at = utcnow()
    session.add(plan)
    due = data.due_date.isoformat() if data.due_date else "no due date"
    _event(session, theme, "plan", f"Action plan {data.status.label.lower()}, {due}.", by=by)
    session.flush()
    return plan
