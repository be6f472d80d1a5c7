"""Applying a full clustering run with stable identity: its clusters are matched one-to-one to
the existing themes by member overlap and centroid similarity, so a theme keeps its id, name,
status and history; what CX leads did (merge, split) is applied again on top of every run.
Also the members, counts and labels of a theme, written here for runs and for CX-lead edits.
Functions flush, never commit."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import DIMENSIONS, from_bytes, to_bytes
from foundation.ids import pk
from ideas.themes import clustering
from ideas.themes.documents import Document
from ideas.themes.keywords import Labels, label_language, language_labels, primary_label
from ideas.themes.models import (
    NAME_MAX,
    DocumentKind,
    Theme,
    ThemeEvent,
    ThemeMember,
    ThemeRun,
    ThemeState,
)
from ideas.themes.naming import enough

# A cluster continues a theme when they share this much membership (Jaccard) or, for a theme
# whose members all moved (merged away, or faded), when their centroids are this close.
MATCH_OVERLAP = 0.2
MATCH_COSINE = 0.85
REPRESENTATIVES = 5


@dataclass
class Target:
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
        theme = by_id[theme.merged_into_id]
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
    targets: dict[int, Target],
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
                targets[pk(part)] = Target(part, members, rebuilt=True)


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

    targets: dict[int, Target] = {}  # theme id -> members
    fresh: list[Target] = []
    for c, cluster in enumerate(result.clusters):
        members = [int(i) for i in cluster.members]
        theme = matched.get(c)
        if theme is not None:
            theme = _resolve(theme, by_id)
        if theme is None or not theme.live:  # e.g. merged into a theme that was later split
            fresh.append(Target(_new_theme(cluster, run), members))
            continue
        if theme.id in targets:  # two clusters continue one theme: a merge a CX lead made
            targets[pk(theme)].members += members
            targets[pk(theme)].rebuilt = True
        else:
            targets[pk(theme)] = Target(theme, members, rebuilt=theme is not matched[c])
            if not targets[pk(theme)].rebuilt:
                _take_labels(theme, cluster)
    _split_again(targets, vectors, keys, previous, by_id)

    for target in fresh:
        session.add(target.theme)
    session.flush()
    for target in fresh:
        record_event(session, target.theme, "created", "Found by a clustering run.", run=run)
        run.new_themes += 1
    every = list(targets.values()) + fresh
    session.exec(delete(ThemeMember))
    labels = _labels_if_rebuilt(every, docs)
    for target, named in zip(every, labels, strict=True):
        write_members(session, target, docs, vectors, keys, via="cluster", labels=named)
    _fade_and_revive(session, themes, targets, run)
    run.themes = len(every)
    run.themed = sum(len(t.members) for t in every)
    session.flush()
    return run


def _fade_and_revive(
    session: Session, themes: list[Theme], targets: dict[int, Target], run: ThemeRun
) -> None:
    """A faded theme the run found again is active again; an active one it did not find fades
    (merged themes stay as they are)."""
    for theme in themes:
        if theme.state == ThemeState.merged:
            continue
        if theme.id in targets and theme.state == ThemeState.faded:
            theme.state = ThemeState.active
            record_event(session, theme, "revived", "Found again by a clustering run.", run=run)
        elif theme.id not in targets and theme.state == ThemeState.active:
            theme.state = ThemeState.faded
            theme.size = theme.idea_count = theme.gap_count = 0
            run.faded_themes += 1
            record_event(
                session, theme, "faded", "Not found by the latest clustering run.", run=run
            )


def _new_theme(cluster: clustering.ClusterInfo, run: ThemeRun) -> Theme:
    label = cluster.label[:NAME_MAX] or "Untitled theme"
    return Theme(
        name=label,
        auto_label=label,
        keywords=list(cluster.keywords),
        labels=dict(cluster.labels),
        centroid=to_bytes(cluster.centroid),
        first_run_id=run.id,
    )


def _take_labels(theme: Theme, cluster: clustering.ClusterInfo) -> None:
    set_labels(theme, cluster.labels)


def set_labels(theme: Theme, labels: Labels) -> None:
    """A run's (or a rebuild's) labels on a theme: keywords and counts as computed, and
    ``keywords``/``auto_label`` those of the most common language. A language's name that was
    already shown (the language had enough members, ``naming.enough``) is kept, as the theme's
    own name is, so viewers do not see it change every night."""
    before: Labels = dict(theme.labels or {})
    if not before and theme.auto_label:  # labelled before languages: its name is English
        before = {"en": {"name": theme.auto_label if theme.renamed else theme.name}}
        before["en"]["count"] = theme.size
    kept: Labels = {}
    for language, fresh in labels.items():
        old = before.get(language, {})
        keep = old.get("name") and enough(before, language)
        kept[language] = {**fresh, "name": old["name"] if keep else fresh["name"]}
    theme.labels = kept
    keywords, label = primary_label(labels)
    theme.keywords, theme.auto_label = keywords, (label[:NAME_MAX] or theme.auto_label)


def write_members(
    session: Session,
    target: Target,
    docs: Sequence[Document],
    vectors: np.ndarray,
    keys: list[str],
    *,
    via: str,
    labels: Labels | None = None,
) -> None:
    """Members, counts, centroid, representatives, and ``labels`` (keywords and names per
    language; computed from the members when not given) when the members were rebuilt."""
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
        set_labels(theme, labels or member_labels([[docs[i] for i in members]])[0])
    theme.updated_at = utcnow()


def member_labels(groups: Sequence[Sequence[Document]], per_language: int = 300) -> list[Labels]:
    """Labels per language of groups of documents, computed together (so each group's
    keywords are what set it apart from the others). As in a run, c-TF-IDF reads at most
    ``per_language`` texts of each group and language (the smallest key hashes): Japanese
    segmentation costs about 2 ms a text, and a full run's rebuild labels every theme."""
    samples: list[list[tuple[str, str]]] = []
    counts: list[Counter[str]] = []
    for group in groups:
        by_language: dict[str, list[Document]] = defaultdict(list)
        for doc in group:
            by_language[label_language(doc.language)].append(doc)
        chosen = [
            (language, doc)
            for language, docs in by_language.items()
            for doc in sorted(docs, key=lambda d: (clustering.key_hash(d.key), d.key))[
                :per_language
            ]
        ]
        samples.append([(language, doc.text) for language, doc in chosen])
        counts.append(Counter({language: len(docs) for language, docs in by_language.items()}))
    return language_labels(samples, counts)


