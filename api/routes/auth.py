"""Sign in and sign out."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.access import CurrentUser, MaybeUser, NoUser
from api.deps import SessionDep, SessionFactoryDep, SettingsDep
from api.security import SESSION_COOKIE, end_session, sign_in
from api.web import render
from foundation.errors import NotAuthenticated, TooManyRequests
from foundation.i18n import gettext
from foundation.settings import Settings

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only local paths: never bounce a fresh session to another site.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login")
def login_page(request: Request, user: MaybeUser, next: str | None = None) -> Response:
    if user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    sessions: SessionFactoryDep,
    settings: SettingsDep,
    _: NoUser,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    ip = request.client.host if request.client else "unknown"
    context = {"next": _safe_next(next), "email": email}
    if not email.strip() or not password:
        return render(
            request,
            "login.html",
            {**context, "error": gettext("Enter your email and password.")},
            status_code=422,
        )
    try:
        # Rotate: whatever session id the browser had is dropped and a new one issued.
        token = sign_in(
            sessions, settings, email, password, ip, replacing=request.cookies.get(SESSION_COOKIE)
        )
    except (NotAuthenticated, TooManyRequests) as exc:
        return render(
            request,
            "login.html",
            {**context, "error": exc.translated()},
            status_code=exc.status_code,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    _set_session_cookie(response, token, settings)
    return response


def _set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_absolute_hours * 3600,
        httponly=True,
        secure=settings.https,
        samesite="lax",
        path="/",
    )


@router.post("/logout")
def logout(request: Request, session: SessionDep, _: CurrentUser) -> Response:
    end_session(session, request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
