"""The jobs page: every background job with a live progress bar and its error (the data from
``api.pages.jobs``)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from api.access import AdminUser, CxUser, require_owner_or
from api.deps import QueueDep, SessionDep
from api.pages import jobs as pages
from api.params import Id
from api.web import render
from foundation.accounts import Role
from jobs import service

router = APIRouter(prefix="/jobs", include_in_schema=False)


@router.get("")
def jobs_page(request: Request, session: SessionDep, user: CxUser) -> HTMLResponse:
    return render(request, "jobs.html", pages.jobs_page(session, user), block="jobs")


@router.get("/{job_id}")
def job_page(request: Request, session: SessionDep, user: CxUser, job_id: Id) -> HTMLResponse:
    job = service.get_job(session, job_id)
    require_owner_or(user, job.started_by_id, Role.admin)
    return render(request, "job.html", pages.job_page(job), block="job")


@router.post("/demo")
def start_demo(
    request: Request,
    session: SessionDep,
    queue: QueueDep,
    user: AdminUser,
    n: Annotated[int, Form(ge=1, le=100_000)] = 100,
) -> HTMLResponse:
    """The demonstration job: counts ``n`` items in checkpointed batches."""
    service.start_job(
        session,
        queue,
        "demo.count",
        {"n": n, "batch_size": 10, "delay": 0.02},
        started_by_id=user.id,
    )
    return render(
        request, "jobs.html", pages.jobs_page(session, user), block="jobs", status_code=201
    )
