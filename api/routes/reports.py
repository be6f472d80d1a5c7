"""Reports for CX leads (and admins): the outcomes evidence report for a chosen period, as a
printable page and as a CSV (see ``coaching.reports.queries``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api import presentation
from api.access import CxUser
from api.deps import SessionDep, SettingsDep
from api.web import render
from coaching.reports import queries as report
from foundation.errors import Invalid
from foundation.settings import Settings

router = APIRouter(prefix="/reports", include_in_schema=False)

DateParam = Annotated[str | None, Query(max_length=32)]


def _build(
    session: Session, settings: Settings, start: str | None, end: str | None
) -> report.Report:
    first, last = report.parse_period(start, end)
    return report.build(
        session,
        start=first,
        end=last,
        min_group_size=settings.min_group_size,
        effect_days=settings.coaching_effect_days,
        working_days=settings.idea_response_working_days,
    )


@router.get("/outcomes")
def outcomes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    start: DateParam = None,
    end: DateParam = None,
) -> HTMLResponse:
    values = {"start": start or "", "end": end or ""}
    try:
        built = _build(session, settings, start, end)
    except Invalid as exc:
        errors = {exc.field or "form": exc.message}
        context: dict[str, Any] = {"report": None, "values": values, "errors": errors}
        return render(request, "reports/outcomes.html", context, status_code=422)
    values = {"start": built.start.isoformat(), "end": built.end.isoformat()}
    context = {"report": built, "values": values, "errors": {}}
    return render(request, "reports/outcomes.html", context)


@router.get("/outcomes.csv")
def outcomes_csv(
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    start: DateParam = None,
    end: DateParam = None,
) -> Response:
    built = _build(session, settings, start, end)  # bad dates: Invalid -> 422
    name = f"voiceloop-outcomes-{built.start.isoformat()}-to-{built.end.isoformat()}.csv"
    return Response(
        presentation.report_csv(built),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
