"""How the web layer shows domain figures: Chart.js configurations (for ``data-chart``), CSV
downloads and highlighted text. Domain code returns numbers and rows; only this module turns
them into chart JSON, CSV text or markup.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import NotRequired, TypedDict

from markupsafe import Markup, escape

from coaching.guides.search import query_pattern
from coaching.interactions.models import ImportProblem, SignalKind
from coaching.interactions.queries import KindRate, WeeklySeries
from coaching.reports.content import ModuleLine, Report, Responses, ThemeRow
from foundation.i18n import N_, gettext

PER_100 = N_("Signals per 100 interactions")


# --- charts: the Chart.js configurations a page model holds (JSON-ready, for ``data-chart``) ---
class ChartDataset(TypedDict):
    data: Sequence[float | None]  # None: no figure that week (a gap in the line)
    label: NotRequired[str]
    borderWidth: NotRequired[int]
    fill: NotRequired[bool]
    tension: NotRequired[float]
    spanGaps: NotRequired[bool]


class ChartConfig(TypedDict):
    type: str
    labels: list[str]
    datasets: list[ChartDataset]
    options: NotRequired[Mapping[str, object]]


def sparkline_chart(labels: list[str], series: list[int]) -> ChartConfig:
    """A theme's weekly members as a small line (the theme list)."""
    return {
        "type": "line",
        "labels": labels,
        "datasets": [{"data": series, "borderWidth": 2, "fill": False, "tension": 0.3}],
    }


def theme_trend_chart(labels: list[str], ideas: list[int], gaps: list[int]) -> ChartConfig:
    """A theme's weekly ideas and gap evidence as stacked bars (the theme's page)."""
    return {
        "type": "bar",
        "labels": labels,
        "datasets": [
            {"label": gettext("Ideas"), "data": ideas},
            {"label": gettext("Gap evidence"), "data": gaps},
        ],
        "options": {
            "scales": {"x": {"stacked": True}, "y": {"stacked": True, "beginAtZero": True}}
        },
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def gap_kinds_chart(rows: Sequence[KindRate]) -> ChartConfig:
    """Gap signals per 100 interactions, one bar per kind (the gaps page)."""
    return {
        "type": "bar",
        "labels": [r.kind.label for r in rows],
        "datasets": [{"label": gettext(PER_100), "data": [_round(r.rate) for r in rows]}],
        "options": {
            "plugins": {"legend": {"display": False}},
            "scales": {"y": {"beginAtZero": True}},
        },
    }


def gap_weekly_chart(series: WeeklySeries, shown: Sequence[SignalKind]) -> ChartConfig:
    """Each shown kind's weekly rate as a line, with gaps where a week was withheld."""
    return {
        "type": "line",
        "labels": [w.isoformat() for w in series.weeks],
        "datasets": [
            {"label": k.label, "data": [_round(v) for v in series.rates[k]], "spanGaps": False}
            for k in shown
        ],
        "options": {
            "scales": {
                "y": {
                    "beginAtZero": True,
                    "title": {"display": True, "text": gettext(PER_100)},
                },
                "x": {"title": {"display": True, "text": gettext("Week starting (Monday)")}},
            }
        },
    }


# --- coaching: charts, CSV and highlighting of coaching figures ---
def highlight(text: str, query: str) -> Markup:
    """``text`` escaped, with the words that match the query's terms wrapped in <mark>.
    Splitting the raw text first and escaping every piece means no markup from the text (or
    an entity the escaping made) can be matched or survive."""
    pattern = query_pattern(query)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(str(escape(text[last : match.start()])))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))  # noqa: S704 - every piece escaped above


def problems_csv(problems: Iterable[ImportProblem]) -> str:
    """The downloadable error report of an import: line, field, reason."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "field", "reason"])
    for p in problems:
        writer.writerow([p.line, p.field or "", p.reason])
    return out.getvalue()


# The outcomes report's columns, in plain words (translated when the CSV is written).
REPORT_CSV_FIELDS = [
    N_("Theme"),
    N_("Consumer Duty outcome"),
    N_("Outcome chosen by"),
    N_("Review"),
    N_("Ideas in the period"),
    N_("Contacts with gap evidence in the period"),
    N_("Vulnerability signals missed"),
    N_("Action plan"),
    N_("Plan owner"),
    N_("Plan due"),
    N_("Coaching modules"),
    N_("Best-practice guides"),
    N_("Agents assigned coaching"),
    N_("Agents who completed it"),
    N_("Assignments overdue"),
    N_("Coaching effect"),
    N_("Ideas submitted"),
    N_("Answered within the promise"),
    N_("Answers due"),
    N_("Share answered within the promise"),
]


def effect_text(line: ModuleLine) -> str:
    """One module's effect in a cell: the estimate and interval, or why there is none."""
    e = line.figures
    if not e.enough or e.estimate is None or e.low is None or e.high is None:
        return gettext("%(title)s: not enough data") % {"title": line.title}
    text = gettext(
        "%(title)s: %(estimate)s gap signals per 100 contacts against the path expected "
        "without coaching (95%% interval %(low)s to %(high)s; %(coached)s coached and "
        "%(others)s comparison agents)"
    )
    return text % {
        "title": line.title,
        "estimate": f"{e.estimate:+.1f}",
        "low": f"{e.low:+.1f}",
        "high": f"{e.high:+.1f}",
        "coached": e.coached_agents,
        "others": e.comparison_agents,
    }


def _report_share(responses: Responses) -> str:
    return "" if responses.share is None else f"{responses.share:.0%}"


def _report_row(row: ThemeRow) -> list[object]:
    plan = row.plan
    return [
        row.name,
        row.duty.label,
        gettext("a CX lead") if row.duty_chosen else gettext("suggested from the evidence"),
        row.status.label,
        row.ideas,
        row.gaps,
        row.vulnerable,
        plan.status.label if plan else gettext("no plan"),
        (plan.owner or "") if plan else "",
        plan.due.isoformat() if plan and plan.due else "",
        "; ".join(
            gettext("%(title)s, version %(number)s") % {"title": m.title, "number": m.version}
            if m.version
            else m.title
            for m in row.modules
        ),
        "; ".join(f"{g.title} ({g.status.label.lower()})" for g in row.guides),
        row.completion.assigned,
        row.completion.completed,
        row.completion.overdue,
        "; ".join(effect_text(m) for m in row.modules),
        row.responses.ideas,
        row.responses.on_time,
        row.responses.due,
        _report_share(row.responses),
    ]


def report_csv(report: Report) -> str:
    """One line per theme and a last "All ideas" line, under plain column names; every cell
    is neutralised against spreadsheet formula injection (theme names and titles are typed by
    people)."""
    rows = [_report_row(row) for row in report.rows]
    o = report.overall
    filler: list[object] = [""] * (len(REPORT_CSV_FIELDS) - 5)
    rows.append([gettext("All ideas"), *filler, o.ideas, o.on_time, o.due, _report_share(o)])
    return csv_text([gettext(f) for f in REPORT_CSV_FIELDS], rows)


# --- ideas: CSV and charts of ideas and themes ---


def csv_cell(value: object) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ is neutralised.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV download: the header as given, then every row with each cell through ``csv_cell``
    (the ideas export: ``ideas.submissions.queries.export_rows``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
