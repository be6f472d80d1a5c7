"""The theme pages' data: the list with trends, sparklines and the unthemed share (and the run
progress it polls), the unthemed ideas, and one theme's evidence from both sources."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from babel.dates import format_skeleton
from sqlmodel import Session, col, select

from api.pages.forms import Errors, Values
from api.presentation import ChartConfig, sparkline_chart, theme_trend_chart
from coaching.guides import queries as guide_queries
from coaching.guides.models import Guide
from coaching.interactions import actions, evidence
from coaching.interactions.evidence import GapMember, Outcomes, TeamTouched
from coaching.interactions.remediation import ActionStats
from coaching.modules import effect
from coaching.modules import queries as module_queries
from coaching.modules.effect import Effect
from coaching.modules.models import CoachingModule
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.embeddings import embedding_model_name
from foundation.i18n import N_, babel_locale, gettext
from foundation.ids import pk
from foundation.settings import Settings
from ideas.submissions import queries as idea_queries
from ideas.submissions.models import Idea
from ideas.themes import area_runs, duty
from ideas.themes import queries as theme_queries
from ideas.themes.duty import DutyOutcome
from ideas.themes.explain import CLOSE, Explanation, explain
from ideas.themes.models import (
    ActionPlan,
    DocumentKind,
    PlanStatus,
    Theme,
    ThemeArea,
    ThemeEvent,
    ThemeMember,
    ThemeRun,
    ThemeState,
    ThemeStatus,
)
from ideas.themes.naming import DisplayLabel, display_label, display_labels, display_names
from ideas.themes.vectors import JOIN_THRESHOLD
from jobs import service as jobs
from jobs.models import Job


class Choices(Mapping[str, str]):
    """A list's choices, key -> English label (marked): a label is translated as it is read, so
    the page shows them in the request's locale."""

    def __init__(self, labels: dict[str, str]) -> None:
        self._labels = labels

    def __getitem__(self, key: str) -> str:
        return gettext(self._labels[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._labels)

    def __len__(self) -> int:
        return len(self._labels)


SORTS = Choices({"size": N_("Size"), "growth": N_("Growth (last 4 weeks)")})
VIEWS = Choices({"active": N_("Current"), "faded": N_("Faded"), "dismissed": N_("Dismissed")})
WEEKS = 12
MEMBERS_SHOWN = 20
UNTHEMED_PAGE_SIZE = 50
CLUSTER_JOB = "themes.cluster"

# How many documents no theme took, and their share of all documents (``unthemed_count``).
Unthemed = tuple[int, float]


def week_labels(weeks: int = WEEKS) -> list[str]:
    """Chart labels: each week's first day as the locale writes a short date ("5 Jan", "1月5日")."""
    start = utcnow() - timedelta(weeks=weeks)
    return list(_week_labels(start.date(), weeks, str(babel_locale())))


@lru_cache(maxsize=64)
def _week_labels(start: date, weeks: int, locale: str) -> tuple[str, ...]:
    # Made once a day per locale: the list draws a chart per theme, and each label costs babel
    # about 0.2 ms (bench/theme_job.py).
    return tuple(
        format_skeleton("MMMd", start + timedelta(weeks=i), locale=locale) for i in range(weeks)
    )


# --------------------------------------------------------------------------- the run status
@dataclass(frozen=True)
class RunStatus:
    """The clustering job in progress (if any) and the latest finished run."""

    job: Job | None
    run: ThemeRun | None


def run_status(session: Session) -> RunStatus:
    return RunStatus(job=jobs.pending(session, CLUSTER_JOB), run=theme_queries.latest_run(session))


# ------------------------------------------------------------------------------- the list
@dataclass(frozen=True)
class AreaRow:
    """One area as the list shows it: its active themes' counts and weekly trend."""

    area: ThemeArea
    label: DisplayLabel
    themes: int
    ideas: int
    gaps: int
    trend: list[int]  # weekly members, oldest week first
    sparkline: ChartConfig
    growth: int


def area_rows(session: Session, active: list[Theme]) -> list[AreaRow]:
    """The active areas, largest first, with what their active themes hold."""
    found = area_runs.active_areas(session)
    trends = area_runs.weekly_counts(session, [pk(a) for a in found], weeks=WEEKS)
    rows = []
    for area in found:
        mine = [t for t in active if t.area_id == area.id]
        trend = trends[pk(area)]
        rows.append(
            AreaRow(
                area=area,
                label=area_runs.area_label(area),
                themes=len(mine),
                ideas=sum(t.idea_count for t in mine),
                gaps=sum(t.gap_count for t in mine),
                trend=trend,
                sparkline=sparkline_chart(week_labels(len(trend)), trend),
                growth=theme_queries.growth(trend),
            )
        )
    return rows


@dataclass(frozen=True)
class ThemeListPage(RunStatus):
    themes: list[Theme]
    trends: Mapping[int, list[int]]  # weekly members by theme id, oldest week first
    sparklines: Mapping[int, ChartConfig]
    growth: Mapping[int, int]
    teams: Mapping[int, tuple[list[TeamTouched], int]]
    sort: str
    sorts: Mapping[str, str]
    view: str
    views: Mapping[str, str]
    unthemed: Unthemed
    min_group_size: int
    # Each theme's name and keywords in the viewer's language where it has enough members
    # written in it (``ideas.themes.naming``), by theme id.
    labels: Mapping[int, DisplayLabel]
    areas: list[AreaRow]  # empty when there are too few themes for areas
    area: AreaRow | None  # the area the themes are filtered to


def _shown(session: Session, view: str, listed: list[Theme]) -> list[Theme]:
    """The themes of ``view``; ``listed`` are the active ones."""
    if view == "faded":
        return theme_queries.list_themes(session, states=[ThemeState.faded])
    dismissed = [t for t in listed if t.status == ThemeStatus.dismissed]
    return dismissed if view == "dismissed" else [t for t in listed if t not in dismissed]


def _chosen_area(session: Session, rows: list[AreaRow], area_id: int | None) -> AreaRow | None:
    """The row of the area the list is filtered to (NotFound for an unknown id; a faded area
    shows with no themes)."""
    if area_id is None:
        return None
    area = area_runs.get_area(session, area_id)
    found = next((r for r in rows if r.area.id == area.id), None)
    empty = [0] * WEEKS
    chart = sparkline_chart(week_labels(), empty)
    return found or AreaRow(area, area_runs.area_label(area), 0, 0, 0, empty, chart, 0)


def theme_list_page(
    session: Session, settings: Settings, sort: str, view: str, area_id: int | None = None
) -> ThemeListPage:
    """The themes of one view (current, faded, dismissed), by size or by growth, optionally of
    one area, under the areas; an unknown sort or view falls back to the default."""
    sort = sort if sort in SORTS else "size"
    view = view if view in VIEWS else "active"
    listed = theme_queries.list_themes(session)  # read once: the areas and the list share it
    areas = area_rows(session, listed)
    area = _chosen_area(session, areas, area_id)
    shown = _shown(session, view, listed)
    if area is not None:
        shown = [t for t in shown if t.area_id == area.area.id]
    ids = [t.id for t in shown if t.id is not None]
    trends = theme_queries.weekly_counts(session, ids, weeks=WEEKS)
    if sort == "growth":
        shown.sort(key=lambda t: (-theme_queries.growth(trends[pk(t)]), -t.size, pk(t)))
    status = run_status(session)
    return ThemeListPage(
        job=status.job,
        run=status.run,
        themes=shown,
        trends=trends,
        sparklines={i: sparkline_chart(week_labels(len(s)), s) for i, s in trends.items()},
        growth={i: theme_queries.growth(series) for i, series in trends.items()},
        teams=evidence.teams_touched(session, ids, settings.min_group_size),
        sort=sort,
        sorts=SORTS,
        view=view,
        views=VIEWS,
        unthemed=theme_queries.unthemed_count(status.run),
        min_group_size=settings.min_group_size,
        labels=display_labels(shown),
        areas=areas,
        area=area,
    )


# ------------------------------------------------------------------------ unthemed ideas
@dataclass(frozen=True)
class UnthemedPage:
    """Visible ideas that no theme took (the gap side is counted, not listed: it is large)."""

    ideas: list[Idea]
    page: int
    run: ThemeRun | None
    unthemed: Unthemed


def unthemed_page(session: Session, page: int) -> UnthemedPage:
    # Members staged in a run's pending themes are not themed yet.
    member = (
        select(ThemeMember.source_id)
        .join(Theme, col(Theme.id) == ThemeMember.theme_id)
        .where(ThemeMember.kind == DocumentKind.idea, Theme.state != ThemeState.pending)
    )
    query = select(Idea).where(
        col(Idea.hidden_reason).is_(None),
        col(Idea.merged_into_id).is_(None),
        col(Idea.id).not_in(member),
    )
    newest = query.order_by(col(Idea.created_at).desc())
    offset = (page - 1) * UNTHEMED_PAGE_SIZE
    ideas = list(session.exec(newest.offset(offset).limit(UNTHEMED_PAGE_SIZE)))
    run = theme_queries.latest_run(session)
    return UnthemedPage(ideas=ideas, page=page, run=run, unthemed=theme_queries.unthemed_count(run))


# ---------------------------------------------------------------------------- one theme
@dataclass(frozen=True)
class ThemePage:
    theme: Theme
    ideas: list[Idea]  # the first MEMBERS_SHOWN idea members
    idea_total: int
    gaps: list[GapMember]
    gap_total: int
    trend_chart: ChartConfig
    trend_rows: list[tuple[str, int, int]]  # week, ideas, gap evidence
    inside: Outcomes
    outside: Outcomes
    enough: bool  # enough agents inside the theme to show its outcomes
    remedies: list[ActionStats]
    action_names: Mapping[str, str]  # each remedy's action code in plain words
    vulnerability: int
    teams: tuple[list[TeamTouched], int]
    history: list[ThemeEvent]
    names: Mapping[int, str]
    plan: ActionPlan | None
    leads: list[User]  # who may own the action plan
    others: list[Theme]  # what it can be merged into
    merged_into: Theme | None
    split_from: Theme | None
    children: list[Theme]
    statuses: type[ThemeStatus]
    plan_statuses: type[PlanStatus]
    min_group_size: int
    modules: list[CoachingModule]
    guides: list[Guide]
    effects: list[tuple[CoachingModule, Effect]]
    label: DisplayLabel  # the theme's name and keywords as this viewer sees them
    # Why each shown idea is in the theme (``ideas.themes.explain``), by idea id; ideas without
    # a stored vector have none.
    why: Mapping[int, Explanation]
    # Display names of the other themes on the page (merged into, split from, children, and
    # those it can be merged into), by theme id.
    theme_names: Mapping[int, str]
    why_levels: tuple[float, float] = (CLOSE, JOIN_THRESHOLD)  # close and good match from
    errors: Errors = field(default_factory=dict)  # the action plan form's, when refused
    values: Values = field(default_factory=dict)
    area: ThemeArea | None = None  # the area the theme is in, and its name as the viewer sees it
    area_label: DisplayLabel | None = None
    # The Consumer Duty outcome suggested from the evidence, beside the CX lead's choice.
    duty_suggestion: DutyOutcome = DutyOutcome.support
    duty_outcomes: type[DutyOutcome] = DutyOutcome


def _leads(session: Session) -> list[User]:
    query = (
        select(User)
        .where(col(User.role).in_([Role.cx_lead, Role.admin]), col(User.is_active))
        .order_by(User.display_name)
    )
    return list(session.exec(query).all())


def _corpus(settings: Settings) -> evidence.Corpus:
    # The stored vectors' model by name: the page never loads the model.
    return evidence.Corpus(embedding_model_name(settings))


def _idea_members(session: Session, theme_id: int) -> tuple[list[Idea], int]:
    idea_ids = theme_queries.member_ids(session, theme_id, DocumentKind.idea)
    shown = idea_ids[:MEMBERS_SHOWN]
    ideas = {i.id: i for i in session.exec(select(Idea).where(col(Idea.id).in_(shown)))}
    return [ideas[i] for i in shown if i in ideas], len(idea_ids)


def theme_page(
    session: Session,
    settings: Settings,
    theme: Theme,
    errors: Errors | None = None,
    values: Values | None = None,
) -> ThemePage:
    assert theme.id is not None
    ideas, idea_total = _idea_members(session, theme.id)
    gaps, gap_total = evidence.gap_members(session, theme.id, limit=MEMBERS_SHOWN)
    by_kind = theme_queries.weekly_counts_by_kind(session, theme.id, weeks=WEEKS)
    inside = evidence.outcomes(session, theme.id, inside=True)
    outside = evidence.outcomes(session, theme.id, inside=False)
    plan = theme_queries.get_plan(session, theme.id)
    history = theme_queries.history(session, theme.id)
    leads = _leads(session)
    others = [t for t in theme_queries.list_themes(session) if t.id != theme.id]
    labels = week_labels()
    idea_weeks, gap_weeks = by_kind[DocumentKind.idea], by_kind[DocumentKind.gap]
    min_group = settings.min_group_size
    merged_into = session.get(Theme, theme.merged_into_id) if theme.merged_into_id else None
    split_from = session.get(Theme, theme.split_from_id) if theme.split_from_id else None
    children = list(session.exec(select(Theme).where(Theme.split_from_id == theme.id)).all())
    related = [t for t in (merged_into, split_from) if t is not None] + children + others
    area = session.get(ThemeArea, theme.area_id) if theme.area_id else None
    vulnerability = evidence.vulnerability_signals(session, theme.id)
    remedies = evidence.remediation(session, theme.id, min_group)
    share = vulnerability / theme.gap_count if theme.gap_count else 0.0
    return ThemePage(
        theme=theme,
        ideas=ideas,
        idea_total=idea_total,
        gaps=gaps,
        gap_total=gap_total,
        trend_chart=theme_trend_chart(labels, idea_weeks, gap_weeks),
        trend_rows=list(zip(labels, idea_weeks, gap_weeks, strict=True)),
        inside=inside,
        outside=outside,
        enough=inside.agents >= min_group,
        remedies=remedies,
        action_names=actions.plain(session, [r.action for r in remedies]),
        vulnerability=vulnerability,
        teams=evidence.teams_touched(session, [theme.id], min_group)[theme.id],
        history=history,
        names=idea_queries.display_names(session, {e.by_id for e in history}),
        plan=plan,
        leads=leads,
        others=others,
        merged_into=merged_into,
        split_from=split_from,
        children=children,
        statuses=ThemeStatus,
        plan_statuses=PlanStatus,
        min_group_size=min_group,
        modules=module_queries.for_theme(session, theme.id),
        guides=guide_queries.for_theme(session, theme.id),
        effects=effect.theme_effects(
            session, theme.id, min_group_size=min_group, days=settings.coaching_effect_days
        ),
        label=display_label(theme),
        why=explain(session, theme, [pk(i) for i in ideas], _corpus(settings)),
        theme_names=display_names(related),
        errors=errors or {},
        values=values or {},
        area=area,
        area_label=area_runs.area_label(area) if area else None,
        duty_suggestion=duty.suggest(theme.name, theme.keywords, share),
    )
