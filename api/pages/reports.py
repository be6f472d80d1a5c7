"""The outcomes reports: the list of generated reports with the form to generate one, and one
frozen report (its summary, a section per acted-on theme, the rest in brief), whose charts are
SVG drawn here so the page and its PDF show the same (see ``coaching.reports``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from babel.dates import format_skeleton
from markupsafe import Markup
from sqlmodel import Session

from api import presentation_svg as svg
from api.pages.forms import Errors
from coaching.modules.effect import Effect
from coaching.reports import queries as report_queries
from coaching.reports.content import ModuleLine, OutcomeSummary, Report, ThemeRow
from coaching.reports.models import ReportSnapshot
from foundation.accounts import User
from foundation.i18n import babel_locale, gettext
from ideas.themes.duty import DutyOutcome


# ------------------------------------------------------------------------------ the list
@dataclass(frozen=True)
class SnapshotLine:
    id: int
    start: date
    end: date
    version: int
    generated_at: datetime
    generated_by: str | None
    contacts: int
    ideas: int


@dataclass(frozen=True)
class ReportsPage:
    snapshots: list[SnapshotLine]
    values: Mapping[str, str]  # the period form's start and end
    errors: Errors = field(default_factory=dict)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    found = {}
    for user_id in ids:
        if user_id is not None and (user := session.get(User, user_id)) is not None:
            found[user_id] = user.display_name
    return found


def reports_page(
    session: Session, values: Mapping[str, str] | None = None, errors: Errors | None = None
) -> ReportsPage:
    """Generated reports, newest first, and the form (last full month unless typed)."""
    rows = report_queries.snapshots(session)
    names = _names(session, {s.generated_by_id for s in rows})
    start, end = report_queries.default_period()
    return ReportsPage(
        snapshots=[
            SnapshotLine(
                id=s.id,
                start=s.period_start,
                end=s.period_end,
                version=s.version,
                generated_at=s.generated_at,
                generated_by=names.get(s.generated_by_id) if s.generated_by_id else None,
                contacts=int(s.source.get("contacts", 0)),
                ideas=int(s.source.get("ideas", 0)),
            )
            for s in rows
            if s.id is not None
        ],
        values=values or {"start": start.isoformat(), "end": end.isoformat()},
        errors=errors or {},
    )


# ------------------------------------------------------------------------------ one report
@dataclass(frozen=True)
class EffectSection:
    module: ModuleLine
    figures: Effect
    chart: Markup | None  # the event study, when there is an estimate


@dataclass(frozen=True)
class ThemeSection:
    row: ThemeRow
    trend: Markup
    effects: list[EffectSection]


@dataclass(frozen=True)
class OutcomeGroup:
    summary: OutcomeSummary
    unacted: list[ThemeRow]  # its themes with evidence but no action, largest first


@dataclass(frozen=True)
class SnapshotPage:
    snapshot: ReportSnapshot
    report: Report
    generated_by: str | None
    outcome_chart: Markup
    vulnerable_chart: Markup
    sections: list[ThemeSection]
    outcomes: list[OutcomeGroup]
    duty_outcomes: type[DutyOutcome] = DutyOutcome
    printing: bool = False  # the PDF: no forms, no links out


def _week_labels(report: Report) -> list[str]:
    return [format_skeleton("dMMM", w, locale=babel_locale()) for w in report.weeks]


def _effects(row: ThemeRow) -> list[EffectSection]:
    found = []
    for module in row.modules:
        figures = module.figures
        chart = None
        if figures.enough and figures.weeks:
            chart = svg.event_study_chart(
                figures.weeks,
                title=gettext("Coaching effect of %(title)s, week by week")
                % {"title": module.title},
            )
        found.append(EffectSection(module, figures, chart))
    return found


def _section(report: Report, row: ThemeRow) -> ThemeSection:
    trend = svg.weekly_chart(
        _week_labels(report),
        [float(v) for v in row.weekly],
        title=gettext("%(theme)s: ideas and contacts with gap evidence per week")
        % {"theme": row.name},
        y_label=gettext("Ideas and contacts"),
        height=170,
    )
    return ThemeSection(row, trend, _effects(row))


def snapshot_page(
    session: Session, snapshot: ReportSnapshot, *, printing: bool = False
) -> SnapshotPage:
    """One generated report, exactly as it was generated."""
    report = report_queries.snapshot_report(snapshot)
    by = _names(session, {snapshot.generated_by_id}).get(snapshot.generated_by_id or 0)
    outcomes = report.outcomes
    outcome_chart = svg.hbar_chart(
        [(o.outcome.label, float(o.evidence)) for o in outcomes],
        title=gettext("Evidence under each Consumer Duty outcome"),
        x_label=gettext("Ideas and contacts with gap evidence in the period"),
    )
    vulnerable_chart = svg.weekly_chart(
        _week_labels(report),
        [float(v) for v in report.vulnerable_weekly],
        title=gettext("Vulnerability signals missed per week"),
        y_label=gettext("Signals missed"),
        line=True,
        height=170,
    )
    unacted = report.unacted
    return SnapshotPage(
        snapshot=snapshot,
        report=report,
        generated_by=by,
        outcome_chart=outcome_chart,
        vulnerable_chart=vulnerable_chart,
        sections=[_section(report, r) for r in report.acted],
        outcomes=[OutcomeGroup(o, [r for r in unacted if r.duty == o.outcome]) for o in outcomes],
        printing=printing,
    )


def filename(snapshot: ReportSnapshot, extension: str) -> str:
    """A dated download name: the period, the version and the generation day."""
    return (
        f"voiceloop-outcomes-{snapshot.period_start.isoformat()}-to-"
        f"{snapshot.period_end.isoformat()}-v{snapshot.version}-"
        f"generated-{snapshot.generated_at.date().isoformat()}.{extension}"
    )
