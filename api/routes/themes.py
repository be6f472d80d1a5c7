"""Theme pages for CX leads (and admins): the list with trends and the unthemed bucket, one
theme's evidence from both sources, and the review actions (rename, merge, split, dismiss, mark
actioned, action plan). Every action lands in the theme's history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import CxUser
from api.deps import QueueDep, SessionDep, SettingsDep
from api.forms import FormErrors, PostedForm, form_values, validate
from api.pages import themes as pages
from api.params import FormId, Id, QueryId
from api.web import is_htmx, render, see_other
from coaching.interactions import evidence
from foundation.embeddings import embedding_model_name
from foundation.errors import Invalid
from foundation.i18n import N_
from ideas.themes import duty
from ideas.themes import queries as theme_queries
from ideas.themes import service as theme_service
from ideas.themes.models import ActionPlanUpdate, ThemeStatus
from jobs import service as jobs

router = APIRouter(prefix="/themes", include_in_schema=False)


def _corpus(request: Request) -> evidence.Corpus:
    # Merge and split read stored vectors only: the model's name is enough, not the model.
    return evidence.Corpus(embedding_model_name(request.app.state.settings))


@router.get("")
def theme_list(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    sort: str = "size",
    view: str = "active",
    area: QueryId | None = None,
) -> HTMLResponse:
    """The areas, and the themes of one view (of one area when ``area`` is given)."""
    page = pages.theme_list_page(session, settings, sort, view, area)
    table_only = is_htmx(request) and request.headers.get("hx-target") == "theme-table"
    return render(request, "themes/list.html", page, block="themes" if table_only else None)


@router.get("/run")
def run_status(request: Request, session: SessionDep, _: CxUser) -> Response:
    """The progress fragment the list polls while a run is going (the list, without htmx)."""
    if not is_htmx(request):
        return RedirectResponse("/themes", status_code=303)
    status = pages.run_status(session)
    response = render(request, "themes/list.html", status, block="run")
    if status.job is None and request.query_params.get("polling"):
        response.headers["HX-Refresh"] = "true"  # finished: show the new themes
    return response


@router.post("/run")
def start_run(request: Request, session: SessionDep, queue: QueueDep, user: CxUser) -> Response:
    if jobs.pending(session, pages.CLUSTER_JOB) is None:
        jobs.start_job(session, queue, pages.CLUSTER_JOB, {}, user.id)
    return see_other(request, "/themes")


@router.get("/unthemed")
def unthemed(
    request: Request,
    session: SessionDep,
    _: CxUser,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    """Visible ideas that no theme took (the gap side is counted, not listed: it is large)."""
    return render(request, "themes/unthemed.html", pages.unthemed_page(session, page))


@router.get("/{theme_id}")
def theme_page(
    request: Request, session: SessionDep, settings: SettingsDep, _: CxUser, theme_id: Id
) -> HTMLResponse:
    theme = theme_queries.get_theme(session, theme_id)
    return render(request, "themes/detail.html", pages.theme_page(session, settings, theme))


@router.post("/{theme_id}/rename")
def rename(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    name: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    theme_service.rename(session, theme_queries.get_theme(session, theme_id), name, user)
    return see_other(request, f"/themes/{theme_id}")


@router.post("/{theme_id}/status")
def change_status(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    status: Annotated[str, Form(max_length=32)],
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        value = ThemeStatus(status)
    except ValueError as exc:
        raise Invalid(N_("Choose a status from the list."), field="status") from exc
    theme_service.set_status(
        session, theme_queries.get_theme(session, theme_id), value, user, reason
    )
    return see_other(request, f"/themes/{theme_id}")


@router.post("/{theme_id}/merge")
def merge(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    into: FormId,
) -> Response:
    source = theme_queries.get_theme(session, theme_id)
    target = theme_queries.get_theme(session, into)
    theme_service.merge(session, source, target, user, _corpus(request))
    return see_other(request, f"/themes/{target.id}")


@router.post("/{theme_id}/split")
def split(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    parts: Annotated[str, Form(max_length=4)] = "",
) -> Response:
    if parts and not parts.isdigit():
        raise Invalid(
            N_("Parts must be a whole number, or blank to let VoiceLoop choose."), field="parts"
        )
    children = theme_service.split(
        session,
        theme_queries.get_theme(session, theme_id),
        user,
        _corpus(request),
        int(parts) if parts else None,
    )
    return see_other(request, f"/themes/{children[0].id}")


@router.post("/{theme_id}/plan")
def save_plan(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CxUser,
    theme_id: Id,
    form: PostedForm,
) -> Response:
    theme = theme_queries.get_theme(session, theme_id)
    values = form_values(form)
    try:
        data = validate(ActionPlanUpdate, values)
    except FormErrors as exc:
        page = pages.theme_page(session, settings, theme, errors=exc.errors, values=exc.values)
        return render(request, "themes/detail.html", page, block="plan", status_code=422)
    theme_service.save_plan(session, theme, data, user)
    return see_other(request, f"/themes/{theme_id}")


@router.post("/{theme_id}/duty")
def set_duty_outcome(
    request: Request,
    session: SessionDep,
    user: CxUser,
    theme_id: Id,
    outcome: Annotated[str, Form(max_length=32)] = "",
    back: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """The Consumer Duty outcome a CX lead chose (blank: the suggestion), from the theme's page
    or a report; back to the report it came from (an address of ours only)."""
    try:
        value = duty.parse(outcome)
    except ValueError as exc:
        raise Invalid(N_("Choose an outcome from the list."), field="outcome") from exc
    theme_service.set_duty_outcome(session, theme_queries.get_theme(session, theme_id), value, user)
    to_report = back.startswith("/reports/") and back[len("/reports/") :].isdigit()
    return see_other(request, back if to_report else f"/themes/{theme_id}")
