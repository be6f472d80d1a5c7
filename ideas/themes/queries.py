"""Reading themes: look-ups, lists, members, weekly trends, history and action plans."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from foundation.clock import as_utc, utcnow
from foundation.errors import NotFound
from foundation.i18n import N_
from ideas.themes import summary as theme_summary
from ideas.themes.models import (
    ActionPlan,
    DocumentKind,
    Theme,
    ThemeEvent,
    ThemeMember,
    ThemeRun,
    ThemeState,
)


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
            # Stored themes' ids are never None; the column type says int | None.
            todo += session.exec(select(Theme.id).where(Theme.split_from_id == current)).all()  # type: ignore[arg-type]
        else:
            found.add(current)
    return sorted(found)


def get_theme(session: Session, theme_id: int) -> Theme:
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(N_("No such theme"))
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


def start_day(weeks: int, now: datetime | None = None) -> date:
    """The first day of a ``weeks``-week trend ending ``now``: weeks run from whole UTC days, so
    the counts from the members and from the summaries agree."""
    return as_utc((now or utcnow()) - timedelta(weeks=weeks)).date()


def _weekly(
    session: Session,
    group: Any,
    where: Any,
    groups: Sequence[Any],
    weeks: int,
    now: datetime | None,
) -> dict[Any, list[int]]:
    """Members per ``group`` value in each of the last ``weeks`` weeks, oldest first, counted
    from the members themselves."""
    start = start_day(weeks, now)
    counts = {g: [0] * weeks for g in groups}
    since = datetime.combine(start, time.min, tzinfo=UTC)
    query = select(group, ThemeMember.occurred_at).where(
        where, col(ThemeMember.occurred_at) >= since
    )
    for value, occurred_at in session.exec(query):
        week = min(weeks - 1, (as_utc(occurred_at).date() - start).days // 7)
        counts[value][week] += 1
    return counts


def weekly_counts(
    session: Session, theme_ids: Sequence[int], *, weeks: int = 12, now: datetime | None = None
) -> dict[int, list[int]]:
    """Members per theme in each of the last ``weeks`` weeks, oldest first: from each theme's
    summary (``ideas.themes.summary``), counting the members only of themes whose summary is
    stale."""
    if not theme_ids:
        return {}
    start = start_day(weeks, now)
    counts: dict[int, list[int]] = {}
    for theme_id, summary in theme_summary.stored(session, theme_ids).items():
        series = theme_summary.weekly(summary, start, weeks)
        if series is not None:
            counts[theme_id] = series
    stale = [t for t in theme_ids if t not in counts]
    if stale:
        where = col(ThemeMember.theme_id).in_(stale)
        counts.update(_weekly(session, ThemeMember.theme_id, where, stale, weeks, now))
    return {t: counts.get(t, [0] * weeks) for t in theme_ids}


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
