"""The interface language: a signed-in person's choice on the account page (kept on their
account, so it follows them to any browser), and the switcher of the pages before sign-in (a
cookie). Both also set the cookie, so answers given before the caller is known (a refused form,
a request too large) are in the chosen language too."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.access import CurrentUser, NoUser
from api.deps import SessionDep, SettingsDep
from api.locale import remember
from api.web import render, see_other
from foundation.accounts import User
from foundation.errors import Invalid
from foundation.i18n import LOCALES, N_

router = APIRouter(include_in_schema=False)

NOT_A_LANGUAGE = N_("Choose one of the languages in the list.")
BROWSER = ""  # the form's value for "the language my browser asks for"


def chosen_locale(value: str) -> str | None:
    """The locale a form chose (None: the browser's); anything else is refused."""
    if value == BROWSER:
        return None
    if value in LOCALES:
        return value
    raise Invalid(NOT_A_LANGUAGE, field="locale")


def local_path(target: str | None) -> str:
    """Where to go back to: a path on this site only, never another site (no open redirect)."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return "/"


@router.get("/account")
def account_page(request: Request, user: CurrentUser, saved: bool = False) -> HTMLResponse:
    return render(request, "account.html", {"chosen": user.locale or BROWSER, "saved": saved})


@router.post("/account/language")
def save_language(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CurrentUser,
    locale: Annotated[str, Form(max_length=64)] = BROWSER,
) -> Response:
    try:
        chosen = chosen_locale(locale)
    except Invalid as exc:
        page = {"chosen": user.locale or BROWSER, "error": exc.translated()}
        return render(request, "account.html", page, status_code=422)
    stored = session.get(User, user.id)
    assert stored is not None  # the caller's own account, just looked up
    stored.locale = chosen
    session.add(stored)
    response = see_other(request, "/account?saved=true")
    remember(response, chosen, secure=settings.https)
    return response


@router.post("/language")
def switch_language(
    settings: SettingsDep,
    _: NoUser,
    locale: Annotated[str, Form(max_length=64)] = BROWSER,
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """The switcher of the signed-out pages: remember the choice in a cookie, and go back."""
    chosen = chosen_locale(locale)
    response = RedirectResponse(local_path(next), status_code=303)
    remember(response, chosen, secure=settings.https)
    return response
