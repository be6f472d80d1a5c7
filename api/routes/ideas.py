"""Idea pages: browse and search, submit with live similar-idea suggestions, one idea's page
with support, comments, history and the CX lead's actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.access import CurrentUser, CxUser
from api.deps import EmbedderDep, IdeaIndexDep, SessionDep, SettingsDep
from api.forms import FormErrors, PostedForm, form_values, from_domain, validate
from api.pages import ideas as pages
from api.params import FormId, Id, parse_id
from api.presentation import csv_text
from api.routes.receipts import set_receipt_cookie
from api.web import is_htmx, render, see_other
from foundation.accounts import User
from foundation.errors import DomainError, NotFound
from foundation.i18n import N_
from ideas.submissions import customer_details
from ideas.submissions import moderation as idea_moderation
from ideas.submissions import queries as idea_queries
from ideas.submissions import service as idea_service
from ideas.submissions.models import (
    Comment,
    CommentCreate,
    Idea,
    IdeaCreate,
    IdeaKind,
    IdeaStatus,
    StatusUpdate,
)

router = APIRouter(prefix="/ideas", include_in_schema=False)


def _int_or_none(value: str | None) -> int | None:
    """Filter selects send "" for "any"; anything that is not a number means "any" too."""
    return parse_id(value)


def _filters(
    status: str | None,
    category: str | None,
    stage: str | None,
    department: str | None,
    kind: str | None,
    q: str | None,
    sort: str,
    page: int,
) -> idea_queries.IdeaFilters:
    return idea_queries.IdeaFilters(
        status=IdeaStatus(status) if status and status in IdeaStatus.__members__ else None,
        category_id=_int_or_none(category),
        stage_id=_int_or_none(stage),
        department=department or None,
        kind=kind if kind in IdeaKind.__members__ else None,
        q=(q or "").strip()[:200] or None,
        sort=sort if sort in ("newest", "supported", "trending") else "newest",
        page=page,
    )


@router.get("")
def browse(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    index: IdeaIndexDep,
    embedder: EmbedderDep,
    status: str | None = None,
    category: str | None = None,
    stage: str | None = None,
    department: str | None = None,
    kind: str | None = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
    sort: str = "newest",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> HTMLResponse:
    filters = _filters(status, category, stage, department, kind, q, sort, page)
    found = pages.browse_page(
        session, settings, user, filters, request.url.query, index=index, embedder=embedder
    )
    return render(request, "ideas/list.html", found, block="results")


@router.get("/new")
def new_idea(request: Request, session: SessionDep, _: CurrentUser) -> HTMLResponse:
    return render(request, "ideas/new.html", pages.new_idea_page(session, {"kind": "idea"}))


@router.get("/similar")
def similar(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    index: IdeaIndexDep,
    embedder: EmbedderDep,
    title: Annotated[str, Query(max_length=400)] = "",
    body: Annotated[str, Query(max_length=10_000)] = "",
) -> HTMLResponse:
    """The five existing ideas most like what is being typed (htmx, debounced)."""
    found = pages.similar_ideas(session, user, index, embedder, title, body)
    if is_htmx(request):
        return render(request, "ideas/new.html", found, block="similar")
    # Without JavaScript: the submit page, with what was typed kept.
    page = pages.new_idea_page(session, {"title": title, "body": body}, similar=found)
    return render(request, "ideas/new.html", page, block="similar")


@router.post("")
def submit(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    embedder: EmbedderDep,
    index: IdeaIndexDep,
    form: PostedForm,
) -> Response:
    """Named and anonymous submissions answer alike (a redirect) and touch no per-user row
    (``api.deps.QUIET_ROUTES``); the receipt travels to its page in a short-lived cookie."""
    values = form_values(form)
    values["anonymous"] = values.get("anonymous") in ("on", "true", "1")
    try:
        data = validate(IdeaCreate, values)
        # The slow part (embedding), before the write lock.
        draft = idea_service.draft_idea(data, embedder, index)
        try:
            with session.begin_nested():
                idea, receipt = idea_service.submit_idea(
                    session, user, draft, min_group=settings.min_group_size
                )
        except DomainError as exc:
            raise from_domain(exc, values) from exc
    except FormErrors as exc:
        page = pages.new_idea_page(session, exc.values, exc.errors)
        return render(request, "ideas/new.html", page, block="form", status_code=422)
    removed = _removed_query(f"{data.title}\n{data.body}", f"{idea.title}\n{idea.body}")
    if receipt is None:
        return see_other(request, f"/ideas/{idea.id}{removed}")
    response = see_other(request, f"/receipts/new{removed}")
    set_receipt_cookie(response, receipt, settings)
    return response


def _removed_query(typed: str, stored: str) -> str:
    """``?removed=CARD,PHONE`` when customer details were replaced, for the next page to say so
    (the kinds only, never the values)."""
    kinds = customer_details.removed_details(typed, stored)
    return f"?removed={','.join(kinds)}" if kinds else ""


def notice_of(request: Request) -> str | None:
    kinds = request.query_params.get("removed", "")[:200].split(",")
    return customer_details.removed_notice(kinds)


@router.get("/export.csv")
def export_csv(session: SessionDep, settings: SettingsDep, _: CxUser) -> Response:
    """Every visible idea, for CX leads' own analysis. Anonymous ideas carry no author."""
    return Response(
        csv_text(
            idea_queries.EXPORT_COLUMNS,
            idea_queries.export_rows(session, settings.idea_response_working_days),
        ),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="voiceloop-ideas.csv"'},
    )


