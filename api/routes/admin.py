"""Admin pages: users and teams. CX leads may read the team list; only admins change things.
The pages' data comes from ``api.pages.admin``."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from api import accounts
from api.access import AdminUser, CxUser
from api.deps import SessionDep
from api.forms import FormErrors, PostedForm, form_values, from_domain, validate
from api.pages import admin as pages
from api.params import Id
from api.routes.account import PersonAdmin
from api.web import render, see_other
from foundation.accounts import TeamCreate, TeamUpdate, UserCreate, UserUpdate
from foundation.errors import DomainError

router = APIRouter(prefix="/admin", include_in_schema=False)


def _checkbox(values: dict[str, Any], name: str) -> None:
    values[name] = values.get(name) in ("on", "true", "1")


# ---------------------------------------------------------------------------------------- users
@router.get("/users")
def users_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    return render(request, "admin/users.html", pages.users_page(session))


@router.get("/users/new")
def new_user_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    return render(request, "admin/user_form.html", pages.new_user_form(session))


@router.post("/users")
def create_user(request: Request, session: SessionDep, _: AdminUser, form: PostedForm) -> Response:
    values = form_values(form)
    try:
        _save(session, UserCreate, values, lambda data: accounts.create_user(session, data))
    except FormErrors as exc:
        page = pages.new_user_form(session, exc.values, exc.errors)
        return render(request, "admin/user_form.html", page, block="form", status_code=422)
    return see_other(request, "/admin/users")


@router.get("/users/{user_id}/edit")
def edit_user_page(
    request: Request, session: SessionDep, _: AdminUser, user_id: Id
) -> HTMLResponse:
    page = pages.user_form(session, accounts.get_user(session, user_id))
    return render(request, "admin/user_form.html", page)


@router.post("/users/{user_id}/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, session: SessionDep, _: PersonAdmin, user_id: Id, token_id: Id
) -> HTMLResponse:
    """Admins revoke anyone's API token (a leaver's script, a token seen in a log)."""
    user = accounts.get_user(session, user_id)
    accounts.revoke_token(session, accounts.get_token(session, token_id, owner_id=user_id))
    return render(request, "admin/user_form.html", pages.user_form(session, user), block="tokens")


@router.post("/users/{user_id}")
def update_user(
    request: Request, session: SessionDep, admin: AdminUser, user_id: Id, form: PostedForm
) -> Response:
    user = accounts.get_user(session, user_id)
    values = form_values(form)
    _checkbox(values, "is_active")
    try:
        _save(
            session,
            UserUpdate,
            values,
            lambda data: accounts.update_user(session, user, data, acting=admin),
        )
    except FormErrors as exc:
        page = pages.user_form(session, user, exc.values, exc.errors)
        return render(request, "admin/user_form.html", page, block="form", status_code=422)
    return see_other(request, "/admin/users")


# ---------------------------------------------------------------------------------------- teams
@router.get("/teams")
def teams_page(request: Request, session: SessionDep, _: CxUser) -> HTMLResponse:
    return render(request, "admin/teams.html", pages.teams_page(session))


@router.get("/teams/new")
def new_team_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    return render(request, "admin/team_form.html", pages.team_form(session))


@router.post("/teams")
def create_team(request: Request, session: SessionDep, _: AdminUser, form: PostedForm) -> Response:
    values = form_values(form)
    try:
        _save(session, TeamCreate, values, lambda data: accounts.create_team(session, data))
    except FormErrors as exc:
        page = pages.team_form(session, None, exc.values, exc.errors)
        return render(request, "admin/team_form.html", page, block="form", status_code=422)
    return see_other(request, "/admin/teams")


@router.get("/teams/{team_id}/edit")
def edit_team_page(
    request: Request, session: SessionDep, _: AdminUser, team_id: Id
) -> HTMLResponse:
    page = pages.team_form(session, accounts.get_team(session, team_id))
    return render(request, "admin/team_form.html", page)


@router.post("/teams/{team_id}")
def update_team(
    request: Request, session: SessionDep, _: AdminUser, team_id: Id, form: PostedForm
) -> Response:
    team = accounts.get_team(session, team_id)
    values = form_values(form)
    try:
        _save(session, TeamUpdate, values, lambda data: accounts.update_team(session, team, data))
    except FormErrors as exc:
        page = pages.team_form(session, team, exc.values, exc.errors)
        return render(request, "admin/team_form.html", page, block="form", status_code=422)
    return see_other(request, "/admin/teams")


# -------------------------------------------------------------------------------------- helpers
def _save(session: Session, model: type[BaseModel], values: dict[str, Any], action: Any) -> None:
    data = validate(model, values)
    try:
        # A savepoint, so a refused change leaves nothing half-written in this request.
        with session.begin_nested():
            action(data)
    except DomainError as exc:
        raise from_domain(exc, values) from exc
