"""A team's page: its people (from ``api.pages.teams``). Leaders read their own team only,
whatever id is typed."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import LeaderUser, require_team
from api.deps import SessionDep
from api.pages import teams as pages
from api.params import Id
from api.web import render
from foundation.errors import NotFound
from foundation.i18n import N_

router = APIRouter(prefix="/teams", include_in_schema=False)


@router.get("/mine")
def my_team(user: LeaderUser) -> Response:
    if user.team_id is None:
        raise NotFound(N_("You are not in a team yet. Ask an administrator to add you to one."))
    return RedirectResponse(f"/teams/{user.team_id}", status_code=303)


@router.get("/{team_id}")
def team_page(request: Request, session: SessionDep, user: LeaderUser, team_id: Id) -> HTMLResponse:
    require_team(user, team_id)
    return render(request, "team.html", pages.team_page(session, team_id))
