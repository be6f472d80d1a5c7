"""Admin pages: users and teams. CX leads may read the team list; only admins change things."""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel
from sqlmodel import Session

from api import accounts
from api.access import AdminUser, CxUser
from api.deps import SessionDep
from api.forms import FormErrors, PostedForm, form_values, from_domain, validate
from api.params import Id
from api.routes.account import PersonAdmin
from api.web import render, see_other
from foundation.accounts import Role, TeamCreate, TeamUpdate, User, UserCreate, UserUpdate
from foundation.clock import utcnow
from foundation.errors import DomainError

router = APIRouter(prefix="/admin", include_in_schema=False)


def _form(session: Session, **context: Any) -> dict[str, Any]:
    """What the user and team forms need: choices for their selects, values and errors."""
    leaders = [u for u in accounts.list_users(session) if u.role == Role.team_lead and u.is_active]
    return {
        "role_options": [(r.value, r.label) for r in Role],
        "team_options": [(t.id, t.name) for t in accounts.list_teams(session)],
        "leader_options": [(u.id, u.display_name) for u in leaders],
        "errors": {},
        "values": {},
        **context,
    }


def _rerender(
    request: Request, session: Session, template: str, exc: FormErrors, **context: Any
) -> HTMLResponse:
    ctx = _form(session, errors=exc.errors, values=exc.values, **context)
    return render(request, template, ctx, block="form", status_code=422)


def _checkbox(values: dict[str, Any], name: str) -> None:
    values[name] = values.get(name) in ("on", "true", "1")


# ---------------------------------------------------------------------------------------- users
@router.get("/users")
def users_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    teams = {t.id: t for t in accounts.list_teams(session)}
    return render(
        request, "admin/users.html", {"users": accounts.list_users(session), "teams": teams}
    )


@router.get("/users/new")
def new_user_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    ctx = _form(session, values={"role": "staff"})
    return render(request, "admin/user_form.html", ctx)


@router.post("/users")
def create_user(request: Request, session: SessionDep, _: AdminUser, form: PostedForm) -> Response:
    values = form_values(form)
    try:
        _save(session, UserCreate, values, lambda data: accounts.create_user(session, data))
    except FormErrors as exc:
        return _rerender(request, session, "admin/user_form.html", exc)
    return see_other(request, "/admin/users")


@router.get("/users/{user_id}/edit")
def edit_user_page(
    request: Request, session: SessionDep, _: AdminUser, user_id: Id
) -> HTMLResponse:
    return _edit_page(request, session, accounts.get_user(session, user_id))


@router.post("/users/{user_id}/tokens/{token_id}/revoke")
def revoke_token(
    request: Request, session: SessionDep, _: PersonAdmin, user_id: Id, token_id: Id
) -> HTMLResponse:
    """Admins revoke anyone's API token (a leaver's script, a token seen in a log)."""
    user = accounts.get_user(session, user_id)
    accounts.revoke_token(session, accounts.get_token(session, token_id, owner_id=user_id))
    return _edit_page(request, session, user, block="tokens")


def _edit_page(
    request: Request, session: Session, user: User, *, block: str | None = None
) -> HTMLResponse:
    """The user's form, and their API tokens with a revoke button each."""
    values = user.model_dump(exclude={"password_hash"})
    ctx = _form(session, edited=user, values=values, **_token_list(session, user))
    return render(request, "admin/user_form.html", ctx, block=block)


def _token_list(session: Session, user: User) -> dict[str, Any]:
    return {
        "tokens": accounts.tokens_of(session, user.id),
        "now": utcnow(),
        "revoke_base": f"/admin/users/{user.id}/tokens",
    }


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
        tokens = _token_list(session, user)
        return _rerender(request, session, "admin/user_form.html", exc, edited=user, **tokens)
    return see_other(request, "/admin/users")


# ---------------------------------------------------------------------------------------- teams
@router.get("/teams")
def teams_page(request: Request, session: SessionDep, _: CxUser) -> HTMLResponse:
    users = {u.id: u for u in accounts.list_users(session)}
    return render(
        request,
        "admin/teams.html",
        {
            "teams": accounts.list_teams(session),
            "users": users,
            "sizes": accounts.team_sizes(session),
        },
    )


@router.get("/teams/new")
def new_team_page(request: Request, session: SessionDep, _: AdminUser) -> HTMLResponse:
    ctx = _form(session)
    return render(request, "admin/team_form.html", ctx)


@router.post("/teams")
def create_team(request: Request, session: SessionDep, _: AdminUser, form: PostedForm) -> Response:
    values = form_values(form)
    try:
        _save(session, TeamCreate, values, lambda data: accounts.create_team(session, data))
    except FormErrors as exc:
        return _rerender(request, session, "admin/team_form.html", exc)
    return see_other(request, "/admin/teams")


@router.get("/teams/{team_id}/edit")
def edit_team_page(
    request: Request, session: SessionDep, _: AdminUser, team_id: Id
) -> HTMLResponse:
    team = accounts.get_team(session, team_id)
    ctx = _form(session, edited=team, values=team.model_dump())
    return render(request, "admin/team_form.html", ctx)


@router.post("/teams/{team_id}")
def update_team(
    request: Request, session: SessionDep, _: AdminUser, team_id: Id, form: PostedForm
) -> Response:
    team = accounts.get_team(session, team_id)
    values = form_values(form)
    try:
        _save(session, TeamUpdate, values, lambda data: accounts.update_team(session, team, data))
    except FormErrors as exc:
        return _rerender(request, session, "admin/team_form.html", exc, edited=team)
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
