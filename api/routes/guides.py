"""Best-practice guides: real-time search for everyone (agents use it during a contact), the
published guide with "was this helpful?", and for CX leads (and admins) writing, publishing,
reviewing and archiving guides, from scratch or from a theme."""

from __future__ import annotations

import time
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from api import presentation
from api.access import CurrentUser, CxUser
from api.deps import EmbedderDep, GuideIndexDep, SessionDep, SettingsDep, write_after
from api.forms import FormErrors, PostedForm, form_values, from_domain, validate
from api.params import Id, QueryId, parse_id
from api.web import render, see_other
from coaching.guides import queries as guide_queries
from coaching.guides import search as guide_search
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideStatus, GuideUpdate
from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import Embedder
from foundation.errors import Invalid
from ideas.themes import queries as theme_queries

router = APIRouter(prefix="/guides", include_in_schema=False)

QueryText = Annotated[str, Query(max_length=guide_search.QUERY_MAX)]


def _results(
    session: Session, index: guide_search.GuideIndex, embedder: Embedder, q: str
) -> list[dict[str, Any]]:
    hits = index.search(session, embedder, q)
    # The index is current as of this transaction; this also drops a guide archived since.
    live = {g.id for g in guide_queries.published_among(session, [h.guide_id for h in hits])}
    return [
        {
            "guide_id": h.guide_id,
            "title": presentation.highlight(h.title, q),
            "heading": h.heading,
            "passage": presentation.highlight(guide_search.snippet(h.text, q), q),
        }
        for h in hits
        if h.guide_id in live
    ]


def _list_context(session: Session, user: User, q: str) -> dict[str, Any]:
    context: dict[str, Any] = {"q": q, "results": [], "searched": len(q.strip()) >= 2}
    if user.role in guide_queries.EDITORS:
        every = guide_queries.list_guides(session)
        context["by_status"] = {
            status: [g for g in every if g.status == status] for status in GuideStatus
        }
        context["overdue"] = guide_queries.review_overdue(session, utcnow().date())
    return context


@router.get("")
def guide_list(
    request: Request,
    session: SessionDep,
    embedder: EmbedderDep,
    index: GuideIndexDep,
    user: CurrentUser,
    q: QueryText = "",
) -> HTMLResponse:
    context = _list_context(session, user, q)
    if context["searched"]:  # the form's fallback without JavaScript
        context["results"] = _results(session, index, embedder, q)
    return render(request, "guides/list.html", context)


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
    context = {"q": q, "searched": len(q.strip()) >= 2, "results": []}
    if context["searched"]:
        context["results"] = _results(session, index, embedder, q)
    elapsed = 1000 * (time.perf_counter() - started)
    if request.headers.get("hx-request") != "true":
        context = {**_list_context(session, user, q), **context}
    response = render(request, "guides/list.html", context, block="results")
    response.headers["Server-Timing"] = f"search;dur={elapsed:.1f}"
    return response


# ------------------------------------------------------------------------------- writing
def _form_context(
    session: Session, guide: Guide | None, values: dict[str, Any], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "guide": guide,
        "values": values,
        "errors": errors,
        "themes": theme_queries.list_themes(session),
        "chosen": {str(i) for i in values.get("theme_ids", [])},
    }


def _values(guide: Guide | None, data: GuideUpdate | None, linked: list[int]) -> dict[str, Any]:
    source = data or guide
    if source is None:
        return {"title": "", "body": "", "theme_ids": []}
    return {"title": source.title, "body": source.body, "theme_ids": linked}


def _submitted(form: FormData) -> dict[str, Any]:
    values = form_values(form)
    values["theme_ids"] = [v for v in form.getlist("theme_ids") if isinstance(v, str) and v]
    return values


def _validated(values: dict[str, Any]) -> GuideUpdate:
    ids = values.get("theme_ids", [])
    theme_ids = [parse_id(v) for v in ids]
    if None in theme_ids:
        raise FormErrors({"theme_ids": "Choose themes from the list."}, values)
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
    context = _form_context(session, guide, error.values, error.errors)
    return render(request, "guides/form.html", context, status_code=422)


@router.get("/new")
def new_guide(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    _: CxUser,
    theme_id: QueryId | None = None,
) -> HTMLResponse:
    """A blank form, or one pre-filled from a theme (title, skeleton, best actions, link)."""
    data = (
        guide_service.draft_from_theme(session, theme_id, settings.min_group_size)
        if theme_id
        else None
    )
    values = _values(None, data, data.theme_ids if data else [])
    return render(request, "guides/form.html", _form_context(session, None, values, {}))


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
    values = _values(guide, None, guide_queries.theme_ids(session, guide))
    return render(request, "guides/form.html", _form_context(session, guide, values, {}))


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
def _detail_context(session: Session, user: User, guide: Guide) -> dict[str, Any]:
    editor = user.role in guide_queries.EDITORS
    return {
        "guide": guide,
        "version": guide_queries.latest_version(session, guide),
        "editor": editor,
        "versions": guide_queries.versions(session, guide) if editor else [],
        "linked": guide_queries.linked_themes(session, guide),
        "counts": guide_queries.feedback_counts(session, guide) if editor else None,
        "mine": guide_queries.my_feedback(session, guide, user),
        "today": utcnow().date(),
    }


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
    return render(request, "guides/detail.html", _detail_context(session, user, guide))


@router.post("/{guide_id}/feedback")
def feedback(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    guide_id: Id,
    helpful: Annotated[str, Form(max_length=3)],
) -> Response:
    if helpful not in ("yes", "no"):
        raise Invalid("Answer yes or no.", field="helpful")
    guide = guide_queries.readable(session, guide_id, user)
    if guide.status != GuideStatus.published:
        raise Invalid("Only a published guide takes feedback.", field="helpful")
    guide_service.set_feedback(session, guide, user, helpful == "yes")
    if request.headers.get("hx-request") == "true":
        context = _detail_context(session, user, guide)
        return render(request, "guides/detail.html", context, block="feedback")
    return see_other(request, f"/guides/{guide_id}")