@router.get("/{idea_id}")
def idea_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser, idea_id: Id
) -> HTMLResponse:
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    page = pages.idea_page(session, settings, user, idea, notice=notice_of(request))
    return render(request, "ideas/detail.html", page)


def _support_widget(request: Request, session: Session, user: User, idea: Idea) -> HTMLResponse:
    widget = pages.support_widget(session, user, idea)
    return render(request, "ideas/detail.html", widget, block="support")


@router.post("/{idea_id}/support")
def support(request: Request, session: SessionDep, user: CurrentUser, idea_id: Id) -> Response:
    idea = idea_queries.get_idea(session, idea_id, include_hidden=True)
    idea_service.support(session, user, idea)
    if not is_htmx(request):
        return see_other(request, f"/ideas/{idea.id}")
    if request.query_params.get("from") == "suggestion":
        notice = pages.SupportedNotice(supported_idea=idea)
        return render(request, "ideas/new.html", notice, block="supported")
    return _support_widget(request, session, user, idea)


@router.post("/{idea_id}/unsupport")
def unsupport(request: Request, session: SessionDep, user: CurrentUser, idea_id: Id) -> Response:
    idea = idea_queries.get_idea(session, idea_id, include_hidden=True)
    idea_service.withdraw_support(session, user, idea)
    if not is_htmx(request):
        return see_other(request, f"/ideas/{idea.id}")
    return _support_widget(request, session, user, idea)


@router.post("/{idea_id}/comments")
def comment(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    idea_id: Id,
    body: Annotated[str, Form(max_length=20_000)] = "",
) -> HTMLResponse:
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    try:
        data = validate(CommentCreate, {"body": body})
        added = idea_service.add_comment(session, idea, data, user=user)
    except FormErrors as exc:
        page = pages.idea_page(session, settings, user, idea, errors=exc.errors, comment_value=body)
        return render(request, "ideas/detail.html", page, block="comments", status_code=422)
    removed = customer_details.removed_details(data.body, added.body)
    notice = customer_details.removed_notice(removed)
    page = pages.idea_page(session, settings, user, idea, comment_notice=notice)
    return render(request, "ideas/detail.html", page, block="comments", status_code=201)


@router.post("/{idea_id}/status")
def change_status(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CxUser,
    idea_id: Id,
    form: PostedForm,
) -> Response:
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    values = form_values(form)
    try:
        data = validate(StatusUpdate, values)
        try:
            with session.begin_nested():
                change = idea_service.change_status(session, user, idea, data)
        except DomainError as exc:
            raise from_domain(exc, values) from exc
    except FormErrors as exc:
        page = pages.idea_page(
            session, settings, user, idea, errors=exc.errors, status_values=exc.values
        )
        return render(request, "ideas/detail.html", page, block="moderation", status_code=422)
    return see_other(request, f"/ideas/{idea.id}{_removed_query(data.response, change.response)}")


@router.post("/{idea_id}/merge")
def merge(
    request: Request,
    session: SessionDep,
    user: CxUser,
    idea_id: Id,
    target_id: FormId,
) -> Response:
    duplicate = idea_queries.get_visible_idea(session, idea_id, user)
    try:
        target = idea_queries.get_idea(session, target_id)
    except NotFound as exc:
        raise NotFound(N_("There is no visible idea with that number to merge into.")) from exc
    idea_moderation.merge(session, user, duplicate, target)
    return see_other(request, f"/ideas/{target.id}")


@router.post("/{idea_id}/hide")
def hide(
    request: Request,
    session: SessionDep,
    user: CxUser,
    idea_id: Id,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    idea_moderation.hide_idea(session, user, idea, reason)
    return see_other(request, f"/ideas/{idea.id}")


comments_router = APIRouter(prefix="/comments", include_in_schema=False)


@comments_router.post("/{comment_id}/hide")
def hide_comment(
    request: Request,
    session: SessionDep,
    user: CxUser,
    comment_id: Id,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    found = session.get(Comment, comment_id)
    if found is None:
        raise NotFound(N_("No such comment."))
    idea_moderation.hide_comment(session, user, found, reason)
    return see_other(request, f"/ideas/{found.idea_id}")
