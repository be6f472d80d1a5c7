from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.access import CurrentUser
from api.accounts import get_team
from api.deps import SessionDep
from api.web import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    team = get_team(session, user.team_id) if user.team_id else None
    return render(request, "home.html", {"team": team})
