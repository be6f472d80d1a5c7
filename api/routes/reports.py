"""Outcomes reports for CX leads (and admins): the list of generated reports and the form to
generate one for a period, each frozen report as a page, a PDF and a CSV (its data from
``api.pages.reports``, built and stored by ``coaching.reports``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import presentation, report_pdf
from api.access import CxUser
from api.deps import SessionDep, SettingsDep
from api.pages import reports as pages
from api.params import Id
from api.web import render, see_other
from coaching.reports import queries as report_queries
from coaching.reports import service as report_service
from foundation.errors import Invalid

router = APIRouter(prefix="/reports", include_in_schema=False)

DateField = Annotated[str, Form(max_length=32)]


@router.get("")
def report_list(request: Request, session: SessionDep, _: CxUser) -> HTMLResponse:
    """Generated reports, newest first, and the form to generate one."""
    return render(request, "reports/list.html", pages.reports_page(session))


@router.get("/outcomes")
def old_address(_: CxUser) -> Response:
    """The report's address before reports were generated and kept."""
    return RedirectResponse("/reports", status_code=303)


@router.post("")
def generate(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CxUser,
    start: DateField = "",
    end: DateField = "",
) -> Response:
    try:
        first, last = report_queries.parse_period(start, end)
    except Invalid as exc:
        values = {"start": start, "end": end}
        page = pages.reports_page(session, values, {exc.field or "form": exc.translated()})
        return render(request, "reports/list.html", page, status_code=422)
    snapshot = report_service.generate(
        session,
        start=first,
        end=last,
        by=user,
        min_group_size=settings.min_group_size,
        effect_days=settings.coaching_effect_days,
        working_days=settings.idea_response_working_days,
    )
    return see_other(request, f"/reports/{snapshot.id}")


def _attachment(body: bytes | str, media_type: str, name: str) -> Response:
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# The .pdf and .csv addresses come before the page's, which would take "7.pdf" as its id.
@router.get("/{snapshot_id}.pdf")
def report_pdf_download(
    request: Request, session: SessionDep, _: CxUser, snapshot_id: Id
) -> Response:
    snapshot = report_queries.get_snapshot(session, snapshot_id)
    page = pages.snapshot_page(session, snapshot, printing=True)
    pdf = report_pdf.render_pdf(request, page)
    return _attachment(pdf, "application/pdf", pages.filename(snapshot, "pdf"))


@router.get("/{snapshot_id}.csv")
def report_csv_download(session: SessionDep, _: CxUser, snapshot_id: Id) -> Response:
    snapshot = report_queries.get_snapshot(session, snapshot_id)
    text = presentation.report_csv(report_queries.snapshot_report(snapshot))
    return _attachment(text, "text/csv; charset=utf-8", pages.filename(snapshot, "csv"))


@router.get("/{snapshot_id}")
def report_page(request: Request, session: SessionDep, _: CxUser, snapshot_id: Id) -> HTMLResponse:
    snapshot = report_queries.get_snapshot(session, snapshot_id)
    return render(request, "reports/snapshot.html", pages.snapshot_page(session, snapshot))
