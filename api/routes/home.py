from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.access import CurrentUser
from api.accounts import get_team
from api.deps import SessionDep, SettingsDep
from api.web import render
from foundation.clock import utcnow
from ideas import service as ideas

router = APIRouter(include_in_schema=False)
SHARE_WINDOW_DAYS = 90


@router.get("/")
def home(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> HTMLResponse:
    """Each role's starting point: what needs them now."""
    days = settings.idea_response_working_days
    context: dict[str, object] = {
        "team": get_team(session, user.team_id) if user.team_id else None,
        "my_ideas": ideas.my_ideas(session, user),
        "response_days": days,
    }
    if ideas.can_moderate(user):
        waiting, overdue = ideas.awaiting_answer(session, days)
        on_time, due = ideas.answered_in_time_share(
            session, days, utcnow() - timedelta(days=SHARE_WINDOW_DAYS)
        )
        context.update(
            waiting=waiting,
            overdue_count=overdue,
            on_time=on_time,
            due=due,
            share_window=SHARE_WINDOW_DAYS,
        )
    return render(request, "home.html", context)
