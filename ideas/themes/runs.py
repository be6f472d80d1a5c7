"""Applying a full clustering run with stable identity: its clusters are matched one-to-one to
the existing themes by member overlap and centroid similarity, so a theme keeps its id, name,
status and history; what CX leads did (merge, split) is applied again on top of every run.
Also the members, counts and labels of a theme, written here for runs and for CX-lead edits.
A run's members are written as the difference from what is stored (``member_writes``), most of
it before the run's own transaction (``run_staging``). Functions flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlmodel import Session, col, select

from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import DIMENSIONS, from_bytes, to_bytes
from foundation.ids import pk
from ideas.themes import clustering
from ideas.themes.documents import Document
from ideas.themes.keywords import Labels

# Re-exported: service and area_runs label with them from here.
from ideas.themes.labelling import member_labels as member_labels
from ideas.themes.labelling import set_labels as set_labels
from ideas.themes.member_writes import (
    MemberRow,
    Stored,
    drop_pending,
    insert_members,
    replace_members,
    stored_members,
)
from ideas.themes.models import (
    NAME_MAX,
    DocumentKind,
    Theme,
    ThemeEvent,
    ThemeRun,
    ThemeState,
)
from ideas.themes.summary import summarise

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


@dataclass
class Plan:
    """Which theme each cluster of a run continues, worked out before anything is written (the
    job does it outside the write transaction, and ``apply_run`` again inside it)."""

    keys: list[str]
    themes: list[Theme]  # the live themes before the run
    targets: dict[int, Target]  # existing theme id -> its members after the run
    fresh: list[tuple[int, list[int]]]  # (cluster, members) of each new theme
    took: list[tuple[Theme, int]]  # (theme, cluster): the theme takes the cluster's labels


def plan_run(
    session: Session,
    docs: Sequence[Document],
    vectors: np.ndarray,
    result: clustering.ClusterResult,
    stored: dict[str, Stored],
) -> Plan:
    """Match the clusters to the existing themes and apply CX-lead edits again; reads only."""
    keys = [doc.key for doc in docs]
    themes = _live_themes(session)
    by_id = {t.id: t for t in session.exec(select(Theme)) if t.id is not None}
    previous = {key: row.theme_id for key, row in stored.items()}
    matched = _match(result, keys, themes, previous)
    targets: dict[int, Target] = {}  # theme id -> members
    fresh: list[tuple[int, list[int]]] = []
    took: list[tuple[Theme, int]] = []
    for c, cluster in enumerate(result.clusters):
        members = [int(i) for i in cluster.members]
        theme = matched.get(c)
        if theme is not None:
            theme = _resolve(theme, by_id)
        if theme is None or not theme.live:  # e.g. merged into a theme that was later split
            fresh.append((c, members))
            continue
        if theme.id in targets:  # two clusters continue one theme: a merge a CX lead made
            targets[pk(theme)].members += members
            targets[pk(theme)].rebuilt = True
        else:
            targets[pk(theme)] = Target(theme, members, rebuilt=theme is not matched[c])
            if not targets[pk(theme)].rebuilt:
                took.append((theme, c))
    _split_again(targets, vectors, keys, previous, by_id)
    return Plan(keys, themes, targets, fresh, took)


def apply_run(
    session: Session,
    docs: Sequence[Document],
    vectors: np.ndarray,
    result: clustering.ClusterResult,
    *,
    job_id: int | None = None,
    seconds: float = 0.0,
    staged: dict[int, int] | None = None,
    area_names: Mapping[frozenset[int], Labels] | None = None,
) -> ThemeRun:
    """Write one full clustering: match, keep CX-lead edits, create, fade, replace members,
    and group the themes into areas (``area_runs``). ``staged`` (cluster -> theme id) names
    the pending themes ``stage_new_themes`` made for new clusters, with members already in;
    ``area_names`` the areas' labels worked out before (``run_staging.area_names``)."""
    run = ThemeRun(job_id=job_id, documents=len(docs), seconds=round(seconds, 2))
    session.add(run)
    session.flush()
    stored = stored_members(session)
    plan = plan_run(session, docs, vectors, result, stored)
    for theme, c in plan.took:
        _take_labels(theme, result.clusters[c])
    fresh = _new_themes(session, plan, result, run, staged or {})
    for target in fresh:
        record_event(session, target.theme, "created", "Found by a clustering run.", run=run)
        run.new_themes += 1
    every = list(plan.targets.values()) + fresh
    labels = _labels_if_rebuilt(every, docs)
    rows: list[MemberRow] = []
    for target, named in zip(every, labels, strict=True):
        rows += member_rows(target, docs, vectors, plan.keys, via="cluster", labels=named)
    replace_members(session, rows, stored)
    _fade_and_revive(session, plan.themes, plan.targets, run)
    run.themes = len(every)
    run.themed = sum(len(t.members) for t in every)
    session.flush()
    # Imported here: area_runs builds on this module (``member_labels``).
    from ideas.themes.area_runs import assign_areas

    members = {pk(t.theme): [docs[i] for i in t.members] for t in every}
    assign_areas(session, members, area_names)
    return run


