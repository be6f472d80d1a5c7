"""``/api/v1/ideas``: list, search, get, create, support, comment and answer ideas."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.access import CurrentUser, CxUser
from api.deps import EmbedderDep, IdeaIndexDep, SessionDep, SettingsDep
from api.errors import API_ERRORS, responses
from api.params import Id, QueryId
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

router = APIRouter(prefix="/api/v1/ideas", tags=["ideas"], responses=API_ERRORS)


class IdeaPage(BaseModel):
    items: list[IdeaPublic]
    total: int
    page: int


class IdeaCreated(IdeaPublic):
    receipt_token: str | None = None
    removed: list[str] = Field(
        default_factory=list,
        description="Kinds of customer detail replaced by a placeholder before storing "
        "(CARD, PHONE, EMAIL...): staff must not paste customers' details into ideas.",
    )


@router.get("", response_model=IdeaPage)
def list_ideas(
    session: SessionDep,
    _: CurrentUser,
    index: IdeaIndexDep,
    embedder: EmbedderDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    status: IdeaStatus | None = None,
    category_id: QueryId | None = None,
    stage_id: QueryId | None = None,
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
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    embedder: EmbedderDep,
    data: IdeaCreate,
) -> IdeaCreated:
    """Submit an idea. For an anonymous one the response carries the receipt token, once."""
    draft = service.draft_idea(data, embedder)  # the slow part, before the write lock
    idea, receipt = service.submit_idea(session, user, draft, min_group=settings.min_group_size)
    removed = service.removed_details(f"{data.title}\n{data.body}", f"{idea.title}\n{idea.body}")
    return IdeaCreated.model_validate(
        {**idea.model_dump(), "receipt_token": receipt, "removed": removed}
    )


@router.get("/{idea_id}", response_model=IdeaPublic, responses=responses(404))
def get(session: SessionDep, user: CurrentUser, idea_id: Id) -> IdeaPublic:
    return IdeaPublic.model_validate(service.get_visible_idea(session, idea_id, user))


@router.post("/{idea_id}/support", status_code=204, responses=responses(404, 409))
def support(session: SessionDep, user: CurrentUser, idea_id: Id) -> Response:
    service.support(session, user, service.get_idea(session, idea_id, include_hidden=True))
    return Response(status_code=204)


@router.delete("/{idea_id}/support", status_code=204, responses=responses(404, 409))
def withdraw(session: SessionDep, user: CurrentUser, idea_id: Id) -> Response:
    service.withdraw_support(session, user, service.get_idea(session, idea_id, include_hidden=True))
    return Response(status_code=204)


@router.get("/{idea_id}/comments", response_model=list[CommentPublic], responses=responses(404))
def list_comments(session: SessionDep, user: CurrentUser, idea_id: Id) -> list[CommentPublic]:
    idea = service.get_visible_idea(session, idea_id, user)
    return [CommentPublic.model_validate(c) for c in service.comments(session, idea)]


@router.post(
    "/{idea_id}/comments",
    response_model=CommentPublic,
    status_code=201,
    responses=responses(404, 409),
)
def add_comment(
    session: SessionDep, user: CurrentUser, idea_id: Id, data: CommentCreate
) -> CommentPublic:
    idea = service.get_visible_idea(session, idea_id, user)
    return CommentPublic.model_validate(service.add_comment(session, idea, data, user=user))


@router.post("/{idea_id}/status", response_model=IdeaPublic, responses=responses(404, 409))
def change_status(session: SessionDep, user: CxUser, idea_id: Id, data: StatusUpdate) -> IdeaPublic:
    """Answer an idea: a new status with the response its submitter and supporters see."""
    idea = service.get_visible_idea(session, idea_id, user)
    service.change_status(session, user, idea, data)
    return IdeaPublic.model_validate(idea)
