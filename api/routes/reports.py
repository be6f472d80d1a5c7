"""Reports for CX leads (and admins): the outcomes evidence report for a chosen period, as a
printable page (its data from ``api.pages.reports``) and as a CSV (see
``coaching.reports.queries``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from api import presentation
from api.access import CxUser
from api.deps import SessionDep, SettingsDep
from api.pages import reports as pages
from api.web import render

router = APIRouter(prefix="/reports", include_in_schema=False)

DateParam = Annotated[str | None, Query(max_length=32)]


@router.get("/outcomes")
def outcomes(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    start: DateParam = None,
    end: DateParam = None,
) -> HTMLResponse:
    page = pages.outcomes_page(session, settings, start, end)
    status = 422 if page.errors else 200
    return render(request, "reports/outcomes.html", page, status_code=status)


@router.get("/outcomes.csv")
def outcomes_csv(
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    start: DateParam = None,
    end: DateParam = None,
) -> Response:
    built = pages.outcomes_report(session, settings, start, end)  # bad dates: Invalid -> 422
    name = f"voiceloop-outcomes-{built.start.isoformat()}-to-{built.end.isoformat()}.csv"
    return Response(
        presentation.report_csv(built),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
