"""The outcomes evidence report: for a period, each live theme with its evidence, what was done
about it (action plan, coaching modules, guides), coaching completion and effect, and how fast
its ideas were answered; plus the overall idea response line. It is what a firm shows its
regulator under the Consumer Duty, as a printable page and a CSV.

Counts of ideas, interactions and assignments are shown whatever their size; the coaching effect
(a rate across people) follows the minimum group size through ``coaching.modules.effect``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.guides import queries as guide_queries
from coaching.guides.models import GuideStatus
from coaching.modules import queries as module_queries
from coaching.modules.effect import Effect, module_effect
from coaching.modules.models import Assignment, CoachingModule
from foundation.accounts import User
from foundation.clock import as_utc, utcnow
from foundation.errors import Invalid
from foundation.i18n import N_
from ideas.submissions import promise as idea_promise
from ideas.themes import queries as theme_queries
from ideas.themes.models import DocumentKind, PlanStatus, Theme, ThemeMember, ThemeState
from ideas.themes.naming import display_label

DEFAULT_DAYS = 90
MAX_DAYS = 3660  # ten years: a longer period is a typo


@dataclass(frozen=True)
class Plan:
    owner: str | None
    due: date | None
    status: PlanStatus


@dataclass(frozen=True)
class ModuleLine:
    id: int
    title: str
    version: int  # latest published version, 0 for a draft never published
    effect: Effect


@dataclass(frozen=True)
class GuideLine:
    id: int
    title: str
    status: GuideStatus


@dataclass(frozen=True)
class Completion:
    """Assignments of the theme's modules made in the period, as they stood at its end."""

    assigned: int = 0
    completed: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class Responses:
    """Ideas submitted in the period: answered within the promise, of those whose promise has
    come due (or that were answered, late or not)."""

    ideas: int = 0
    on_time: int = 0
    due: int = 0

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


@dataclass(frozen=True)
class ThemeRow:
    theme_id: int
    name: str
    status: str
    ideas: int  # idea members that occurred in the period
    gaps: int  # interactions with gap evidence in the period
    plan: Plan | None
    modules: list[ModuleLine] = field(default_factory=list)
    guides: list[GuideLine] = field(default_factory=list)
    completion: Completion = Completion()
    responses: Responses = Responses()


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    generated_at: datetime
    min_group_size: int
    effect_days: int
    working_days: int
    rows: list[ThemeRow]
    overall: Responses


# ------------------------------------------------------------------------------- the period
def default_period(today: date | None = None) -> tuple[date, date]:
    """The last 90 days, today included."""
    end = today or utcnow().date()
    return end - timedelta(days=DEFAULT_DAYS - 1), end


