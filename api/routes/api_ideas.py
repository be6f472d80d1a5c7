"""``/api/v1/ideas``: list, search, get, create, support, comment and answer ideas."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from api.access import CurrentUser, CxUser
from api.deps import EmbedderDep, IdeaIndexDep, SessionDep, SettingsDep
from api.errors import API_ERRORS, responses
from api.params import Id, QueryId
from ideas.submissions import customer_details
from ideas.submissions import queries as idea_queries
from ideas.submissions import service as idea_service
from ideas.submissions import similar as idea_similar
from ideas.submissions.models import (
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
    filters = idea_queries.IdeaFilters(
        status=status,
        category_id=category_id,
        stage_id=stage_id,
        department=department,
        kind=kind,
        q=q,
        sort=sort,
        page=page,
    )
    ideas, total = idea_queries.browse(session, filters, index=index, embedder=embedder)
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
    matches = idea_similar.similar_ideas(session, index, embedder, text)
    return [IdeaPublic.model_validate(m.idea) for m in matches]


@router.post("", response_model=IdeaCreated, status_code=201)
def create(
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    embedder: EmbedderDep,
    index: IdeaIndexDep,
    data: IdeaCreate,
) -> IdeaCreated:
    """Submit an idea. For an anonymous one the response carries the receipt token, once."""
    draft = idea_service.draft_idea(data, embedder, index)  # the slow part, before the write lock
    idea, receipt = idea_service.submit_idea(
        session, user, draft, min_group=settings.min_group_size
    )
    removed = customer_details.removed_details(
        f"{data.title}\n{data.body}", f"{idea.title}\n{idea.body}"
    )
    return IdeaCreated.model_validate(
        {**idea.model_dump(), "receipt_token": receipt, "removed": removed}
    )


@router.get("/{idea_id}", response_model=IdeaPublic, responses=responses(404))
def get(session: SessionDep, user: CurrentUser, idea_id: Id) -> IdeaPublic:
    return IdeaPublic.model_validate(idea_queries.get_visible_idea(session, idea_id, user))


@router.post("/{idea_id}/support", status_code=204, responses=responses(404, 409))
def support(session: SessionDep, user: CurrentUser, idea_id: Id) -> Response:
    idea_service.support(
        session, user, idea_queries.get_idea(session, idea_id, include_hidden=True)
    )
    return Response(status_code=204)


@router.delete("/{idea_id}/support", status_code=204, responses=responses(404, 409))
def withdraw(session: SessionDep, user: CurrentUser, idea_id: Id) -> Response:
    idea_service.withdraw_support(
        session, user, idea_queries.get_idea(session, idea_id, include_hidden=True)
    )
    return Response(status_code=204)


@router.get("/{idea_id}/comments", response_model=list[CommentPublic], responses=responses(404))
def list_comments(session: SessionDep, user: CurrentUser, idea_id: Id) -> list[CommentPublic]:
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    return [CommentPublic.model_validate(c) for c in idea_queries.comments(session, idea)]


@router.post(
    "/{idea_id}/comments",
    response_model=CommentPublic,
    status_code=201,
    responses=responses(404, 409),
)
def add_comment(
    session: SessionDep, user: CurrentUser, idea_id: Id, data: CommentCreate
) -> CommentPublic:
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    return CommentPublic.model_validate(idea_service.add_comment(session, idea, data, user=user))


@router.post("/{idea_id}/status", response_model=IdeaPublic, responses=responses(404, 409))
def change_status(session: SessionDep, user: CxUser, idea_id: Id, data: StatusUpdate) -> IdeaPublic:
    """Answer an idea: a new status with the response its submitter and supporters see."""
    idea = idea_queries.get_visible_idea(session, idea_id, user)
    idea_service.change_status(session, user, idea, data)
    return IdeaPublic.model_validate(idea)
