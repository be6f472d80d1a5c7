"""The signed-in user's own things: personal API tokens."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session, col, select

from api.access import CurrentUser, require_owner_or
from api.deps import SessionDep
from api.models import ApiToken
from api.security import create_api_token
from api.web import render
from foundation.accounts import User
from foundation.clock import utcnow
from foundation.errors import NotFound

router = APIRouter(include_in_schema=False)


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id)
    return list(session.exec(query.order_by(col(ApiToken.created_at).desc())))


def revoke_token(session: Session, user: User, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound("No such token.")
    require_owner_or(user, token.user_id)  # nobody revokes another person's token by id
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.add(token)
        session.flush()
    return token


@router.get("/account/tokens")
def tokens_page(request: Request, session: SessionDep, user: CurrentUser) -> HTMLResponse:
    return render(request, "tokens.html", {"tokens": tokens_of(session, user)})


@router.post("/account/tokens")
def create_token(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    name: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    name = " ".join(name.split())
    context: dict[str, object] = {"name": name}
    if not name or len(name) > 100:
        context["error"] = "Give the token a name of 1 to 100 characters."
        status = 422
    else:
        _, secret = create_api_token(session, user, name)
        context = {"secret": secret}
        status = 201
    context["tokens"] = tokens_of(session, user)
    return render(request, "tokens.html", context, block="tokens", status_code=status)


@router.post("/account/tokens/{token_id}/revoke")
def revoke(request: Request, session: SessionDep, user: CurrentUser, token_id: int) -> HTMLResponse:
    revoke_token(session, user, token_id)
    return render(request, "tokens.html", {"tokens": tokens_of(session, user)}, block="tokens")
