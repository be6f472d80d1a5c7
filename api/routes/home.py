"""Each role's starting point: what needs them now.

- agent: their ideas and the answers, their coaching, the guide search box;
- team leader: the team's gap rates, coaching completion and coaching suggestions;
- CX lead (and admin): growing themes, ideas awaiting an answer, overdue action plans and the
  coaching effect of published modules.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.access import CurrentUser
from api.deps import SessionDep, SettingsDep
from api.pages.home import home_page
from api.web import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> HTMLResponse:
    return render(request, "home.html", home_page(session, settings, user))
