"""Admin: interaction-log imports. Upload (progress bar), the running jobs, the error reports.
The page's data comes from ``api.pages.imports``."""

from pathlib import Path

from fastapi import APIRouter, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from api import presentation
from api.access import AdminUser
from api.deps import QueueDep, SessionDep, SettingsDep
from api.pages import imports as pages
from api.pages.imports import KIND
from api.params import Id
from api.web import render
from coaching.interactions import importer
from coaching.interactions.importer import stage_upload
from foundation.errors import Invalid, NotFound
from foundation.i18n import N_
from jobs import service as jobs
from jobs.models import Job

router = APIRouter(prefix="/admin/imports", include_in_schema=False)


@router.get("")
def imports_page(
    request: Request, session: SessionDep, settings: SettingsDep, _: AdminUser
) -> HTMLResponse:
    return render(
        request,
        "imports.html",
        pages.imports_page(session, settings),
        block="imports",
    )


@router.post("")
def upload(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    queue: QueueDep,
    user: AdminUser,
    file: UploadFile | None = None,
) -> HTMLResponse:
    if file is None or not file.filename:
        raise Invalid(N_("Choose a CSV or JSON Lines file to import."), field="file")
    path = stage_upload(file.file, Path(settings.upload_dir))
    jobs.start_job(session, queue, KIND, {"path": str(path)}, started_by_id=user.id)
    return render(
        request,
        "imports.html",
        pages.imports_page(session, settings),
        block="imports",
        status_code=201,
    )


@router.get("/{job_id}/problems.csv")
def problems(session: SessionDep, _: AdminUser, job_id: Id) -> Response:
    job = session.get(Job, job_id)
    if job is None or job.kind != KIND:
        raise NotFound(N_("No such import."))
    return Response(
        presentation.problems_csv(importer.problems(session, job_id)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="import-{job_id}-problems.csv"'},
    )
