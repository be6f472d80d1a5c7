"""``/api/v1/themes``: themes, their members and the latest run, for CX leads and admins."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, func, select

from api.access import CxUser
from api.deps import SessionDep
from api.errors import API_ERRORS, responses
from api.params import Id
from foundation.ids import pk
from ideas.themes import queries as theme_queries
from ideas.themes.models import (
    DocumentKind,
    ThemeMember,
    ThemeMemberPublic,
    ThemePublic,
    ThemeState,
)

router = APIRouter(prefix="/api/v1/themes", tags=["themes"], responses=API_ERRORS)


class RunPublic(BaseModel):
    id: int
    documents: int
    themed: int
    unthemed_share: float
    themes: int
    new_themes: int
    faded_themes: int
    finished_at: str


class ThemeList(BaseModel):
    items: list[ThemePublic]
    run: RunPublic | None


class MemberPage(BaseModel):
    items: list[ThemeMemberPublic]
    total: int
    page: int


@router.get("", response_model=ThemeList)
def list_themes(session: SessionDep, _: CxUser, state: ThemeState = ThemeState.active) -> ThemeList:
    run = theme_queries.latest_run(session)
    return ThemeList(
        items=[
            ThemePublic.model_validate(t)
            for t in theme_queries.list_themes(session, states=[state])
        ],
        run=None
        if run is None
        else RunPublic(
            id=pk(run),
            documents=run.documents,
            themed=run.themed,
            unthemed_share=round(run.unthemed_share, 4),
            themes=run.themes,
            new_themes=run.new_themes,
            faded_themes=run.faded_themes,
            finished_at=run.finished_at.isoformat(),
        ),
    )


@router.get("/{theme_id}", response_model=ThemePublic, responses=responses(404))
def get_theme(session: SessionDep, _: CxUser, theme_id: Id) -> ThemePublic:
    return ThemePublic.model_validate(theme_queries.get_theme(session, theme_id))


@router.get("/{theme_id}/members", response_model=MemberPage, responses=responses(404))
def theme_members(
    session: SessionDep,
    _: CxUser,
    theme_id: Id,
    kind: DocumentKind | None = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 100,
) -> MemberPage:
    theme_queries.get_theme(session, theme_id)
    where = [ThemeMember.theme_id == theme_id]
    if kind is not None:
        where.append(ThemeMember.kind == kind)
    total = session.exec(select(func.count()).select_from(ThemeMember).where(*where)).one()
    rows = session.exec(
        select(ThemeMember)
        .where(*where)
        .order_by(col(ThemeMember.similarity).desc(), col(ThemeMember.id))
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return MemberPage(
        items=[ThemeMemberPublic.model_validate(m) for m in rows], total=total, page=page
    )
