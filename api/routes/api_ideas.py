"""``/api/v1/ideas``: list, search, get, create, support, comment and answer ideas."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from api.access import CurrentUser, CxUser
from api.deps import EmbedderDep, IdeaIndexDep, SessionDep
from ideas import service
from ideas.models import (
    CommentCreate,
    CommentPublic,
    IdeaCreate,
    IdeaKind,
    IdeaPublic,
    IdeaStatus,
    StatusUpdate,
)

router = APIRouter(prefix="/api/v1/ideas", tags=["ideas"])


class IdeaPage(BaseModel):
    items: list[IdeaPublic]
    total: int
    page: int


class IdeaCreated(IdeaPublic):
    receipt_token: str | None = None


@router.get("", response_model=IdeaPage)
def list_ideas(
    session: SessionDep,
    _: CurrentUser,
    index: IdeaIndexDep,
    embedder: EmbedderDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    status: IdeaStatus | None = None,
    category_id: int | None = None,
    stage_id: int | None = None,
    department: str | None = None,
    kind: IdeaKind | None = None,
    sort: Annotated[str, Query(pattern="^(newest|supported|trending)$")] = "newest",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> IdeaPage:
    """Visible ideas, filtered; ``q`` searches by keyword and by meaning."""
    filters = service.IdeaFilters(
        status=status,
        category_id=category_id,
        stage_id=stage_id,
        department=department,
        kind=kind,
        q=q,
        sort=sort,
        page=page,
    )
    ideas, total = service.browse(session, filters, index=index, embedder=embedder)
    return IdeaPage(items=[IdeaPublic.model_validate(i) for i in ideas], total=total, page=page)


@router.get("/similar", response_model=list[IdeaPublic])
def similar(
    session: SessionDep,
    _: CurrentUser,
    index: IdeaIndexDep,
    embedder: EmbedderDep,
    text: Annotated[str, Query(min_length=1, max_length=2000)],
) -> list[IdeaPublic]:
    """The five visible ideas most similar in meaning to ``text``."""
    matches = service.similar_ideas(session, index, embedder, text)
    return [IdeaPublic.model_validate(m.idea) for m in matches]


@router.post("", response_model=IdeaCreated, status_code=201)
def create(
    session: SessionDep, user: CurrentUser, embedder: EmbedderDep, data: IdeaCreate
) -> IdeaCreated:
    """Submit an idea. For an anonymous one the response carries the receipt token, once."""
    idea, receipt = service.submit_idea(session, user, data, embedder)
    return IdeaCreated.model_validate({**idea.model_dump(), "receipt_token": receipt})


@router.get("/{idea_id}", response_model=IdeaPublic)
def get(session: SessionDep, user: CurrentUser, idea_id: int) -> IdeaPublic:
    return IdeaPublic.model_validate(service.get_visible_idea(session, idea_id, user))


@router.post("/{idea_id}/support", status_code=204)
def support(session: SessionDep, user: CurrentUser, idea_id: int) -> Response:
    service.support(session, user, service.get_idea(session, idea_id, include_hidden=True))
    return Response(status_code=204)


@router.delete("/{idea_id}/support", status_code=204)
def withdraw(session: SessionDep, user: CurrentUser, idea_id: int) -> Response:
    service.withdraw_support(session, user, service.get_idea(session, idea_id, include_hidden=True))
    return Response(status_code=204)


@router.get("/{idea_id}/comments", response_model=list[CommentPublic])
def list_comments(session: SessionDep, user: CurrentUser, idea_id: int) -> list[CommentPublic]:
    idea = service.get_visible_idea(session, idea_id, user)
    return [CommentPublic.model_validate(c) for c in service.comments(session, idea)]


@router.post("/{idea_id}/comments", response_model=CommentPublic, status_code=201)
def add_comment(
    session: SessionDep, user: CurrentUser, idea_id: int, data: CommentCreate
) -> CommentPublic:
    idea = service.get_visible_idea(session, idea_id, user)
    return CommentPublic.model_validate(service.add_comment(session, idea, data, user=user))


@router.post("/{idea_id}/status", response_model=IdeaPublic)
def change_status(
    session: SessionDep, user: CxUser, idea_id: int, data: StatusUpdate
) -> IdeaPublic:
    """Answer an idea: a new status with the response its submitter and supporters see."""
    idea = service.get_visible_idea(session, idea_id, user)
    service.change_status(session, user, idea, data)
    return IdeaPublic.model_validate(idea)
