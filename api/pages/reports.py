"""The outcomes report's data, for a chosen period (see ``coaching.reports.queries``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session

from api.pages.forms import Errors
from coaching.reports import queries as report
from foundation.errors import Invalid
from foundation.settings import Settings


def outcomes_report(
    session: Session, settings: Settings, start: str | None, end: str | None
) -> report.Report:
    """The report for the period typed (Invalid for dates that cannot be read)."""
    first, last = report.parse_period(start, end)
    return report.build(
        session,
        start=first,
        end=last,
        min_group_size=settings.min_group_size,
        effect_days=settings.coaching_effect_days,
        working_days=settings.idea_response_working_days,
    )


@dataclass(frozen=True)
class OutcomesPage:
    report: report.Report | None  # None when the period was refused
    values: Mapping[str, str]  # the period's start and end, as typed or as read
    errors: Errors


def outcomes_page(
    session: Session, settings: Settings, start: str | None, end: str | None
) -> OutcomesPage:
    """The printable report, or the period form with why its dates were refused."""
    try:
        built = outcomes_report(session, settings, start, end)
    except Invalid as exc:
        values = {"start": start or "", "end": end or ""}
        return OutcomesPage(
            report=None, values=values, errors={exc.field or "form": exc.translated()}
        )
    values = {"start": built.start.isoformat(), "end": built.end.isoformat()}
    return OutcomesPage(report=built, values=values, errors={})
