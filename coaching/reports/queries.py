"""The outcomes evidence report: for a period, each live theme with its Consumer Duty outcome,
its evidence and trend, what was done about it (action plan, coaching modules, guides),
coaching completion and effect, and how fast its ideas were answered; plus the overall idea
response line and the missed vulnerability signals week by week. It is what a firm shows its
board and its regulator under the Consumer Duty; it is built once and stored whole in a
snapshot (``coaching.reports.service``), and shown from there (``content.Report``).

Counts of ideas, interactions and assignments are shown whatever their size; the coaching effect
(a rate across people) follows the minimum group size through ``coaching.modules.effect``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.guides import queries as guide_queries
from coaching.interactions.models import Interaction, Signal, SignalKind
from coaching.modules import queries as module_queries
from coaching.modules import snapshots as effect_snapshots
from coaching.modules.models import Assignment, CoachingModule
from coaching.reports.content import (
    Completion,
    GuideLine,
    ModuleLine,
    Plan,
    Report,
    Responses,
    Source,
    ThemeRow,
)
from coaching.reports.models import ReportSnapshot
from foundation.accounts import User
from foundation.clock import as_utc, utcnow
from foundation.errors import Invalid, NotFound
from foundation.i18n import N_
from ideas.submissions import promise as idea_promise
from ideas.submissions.models import Idea
from ideas.themes import duty
from ideas.themes import queries as theme_queries
from ideas.themes.models import DocumentKind, Theme, ThemeMember, ThemeState
from ideas.themes.naming import display_label

MAX_DAYS = 3660  # ten years: a longer period is a typo


# ------------------------------------------------------------------------------- the period
def default_period(today: date | None = None) -> tuple[date, date]:
    """The last full calendar month before today."""
    today = today or utcnow().date()
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def parse_period(
    start: str | None, end: str | None, today: date | None = None
) -> tuple[date, date]:
    """Dates from a form (blank: the default period); ``Invalid`` names the field."""
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


def weeks_of(start: date, end: date) -> list[date]:
    """The Mondays of the weeks the period touches."""
    first = start - timedelta(days=start.weekday())
    return [first + timedelta(weeks=i) for i in range((end - first).days // 7 + 1)]


def _week_index(when: datetime, weeks: list[date]) -> int:
    return (as_utc(when).date() - weeks[0]).days // 7


# ------------------------------------------------------------------------------ the figures
def _evidence(
    session: Session, since: datetime, until: datetime, weeks: list[date]
) -> dict[int, tuple[Counter[str], list[int]]]:
    """Per theme: members in the period by kind, and per week."""
    query = select(ThemeMember.theme_id, ThemeMember.kind, ThemeMember.occurred_at).where(
        col(ThemeMember.occurred_at) >= since, col(ThemeMember.occurred_at) < until
    )
    found: dict[int, tuple[Counter[str], list[int]]] = {}
    for theme_id, kind, occurred_at in session.exec(query):
        kinds, weekly = found.setdefault(theme_id, (Counter(), [0] * len(weeks)))
        kinds[DocumentKind(kind).value] += 1
        weekly[_week_index(occurred_at, weeks)] += 1
    return found


def _missed_vulnerability(
    session: Session, since: datetime, until: datetime, weeks: list[date]
) -> tuple[list[int], Counter[int]]:
    """Missed vulnerability signals on contacts dated in the period: per week, and per theme
    whose gap evidence the contact is."""
    query = (
        select(Interaction.occurred_at, ThemeMember.theme_id)
        .join(Signal, col(Signal.interaction_id) == col(Interaction.id))
        .outerjoin(
            ThemeMember,
            (col(ThemeMember.source_id) == col(Interaction.id))
            & (col(ThemeMember.kind) == DocumentKind.gap),
        )
        .where(
            Signal.kind == SignalKind.missed_vulnerability,
            col(Interaction.occurred_at) >= since,
            col(Interaction.occurred_at) < until,
        )
    )
    weekly, by_theme = [0] * len(weeks), Counter[int]()
    for occurred_at, theme_id in session.exec(query):
        weekly[_week_index(occurred_at, weeks)] += 1
        if theme_id is not None:
            by_theme[theme_id] += 1
    return weekly, by_theme


def vulnerability_shares(session: Session, themes: list[Theme]) -> dict[int, float]:
    """Each theme's share of gap evidence with a missed vulnerability signal (all time)."""
    query = (
        select(ThemeMember.theme_id, func.count(func.distinct(col(Signal.interaction_id))))
        .join(Signal, col(Signal.interaction_id) == col(ThemeMember.source_id))
        .where(
            ThemeMember.kind == DocumentKind.gap,
            Signal.kind == SignalKind.missed_vulnerability,
            col(ThemeMember.theme_id).in_([t.id for t in themes]),
        )
        .group_by(col(ThemeMember.theme_id))
    )
    counts = dict(session.exec(query).all())
    return {
        t.id: counts.get(t.id, 0) / t.gap_count if t.gap_count else 0.0
        for t in themes
        if t.id is not None
    }