def _labels_if_rebuilt(targets: Sequence[Target], docs: Sequence[Document]) -> list[Labels | None]:
    """c-TF-IDF labels for the themes whose members were rebuilt (a merge or split applied
    again), computed against every theme of the run so their keywords tell them apart."""
    if not any(t.rebuilt for t in targets):
        return [None] * len(targets)
    named = member_labels([[docs[i] for i in t.members] for t in targets])
    return [labels if t.rebuilt else None for t, labels in zip(targets, named, strict=True)]


def _representatives(ranked: Sequence[Document]) -> list[dict[str, object]]:
    """The most central members of each source, interleaved so both sources show."""
    by_kind: dict[DocumentKind, list[Document]] = defaultdict(list)
    for doc in ranked:
        if len(by_kind[doc.kind]) < REPRESENTATIVES:
            by_kind[doc.kind].append(doc)
    return [{"kind": d.kind.value, "id": d.id} for k in DocumentKind for d in by_kind.get(k, [])]


def _centroid(vectors: np.ndarray) -> np.ndarray:
    mean: np.ndarray = vectors.mean(axis=0).astype(np.float32)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0 else mean


def record_event(
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
            theme_id=pk(theme),
            action=action,
            detail=detail,
            by_id=by.id if by else None,
            run_id=run.id if run else None,
        )
    )