def parse_period(
    start: str | None, end: str | None, today: date | None = None
) -> tuple[date, date]:
    """Dates from the query string (blank: the default period); ``Invalid`` names the field."""
    first, last = default_period(today)
    values = {}
    for name, raw, default in (("start", start, first), ("end", end, last)):
        raw = (raw or "").strip()
        try:
            values[name] = date.fromisoformat(raw) if raw else default
        except ValueError as exc:
            raise Invalid(N_("Give a date as YYYY-MM-DD."), field=name) from exc
    if values["start"] > values["end"]:
        raise Invalid(N_("The end date must be on or after the start date."), field="end")
    if (values["end"] - values["start"]).days >= MAX_DAYS:
        raise Invalid(N_("Choose a period of at most ten years."), field="start")
    return values["start"], values["end"]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in UTC."""
    return datetime.combine(start, time(), UTC), datetime.combine(end + timedelta(1), time(), UTC)


# ------------------------------------------------------------------------------ the figures
def _evidence(session: Session, theme_id: int, since: datetime, until: datetime) -> dict[str, int]:
    query = (
        select(ThemeMember.kind, func.count())
        .where(
            ThemeMember.theme_id == theme_id,
            col(ThemeMember.occurred_at) >= since,
            col(ThemeMember.occurred_at) < until,
        )
        .group_by(col(ThemeMember.kind))
    )
    return {DocumentKind(kind).value: int(n) for kind, n in session.exec(query)}


def _plan(session: Session, theme_id: int) -> Plan | None:
    plan = theme_queries.get_plan(session, theme_id)
    if plan is None:
        return None
    owner = session.get(User, plan.owner_id) if plan.owner_id else None
    return Plan(owner.display_name if owner else None, plan.due_date, plan.status)


def _guides(session: Session, theme_id: int) -> list[GuideLine]:
    return [
        GuideLine(g.id, g.title, g.status)
        for g in guide_queries.for_theme(session, theme_id)
        if g.id
    ]


def completion(
    session: Session, module_ids: list[int], start: date, end: date, today: date
) -> Completion:
    """Assignments made in the period; completed and overdue as of its end (or today)."""
    if not module_ids:
        return Completion()
    since, until = _bounds(start, end)
    as_of = min(end, today)
    cutoff = datetime.combine(as_of + timedelta(1), time(), UTC)
    query = select(col(Assignment.completed_at), col(Assignment.due_on)).where(
        col(Assignment.module_id).in_(module_ids),
        col(Assignment.assigned_at) >= since,
        col(Assignment.assigned_at) < until,
    )
    assigned = completed = overdue = 0
    for done, due_on in session.exec(query):
        assigned += 1
        if done is not None and as_utc(done) < cutoff:
            completed += 1
        elif due_on < as_of:
            overdue += 1
    return Completion(assigned, completed, overdue)


def responses(
    session: Session,
    idea_ids: list[int] | None,
    start: date,
    end: date,
    working_days: int,
    today: date,
) -> Responses:
    """Ideas (None: all) submitted in the period answered within the promise, counted as the
    home page counts them (``ideas.submissions.promise.response_counts``)."""
    if idea_ids is not None and not idea_ids:
        return Responses()
    since, until = _bounds(start, end)
    ideas, on_time, due = idea_promise.response_counts(
        session, working_days, since, until, idea_ids, today
    )
    return Responses(ideas, on_time, due)


@dataclass(frozen=True)
class _Scope:
    start: date
    end: date
    min_group_size: int
    effect_days: int
    working_days: int
    now: datetime


def _module_lines(session: Session, about: list[CoachingModule], scope: _Scope) -> list[ModuleLine]:
    # The effect as it stood at the end of the period: later completions do not count.
    as_of = min(_bounds(scope.start, scope.end)[1], scope.now)
    return [
        ModuleLine(
            m.id,
            m.title,
            m.latest_version,
            module_effect(
                session,
                m.id,
                min_group_size=scope.min_group_size,
                days=scope.effect_days,
                now=as_of,
            ),
        )
        for m in about
        if m.id is not None
    ]


def _row(session: Session, theme: Theme, scope: _Scope) -> ThemeRow:
    assert theme.id is not None
    evidence = _evidence(session, theme.id, *_bounds(scope.start, scope.end))
    about = module_queries.for_theme(session, theme.id, with_merged=True)
    today = scope.now.date()
    idea_ids = theme_queries.member_ids(session, theme.id, DocumentKind.idea)
    return ThemeRow(
        theme_id=theme.id,
        name=display_label(theme).name,  # in the reader's language where it can be
        status=theme.status.label,
        ideas=evidence.get(DocumentKind.idea.value, 0),
        gaps=evidence.get(DocumentKind.gap.value, 0),
        plan=_plan(session, theme.id),
        modules=_module_lines(session, about, scope),
        guides=_guides(session, theme.id),
        completion=completion(
            session, [m.id for m in about if m.id], scope.start, scope.end, today
        ),
        responses=responses(session, idea_ids, scope.start, scope.end, scope.working_days, today),
    )


def build(
    session: Session,
    *,
    start: date,
    end: date,
    min_group_size: int,
    effect_days: int,
    working_days: int,
    now: datetime | None = None,
) -> Report:
    """The report for [start, end] (dates, both included), for every live theme."""
    now = as_utc(now) if now else utcnow()
    scope = _Scope(start, end, min_group_size, effect_days, working_days, now)
    live = theme_queries.list_themes(session, states=(ThemeState.active, ThemeState.faded))
    return Report(
        start=start,
        end=end,
        generated_at=now,
        min_group_size=min_group_size,
        effect_days=effect_days,
        working_days=working_days,
        rows=sorted((_row(session, theme, scope) for theme in live), key=_acted_on_first),
        overall=responses(session, None, start, end, working_days, now.date()),
    )


def _acted_on_first(row: ThemeRow) -> tuple[bool, int, int]:
    """Themes with a plan, module or guide first (what was done), then by evidence size."""
    acted = row.plan is not None or bool(row.modules) or bool(row.guides)
    return (not acted, -(row.ideas + row.gaps), row.theme_id)
