"""The signed-in user's own things: personal API tokens.

Tokens are managed by a person, never by a token: a caller using a bearer token gets 403 from
every token route (here and in ``api_v1``), so a leaked token cannot make itself a successor.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse

from api import accounts
from api.access import AdminUser, CurrentUser
from api.deps import SessionDep, SettingsDep
from api.forms import FormErrors, validate
from api.models import ApiTokenCreate, TokenScope
from api.pages import account as pages
from api.params import Id
from api.security import create_api_token
from api.web import render
from foundation.accounts import User
from foundation.errors import Forbidden
from foundation.i18n import N_, gettext

router = APIRouter(include_in_schema=False)

TOKENS_BY_PERSON = N_("API tokens cannot create, list or revoke tokens. Sign in to manage them.")


def _not_a_token(request: Request) -> None:
    if getattr(request.state, "api_token_id", None) is not None:
        raise Forbidden(TOKENS_BY_PERSON)


def signed_in_person(request: Request, user: CurrentUser) -> User:
    _not_a_token(request)
    return user


def signed_in_admin(request: Request, user: AdminUser) -> User:
    _not_a_token(request)
    return user


# Who may manage tokens: a person (their own), or an admin (anyone's), never by bearer token.
PersonUser = Annotated[User, Depends(signed_in_person)]
PersonAdmin = Annotated[User, Depends(signed_in_admin)]


@router.get("/account/tokens")
def tokens_page(
    request: Request, session: SessionDep, settings: SettingsDep, user: PersonUser
) -> HTMLResponse:
    return render(
        request, "tokens.html", pages.tokens_page(session, settings, user), block="tokens"
    )


@router.post("/account/tokens")
def create_token(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: PersonUser,
    name: Annotated[str, Form(max_length=200)] = "",
    write: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    scopes = [TokenScope.read, TokenScope.write] if write else [TokenScope.read]
    try:
        data = validate(ApiTokenCreate, {"name": name, "scopes": scopes})
    except FormErrors:
        message = gettext("Give the token a name of 1 to 100 characters, with letters or digits.")
        page = pages.tokens_page(session, settings, user, name=name, write=write, error=message)
        return render(request, "tokens.html", page, block="tokens", status_code=422)
    _, secret = create_api_token(
        session, user, data.name, scopes=data.scopes, days=settings.api_token_days
    )
    page = pages.tokens_page(session, settings, user, secret=secret)
    return render(request, "tokens.html", page, block="tokens", status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(
    request: Request, session: SessionDep, settings: SettingsDep, user: PersonUser, token_id: Id
) -> HTMLResponse:
    token = accounts.get_token(session, token_id, owner_id=user.id)
    accounts.revoke_token(session, token)
    return render(
        request, "tokens.html", pages.tokens_page(session, settings, user), block="tokens"
    )
