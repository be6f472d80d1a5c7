from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.access import CurrentUser
from api.deps import SessionDep
from api.pages import notifications as pages
from api.web import render
from ideas.submissions import notifications as idea_notifications

router = APIRouter(prefix="/notifications", include_in_schema=False)


@router.get("")
def notifications(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    return render(request, "notifications.html", pages.notifications_page(session, user))


@router.post("/read")
def mark_read(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    idea_notifications.mark_all_read(session, user)
    request.state.unread = 0
    return render(
        request, "notifications.html", pages.notifications_page(session, user), block="list"
    )
