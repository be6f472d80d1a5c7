"""``/api/v1/themes``: themes, their members and the latest run, for CX leads and admins."""

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, func, select

from api.access import CxUser
from api.deps import SessionDep
from api.errors import API_ERRORS, responses
from api.params import Id, QueryId
from foundation.ids import pk
from ideas.themes import area_runs
from ideas.themes import queries as theme_queries
from ideas.themes.models import (
    AreaPublic,
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


class AreaList(BaseModel):
    items: list[AreaPublic]


class MemberPage(BaseModel):
    items: list[ThemeMemberPublic]
    total: int
    page: int


@router.get("", response_model=ThemeList, responses=responses(404))
def list_themes(
    session: SessionDep,
    _: CxUser,
    state: ThemeState = ThemeState.active,
    area_id: QueryId | None = None,
) -> ThemeList:
    """The themes in one state, largest first; ``area_id``: only those in that area."""
    themes = theme_queries.list_themes(session, states=[state])
    if area_id is not None:
        area_runs.get_area(session, area_id)  # 404 for an unknown area
        themes = [t for t in themes if t.area_id == area_id]
    run = theme_queries.latest_run(session)
    return ThemeList(
        items=[ThemePublic.model_validate(t) for t in themes],
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


@router.get("/areas", response_model=AreaList)
def list_areas(session: SessionDep, _: CxUser) -> AreaList:
    """The active areas, largest first, with their themes' count, size and weekly members."""
    areas = area_runs.active_areas(session)
    weekly = area_runs.weekly_counts(session, [pk(a) for a in areas])
    themes = theme_queries.list_themes(session)
    items = []
    for area in areas:
        mine = [t for t in themes if t.area_id == area.id]
        items.append(
            AreaPublic(
                id=pk(area),
                name=area.name,
                keywords=area.keywords,
                labels=area.labels,
                themes=len(mine),
                size=sum(t.size for t in mine),
                weekly=weekly.get(pk(area), []),
                created_at=area.created_at,
                updated_at=area.updated_at,
            )
        )
    return AreaList(items=items)


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