def _new_themes(
    session: Session,
    plan: Plan,
    result: clustering.ClusterResult,
    run: ThemeRun,
    staged: dict[int, int],
) -> list[Target]:
    """The run's new themes: the pending ones staged for them, shown from now on, or new rows;
    pending themes the run no longer wants are removed with their members."""
    fresh: list[Target] = []
    pending = {
        pk(t): t for t in session.exec(select(Theme).where(Theme.state == ThemeState.pending))
    }
    for c, members in plan.fresh:
        theme = pending.get(staged.get(c, -1))
        if theme is None:
            theme = _new_theme(result.clusters[c], run)
            session.add(theme)
        theme.state, theme.first_run_id = ThemeState.active, run.id
        fresh.append(Target(theme, members))
    session.flush()
    drop_pending(session)
    return fresh


def new_theme_row(cluster: clustering.ClusterInfo) -> Theme:
    label = cluster.label[:NAME_MAX] or "Untitled theme"
    return Theme(
        name=label,
        auto_label=label,
        keywords=list(cluster.keywords),
        labels=dict(cluster.labels),
        centroid=to_bytes(cluster.centroid),
    )


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
    theme = new_theme_row(cluster)
    theme.first_run_id = run.id
    return theme


def _take_labels(theme: Theme, cluster: clustering.ClusterInfo) -> None:
    set_labels(theme, cluster.labels)


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
    """Insert the theme's members (after its old ones were deleted) and set what
    ``member_rows`` sets: a CX lead's split or merge."""
    insert_members(session, member_rows(target, docs, vectors, keys, via=via, labels=labels))


def member_rows(
    target: Target,
    docs: Sequence[Document],
    vectors: np.ndarray,
    keys: list[str],
    *,
    via: str,
    labels: Labels | None = None,
) -> list[MemberRow]:
    """Set the theme's counts, centroid, representatives, summary, and ``labels`` (keywords and
    names per language; computed from the members when not given) when the members were
    rebuilt; return its member rows to write."""
    theme, members = target.theme, sorted(target.members, key=lambda i: keys[i])
    centroid = unit_mean(vectors[members])
    similarity = vectors[members] @ centroid
    theme.centroid = to_bytes(centroid)
    theme.size = len(members)
    theme.idea_count = sum(docs[i].kind == DocumentKind.idea for i in members)
    theme.gap_count = theme.size - theme.idea_count
    theme.summary = summarise([docs[i] for i in members])
    order = np.argsort(-similarity, kind="stable")
    theme.representatives = _representatives([docs[members[j]] for j in order])
    if target.rebuilt:
        set_labels(theme, labels or member_labels([[docs[i] for i in members]])[0])
    theme.updated_at = utcnow()
    return [
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
    ]


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


def unit_mean(vectors: np.ndarray) -> np.ndarray:
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
