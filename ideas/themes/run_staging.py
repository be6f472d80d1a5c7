"""Before a run is applied: the writes that change nothing anybody sees, committed by the
job in short transactions (``member_writes`` says why). Worked out from the run's ``Plan``,
read outside the write transaction; ``runs.apply_run`` plans again inside it and writes only
what is left, so a plan made stale meanwhile (a CX lead's merge) costs time, never
correctness."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlmodel import Session

from foundation.embeddings import to_bytes
from foundation.ids import pk
from ideas.themes import area_runs, clustering, runs
from ideas.themes.documents import Document
from ideas.themes.keywords import Labels
from ideas.themes.member_writes import MemberRow, Stored, drop_pending, row_key
from ideas.themes.models import Theme, ThemeState
from ideas.themes.runs import Plan, Target


def stage_new_themes(
    session: Session, plan: Plan, result: clustering.ClusterResult
) -> dict[int, int]:
    """Before a run is applied: a ``pending`` theme for each new cluster (nobody sees one until
    ``apply_run`` shows it), replacing those of an attempt that died. Cluster -> theme id."""
    drop_pending(session)
    made = {c: runs.new_theme_row(result.clusters[c]) for c, _ in plan.fresh}
    for theme in made.values():
        theme.state = ThemeState.pending
        session.add(theme)
    session.flush()
    return {c: pk(theme) for c, theme in made.items()}


def staged_rows(
    plan: Plan,
    staged: dict[int, int],
    docs: Sequence[Document],
    vectors: np.ndarray,
    stored: dict[str, Stored],
) -> list[MemberRow]:
    """The member rows of the pending themes for documents in no theme now: inserting them
    early changes nothing anybody sees, and leaves the run's own write short."""
    rows: list[MemberRow] = []
    for c, members in plan.fresh:
        if c not in staged:
            continue
        target = Target(Theme(id=staged[c], name="", auto_label=""), members)
        rows += [
            row
            for row in runs.member_rows(target, docs, vectors, plan.keys, via="cluster")
            if row_key(row) not in stored
        ]
    return rows


def similarity_updates(
    plan: Plan, docs: Sequence[Document], vectors: np.ndarray, stored: dict[str, Stored]
) -> list[MemberRow]:
    """``{"id", "similarity"}`` for the members that stay in their theme, to the centroid the
    run gives it (as ``member_rows`` computes it)."""
    updates: list[MemberRow] = []
    for target in plan.targets.values():
        members = sorted(target.members, key=lambda i: plan.keys[i])
        centroid = runs.unit_mean(vectors[members])
        for i, s in zip(members, vectors[members] @ centroid, strict=True):
            row = stored.get(plan.keys[i])
            similarity = round(float(s), 4)
            if row and row.theme_id == target.theme.id and row.similarity != similarity:
                updates.append({"id": row.id, "similarity": similarity})
    return updates


def area_names(
    plan: Plan, staged: dict[int, int], docs: Sequence[Document], vectors: np.ndarray
) -> dict[frozenset[int], Labels]:
    """The names of the areas the run's themes will fall into (``area_runs.names_for``): the
    costly part of grouping them, done before the write transaction. Empty when a new theme has
    no pending row yet (no id to name it by)."""
    if any(c not in staged for c, _ in plan.fresh):
        return {}
    groups = [(pk(t.theme), t.members) for t in plan.targets.values()]
    groups += [(staged[c], members) for c, members in plan.fresh]
    themes = [
        Theme(
            id=theme_id,
            name="",
            auto_label="",
            size=len(members),
            centroid=to_bytes(runs.unit_mean(vectors[members])),
        )
        for theme_id, members in groups
    ]
    by_theme = {theme_id: [docs[i] for i in members] for theme_id, members in groups}
    return area_runs.names_for(themes, by_theme)
