"""Best-practice guides: real-time search for everyone (agents use it during a contact), the
published guide with "was this helpful?", and for CX leads (and admins) writing, publishing,
reviewing and archiving guides, from scratch or from a theme. The pages' data comes from
``api.pages.guides``."""

from __future__ import annotations

import time
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api.access import CurrentUser, CxUser
from api.deps import EmbedderDep, GuideIndexDep, SessionDep, SettingsDep, write_after
from api.forms import FormErrors, PostedForm, form_values, from_domain, validate
from api.pages import guides as pages
from api.params import Id, QueryId, parse_id
from api.web import render, see_other
from coaching.guides import queries as guide_queries
from coaching.guides import search as guide_search
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideStatus, GuideUpdate
from foundation.errors import Invalid
from foundation.i18n import N_, gettext

router = APIRouter(prefix="/guides", include_in_schema=False)

QueryText = Annotated[str, Query(max_length=guide_search.QUERY_MAX)]


@router.get("")
def guide_list(
    request: Request,
    session: SessionDep,
    embedder: EmbedderDep,
    index: GuideIndexDep,
    user: CurrentUser,
    q: QueryText = "",
) -> HTMLResponse:
    # The search in the page is the form's fallback without JavaScript.
    found = pages.search_results(session, index, embedder, q)
    return render(request, "guides/list.html", pages.guide_list(session, user, found))


@router.get("/search")
def search(
    request: Request,
    session: SessionDep,
    embedder: EmbedderDep,
    index: GuideIndexDep,
    user: CurrentUser,
    q: QueryText = "",
) -> HTMLResponse:
    """The results block htmx swaps in as the agent types (the whole page without htmx)."""
    started = time.perf_counter()
    found = pages.search_results(session, index, embedder, q)
    elapsed = 1000 * (time.perf_counter() - started)
    page = (
        found
        if request.headers.get("hx-request") == "true"
        else pages.guide_list(session, user, found)
    )
    response = render(request, "guides/list.html", page, block="results")
    response.headers["Server-Timing"] = f"search;dur={elapsed:.1f}"
    return response


# ------------------------------------------------------------------------------- writing
def _submitted(form: FormData) -> dict[str, Any]:
    values = form_values(form)
    values["theme_ids"] = [v for v in form.getlist("theme_ids") if isinstance(v, str) and v]
    return values


def _validated(values: dict[str, Any]) -> GuideUpdate:
    ids = values.get("theme_ids", [])
    theme_ids = [parse_id(v) for v in ids]
    if None in theme_ids:
        raise FormErrors({"theme_ids": gettext("Choose themes from the list.")}, values)
    return validate(GuideUpdate, {**values, "theme_ids": theme_ids})


def _form_again(
    request: Request,
    session: Session,
    guide: Guide | None,
    values: dict[str, Any],
    exc: FormErrors | Invalid,
) -> HTMLResponse:
    """The form again with what was typed and why it was refused (422)."""
    error = exc if isinstance(exc, FormErrors) else from_domain(exc, values)
    page = pages.guide_form(session, guide, error.values, error.errors)
    return render(request, "guides/form.html", page, status_code=422)


@router.get("/new")
def new_guide(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    theme_id: QueryId | None = None,
) -> HTMLResponse:
    """A blank form, or one pre-filled from a theme (title, skeleton, best actions, link)."""
    return render(request, "guides/form.html", pages.new_guide_form(session, settings, theme_id))


@router.post("")
def create_guide(request: Request, session: SessionDep, user: CxUser, form: PostedForm) -> Response:
    values = _submitted(form)
    try:
        guide = guide_service.create(session, _validated(values), user)
    except (FormErrors, Invalid) as exc:
        return _form_again(request, session, None, values, exc)
    return see_other(request, f"/guides/{guide.id}")


@router.get("/{guide_id}/edit")
def edit_guide(request: Request, session: SessionDep, _: CxUser, guide_id: Id) -> HTMLResponse:
    guide = guide_queries.get_guide(session, guide_id)
    return render(request, "guides/form.html", pages.edit_guide_form(session, guide))


@router.post("/{guide_id}/edit")
def save_guide(
    request: Request, session: SessionDep, _: CxUser, guide_id: Id, form: PostedForm
) -> Response:
    guide = guide_queries.get_guide(session, guide_id)
    values = _submitted(form)
    try:
        guide_service.update_draft(session, guide, _validated(values))
    except (FormErrors, Invalid) as exc:
        return _form_again(request, session, guide, values, exc)
    return see_other(request, f"/guides/{guide_id}")


@router.post("/{guide_id}/publish")
def publish_guide(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    embedder: EmbedderDep,
    user: CxUser,
    guide_id: Id,
) -> Response:
    guide = guide_queries.get_guide(session, guide_id)
    guide_service.publish(session, guide, user, embedder, settings.guide_review_days)
    return see_other(request, f"/guides/{guide_id}")


@router.post("/{guide_id}/archive")
def archive_guide(request: Request, session: SessionDep, _: CxUser, guide_id: Id) -> Response:
    guide_service.archive(session, guide_queries.get_guide(session, guide_id))
    return see_other(request, f"/guides/{guide_id}")


@router.post("/{guide_id}/reviewed")
def reviewed(
    request: Request, session: SessionDep, settings: SettingsDep, _: CxUser, guide_id: Id
) -> Response:
    guide = guide_queries.get_guide(session, guide_id)
    guide_service.mark_reviewed(session, guide, settings.guide_review_days)
    return see_other(request, f"/guides/{guide_id}")


# ------------------------------------------------------------------------------- reading
@router.get("/{guide_id}")
def guide_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    guide_id: Id,
    from_: Annotated[str, Query(alias="from", max_length=20)] = "",
) -> HTMLResponse:
    guide = guide_queries.readable(session, guide_id, user)
    if from_ == "search" and guide.status == GuideStatus.published:
        write_after(request, partial(guide_service.count_reuse, guide_id=guide_id))
    return render(request, "guides/detail.html", pages.guide_detail(session, user, guide))


@router.post("/{guide_id}/feedback")
def feedback(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    guide_id: Id,
    helpful: Annotated[str, Form(max_length=3)],
) -> Response:
    if helpful not in ("yes", "no"):
        raise Invalid(N_("Answer yes or no."), field="helpful")
    guide = guide_queries.readable(session, guide_id, user)
    if guide.status != GuideStatus.published:
        raise Invalid(N_("Only a published guide takes feedback."), field="helpful")
    guide_service.set_feedback(session, guide, user, helpful == "yes")
    if request.headers.get("hx-request") == "true":
        page = pages.guide_detail(session, user, guide)
        return render(request, "guides/detail.html", page, block="feedback")
    return see_other(request, f"/guides/{guide_id}")
