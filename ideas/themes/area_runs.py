"""Writing and reading areas with stable identity: after a run (or a CX lead's edit) the active
themes are grouped again (``areas.group``), and each group is matched one-to-one to an
existing area by the overlap of their theme sets and the cosine of their centroids, so an area
keeps its id and name while its themes change a little. Unmatched areas fade; a faded area the
grouping finds again comes back. Functions flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlalchemy import func
from sqlmodel import Session, col, select

from foundation.clock import utcnow
from foundation.embeddings import from_bytes, to_bytes
from foundation.errors import NotFound
from foundation.i18n import N_
from foundation.ids import pk
from ideas.themes import areas as grouping
from ideas.themes import queries as theme_queries
from ideas.themes.documents import Document
from ideas.themes.keywords import Labels, primary_label
from ideas.themes.labelling import keep_shown_names
from ideas.themes.models import NAME_MAX, AreaState, Theme, ThemeArea
from ideas.themes.naming import DisplayLabel, display_label
from ideas.themes.runs import member_labels

# A group continues an area when they share this much of their themes (Jaccard) or, for an
# area whose themes all changed (faded, merged, split), when their centroids are this close.
MATCH_OVERLAP = 0.2
MATCH_COSINE = 0.9
UNNAMED = "Untitled area"

# Each theme's member documents, by theme id: what area names are made from.
MembersByTheme = Mapping[int, Sequence[Document]]


def assign_areas(
    session: Session,
    members: MembersByTheme | None = None,
    named_before: Mapping[frozenset[int], Labels] | None = None,
) -> list[ThemeArea]:
    """Group the active themes into areas, keep identities, and set each theme's ``area_id``;
    the active areas, largest first. ``members`` names the areas from their documents (a run
    passes them); without it, a matched area keeps its name and a new one takes its largest
    theme's. ``named_before`` (``names_for``, worked out outside the write transaction) is used
    when it names exactly these groups."""
    groups = _group_themes([t for t in theme_queries.list_themes(session) if t.centroid])
    previous = _previous_sets(session)
    existing = list(session.exec(select(ThemeArea).order_by(col(ThemeArea.id))))
    centroids = _centroids(groups)
    matched = _match(groups, centroids, existing, previous)
    named: list[Labels | None] = [None] * len(groups)
    if members is not None:
        named = _names(groups, members, named_before or {})
    chosen: list[ThemeArea] = []
    for g, (mine, centroid, labels) in enumerate(zip(groups, centroids, named, strict=True)):
        area = matched.get(g) or _new_area(session, mine)
        _update(area, centroid, labels)
        chosen.append(area)
    session.flush()
    _place_themes(session, groups, chosen)
    _fade(existing, {pk(a) for a in chosen})
    session.flush()
    return chosen


def _group_themes(themes: Sequence[Theme]) -> list[list[Theme]]:
    """The themes of each area ``areas.group`` finds, areas in its order (largest first)."""
    if not themes:
        return []
    vectors = np.stack([from_bytes(t.centroid) for t in themes])  # type: ignore[arg-type]
    index = grouping.group(vectors, np.array([t.size for t in themes]))
    return [
        [themes[int(i)] for i in np.flatnonzero(index == a)] for a in range(int(index.max()) + 1)
    ]


def _previous_sets(session: Session) -> dict[int, set[int]]:
    """Area id -> the ids of the themes in it before this grouping."""
    sets: dict[int, set[int]] = defaultdict(set)
    query = select(Theme.id, Theme.area_id).where(col(Theme.area_id).is_not(None))
    for theme_id, area_id in session.exec(query):
        sets[int(area_id)].add(int(theme_id))  # type: ignore[arg-type]
    return sets


def _centroids(groups: Sequence[Sequence[Theme]]) -> list[np.ndarray]:
    out = []
    for mine in groups:
        vectors = np.stack([from_bytes(t.centroid) for t in mine])  # type: ignore[arg-type]
        sizes = np.array([t.size for t in mine])
        zero = np.zeros(len(mine), dtype=np.int64)
        out.append(grouping.area_centroids(vectors, sizes, zero)[0])
    return out


def _match(
    groups: Sequence[Sequence[Theme]],
    centroids: Sequence[np.ndarray],
    existing: Sequence[ThemeArea],
    previous: Mapping[int, set[int]],
) -> dict[int, ThemeArea]:
    """Group index -> existing area, one-to-one, maximising theme overlap plus cosine."""
    if not groups or not existing:
        return {}
    score = np.zeros((len(groups), len(existing)))
    for g, (mine, centroid) in enumerate(zip(groups, centroids, strict=True)):
        ids = {pk(t) for t in mine}
        for a, area in enumerate(existing):
            before = previous.get(pk(area), set())
            overlap = len(ids & before) / len(ids | before) if before else 0.0
            cosine = float(from_bytes(area.centroid) @ centroid) if area.centroid else 0.0
            if overlap >= MATCH_OVERLAP or cosine >= MATCH_COSINE:
                score[g, a] = overlap + cosine
    rows, cols = linear_sum_assignment(-score)
    return {int(r): existing[int(a)] for r, a in zip(rows, cols, strict=True) if score[r, a] > 0}


def _new_area(session: Session, mine: Sequence[Theme]) -> ThemeArea:
    """A new area, named (until its documents name it) after its largest theme."""
    largest = max(mine, key=lambda t: (t.size, -pk(t)))
    area = ThemeArea(name=largest.auto_label[:NAME_MAX] or UNNAMED, labels=dict(largest.labels))
    area.keywords = list(largest.keywords)
    session.add(area)
    return area


def _update(area: ThemeArea, centroid: np.ndarray, labels: Labels | None) -> None:
    area.centroid = to_bytes(centroid)
    area.state = AreaState.active
    area.updated_at = utcnow()
    if labels is not None:
        _set_labels(area, labels)


def _set_labels(area: ThemeArea, labels: Labels) -> None:
    """Fresh keywords and counts; a language's name already shown is kept, as a theme's is
    (``runs.set_labels``), so an area does not change its name every night."""
    kept = keep_shown_names(dict(area.labels or {}), labels)
    area.labels = kept
    keywords, _ = primary_label(labels)
    _, name = primary_label(kept)
    area.keywords, area.name = keywords, name[:NAME_MAX] or UNNAMED


def names_for(themes: Sequence[Theme], members: MembersByTheme) -> dict[frozenset[int], Labels]:
    """The labels ``assign_areas`` will give the areas of these active themes (after a run that
    is not written yet), by the ids of each area's themes: a run works them out before its
    write transaction, which then only uses them (``run_staging.area_names``)."""
    ordered = sorted((t for t in themes if t.centroid), key=lambda t: (-t.size, pk(t)))
    groups = _group_themes(ordered)
    named = _names(groups, members, {})
    return {_ids(mine): labels for mine, labels in zip(groups, named, strict=True) if labels}


def _ids(themes: Sequence[Theme]) -> frozenset[int]:
    return frozenset(pk(t) for t in themes)


def _names(
    groups: Sequence[Sequence[Theme]],
    members: MembersByTheme,
    named_before: Mapping[frozenset[int], Labels],
) -> list[Labels | None]:
    """Labels per language of each group from its themes' documents, computed together so each
    area's keywords are what set it apart from the others (or ``named_before``, when it names
    exactly these groups)."""
    if groups and all(_ids(mine) in named_before for mine in groups):
        return [named_before[_ids(mine)] for mine in groups]
    docs = [[d for t in mine for d in members.get(pk(t), ())] for mine in groups]
    labelled = _distinct(groups, member_labels(docs))
    return [labels if group else None for labels, group in zip(labelled, docs, strict=True)]


def _distinct(groups: Sequence[Sequence[Theme]], labelled: Sequence[Labels]) -> list[Labels]:
    """Labels where no two areas share a name in a language: two areas called "Card payment"
    would not say which is which, so the smaller one (groups come largest first) takes the name
    of its largest theme with a name not taken there."""
    taken: dict[str, set[str]] = defaultdict(set)
    out: list[Labels] = []
    for mine, labels in zip(groups, labelled, strict=True):
        labels = {language: dict(label) for language, label in labels.items()}
        for language, label in labels.items():
            if str(label.get("name", "")).casefold() in taken[language]:
                label["name"] = _other_name(mine, language, taken[language]) or label["name"]
            taken[language].add(str(label.get("name", "")).casefold())
        out.append(labels)
    return out


def _other_name(themes: Sequence[Theme], language: str, taken: set[str]) -> str | None:
    for theme in sorted(themes, key=lambda t: (-t.size, pk(t))):
        name = str((theme.labels or {}).get(language, {}).get("name", ""))
        if name and name.casefold() not in taken:
            return name
    return None


def _place_themes(
    session: Session, groups: Sequence[Sequence[Theme]], chosen: Sequence[ThemeArea]
) -> None:
    """Each active theme into its area; every other theme (faded, merged, split, or active
    when there are too few for areas) in none."""
    placed = {pk(t): pk(a) for mine, a in zip(groups, chosen, strict=True) for t in mine}
    for theme in session.exec(select(Theme).where(col(Theme.area_id).is_not(None))):
        if pk(theme) not in placed:
            theme.area_id = None
    for mine, area in zip(groups, chosen, strict=True):
        for theme in mine:
            theme.area_id = area.id


def _fade(existing: Sequence[ThemeArea], kept: set[int]) -> None:
    for area in existing:
        if pk(area) not in kept and area.state == AreaState.active:
            area.state, area.updated_at = AreaState.faded, utcnow()


# ----------------------------------------------------------------------------------- reading
def get_area(session: Session, area_id: int) -> ThemeArea:
    area = session.get(ThemeArea, area_id)
    if area is None:
        raise NotFound(N_("No such area: it may have faded at the last clustering run."))
    return area


def active_areas(session: Session) -> list[ThemeArea]:
    """The active areas, largest first (by their active themes' members)."""
    size = func.coalesce(func.sum(Theme.size), 0)
    query = (
        select(ThemeArea, size)
        .join(Theme, col(Theme.area_id) == ThemeArea.id, isouter=True)
        .where(ThemeArea.state == AreaState.active)
        .group_by(col(ThemeArea.id))
        .order_by(size.desc(), col(ThemeArea.id))
    )
    return [area for area, _ in session.exec(query)]


def weekly_counts(
    session: Session, area_ids: Sequence[int], *, weeks: int = 12, now: datetime | None = None
) -> dict[int, list[int]]:
    """Members of each area's themes in each of the last ``weeks`` weeks, oldest first: the sum
    of its themes' trends (from their summaries, so the members are not read)."""
    if not area_ids:
        return {}
    query = select(Theme.id, Theme.area_id).where(col(Theme.area_id).in_(list(area_ids)))
    area_of = {int(t): int(a) for t, a in session.exec(query) if t is not None and a is not None}
    counts = {a: [0] * weeks for a in area_ids}
    themes = theme_queries.weekly_counts(session, list(area_of), weeks=weeks, now=now)
    for theme_id, series in themes.items():
        counts[area_of[theme_id]] = [
            a + b for a, b in zip(counts[area_of[theme_id]], series, strict=True)
        ]
    return counts


def area_label(area: ThemeArea, locale: str | None = None) -> DisplayLabel:
    """The area's name and keywords as a viewer sees them (``naming.display_label``'s rules;
    areas are never renamed by hand)."""
    shown = Theme(name=area.name, auto_label=area.name, keywords=area.keywords, labels=area.labels)
    return display_label(shown, locale)