def duty_of(theme: Theme, vulnerability_share: float) -> tuple[duty.DutyOutcome, bool]:
    """The theme's outcome, and whether a CX lead chose it (else it is the suggestion)."""
    if theme.duty_outcome is not None:
        return theme.duty_outcome, True
    return duty.suggest(theme.name, theme.keywords, vulnerability_share), False


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


def _source(session: Session, start: date, end: date, themes: int) -> Source:
    since, until = _bounds(start, end)
    imported = session.exec(select(func.max(Interaction.created_at))).one()
    contacts = session.exec(
        select(func.count()).where(
            col(Interaction.occurred_at) >= since, col(Interaction.occurred_at) < until
        )
    ).one()
    ideas = session.exec(
        select(func.count()).where(col(Idea.created_at) >= since, col(Idea.created_at) < until)
    ).one()
    return Source(as_utc(imported) if imported else None, int(contacts), int(ideas), themes)


@dataclass(frozen=True)
class _Scope:
    start: date
    end: date
    min_group_size: int
    effect_days: int
    working_days: int
    now: datetime
    user_id: int | None
    weeks: list[date]


def _module_lines(session: Session, about: list[CoachingModule], scope: _Scope) -> list[ModuleLine]:
    lines = []
    for m in about:
        if m.id is None:
            continue
        stored = effect_snapshots.period_effect(
            session,
            m.id,
            start=scope.start,
            end=scope.end,
            min_group_size=scope.min_group_size,
            days=scope.effect_days,
            user_id=scope.user_id,
            now=scope.now,
        )
        lines.append(ModuleLine(m.id, m.title, m.latest_version, stored.effect.to_json()))
    return lines


def _row(
    session: Session,
    theme: Theme,
    scope: _Scope,
    evidence: tuple[Counter[str], list[int]] | None,
    vulnerable: int,
    share: float,
) -> ThemeRow:
    assert theme.id is not None
    kinds, weekly = evidence or (Counter[str](), [0] * len(scope.weeks))
    about = module_queries.for_theme(session, theme.id, with_merged=True)
    today = scope.now.date()
    idea_ids = theme_queries.member_ids(session, theme.id, DocumentKind.idea)
    outcome, chosen = duty_of(theme, share)
    return ThemeRow(
        theme_id=theme.id,
        name=display_label(theme).name,  # in the generating lead's language where it can be
        status=theme.status,
        duty=outcome,
        duty_chosen=chosen,
        ideas=kinds[DocumentKind.idea.value],
        gaps=kinds[DocumentKind.gap.value],
        plan=_plan(session, theme.id),
        modules=_module_lines(session, about, scope),
        guides=_guides(session, theme.id),
        completion=completion(
            session, [m.id for m in about if m.id], scope.start, scope.end, today
        ),
        responses=responses(session, idea_ids, scope.start, scope.end, scope.working_days, today),
        weekly=weekly,
        vulnerable=vulnerable,
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
    user_id: int | None = None,
) -> Report:
    """The report for [start, end] (dates, both included), for every live theme."""
    now = as_utc(now) if now else utcnow()
    weeks = weeks_of(start, end)
    scope = _Scope(start, end, min_group_size, effect_days, working_days, now, user_id, weeks)
    live = theme_queries.list_themes(session, states=(ThemeState.active, ThemeState.faded))
    since, until = _bounds(start, end)
    evidence = _evidence(session, since, until, weeks)
    vulnerable_weekly, vulnerable = _missed_vulnerability(session, since, until, weeks)
    shares = vulnerability_shares(session, live)
    rows = [
        _row(session, t, scope, evidence.get(pk), vulnerable[pk], shares.get(pk, 0.0))
        for t in live
        if (pk := t.id) is not None
    ]
    return Report(
        start=start,
        end=end,
        generated_at=now,
        min_group_size=min_group_size,
        effect_days=effect_days,
        working_days=working_days,
        rows=sorted(rows, key=_acted_on_first),
        overall=responses(session, None, start, end, working_days, now.date()),
        source=_source(session, start, end, len(live)),
        weeks=weeks,
        vulnerable_weekly=vulnerable_weekly,
    )


def _acted_on_first(row: ThemeRow) -> tuple[bool, int, int]:
    """Themes with a plan, module or guide first (what was done), then by evidence size."""
    return (not row.acted_on, -row.size, row.theme_id)


# ------------------------------------------------------------------------------ snapshots
def snapshots(session: Session, limit: int = 200) -> list[ReportSnapshot]:
    """Generated reports, newest first."""
    query = select(ReportSnapshot).order_by(
        col(ReportSnapshot.generated_at).desc(), col(ReportSnapshot.id).desc()
    )
    return list(session.exec(query.limit(limit)))


def get_snapshot(session: Session, snapshot_id: int) -> ReportSnapshot:
    snapshot = session.get(ReportSnapshot, snapshot_id)
    if snapshot is None:
        raise NotFound(N_("No such report."))
    return snapshot


def snapshot_report(snapshot: ReportSnapshot) -> Report:
    """The report exactly as it was generated."""
    return Report.from_json(snapshot.content)
