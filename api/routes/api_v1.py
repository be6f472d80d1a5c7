"""The JSON API, ``/api/v1``: the same rules as the pages, by session cookie or bearer token."""

from typing import Annotated

from fastapi import APIRouter, Body, Response
from pydantic import BaseModel, Field

from api import accounts
from api.access import AdminUser, CurrentUser, CxUser, LeaderUser, require_owner_or, require_team
from api.deps import QueueDep, SessionDep, SettingsDep
from api.errors import API_ERRORS, responses
from api.models import ApiToken, ApiTokenCreate, ApiTokenPublic
from api.params import Id
from api.routes.account import PersonAdmin, PersonUser
from api.security import create_api_token
from foundation.accounts import Role, TeamPublic, UserCreate, UserPublic
from jobs import service
from jobs.models import JobPublic

router = APIRouter(prefix="/api/v1", tags=["api"], responses=API_ERRORS)


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="The secret. Shown once; only its hash is stored.")


class DemoJobCreate(BaseModel):
    n: int = Field(default=100, ge=1, le=100_000)


@router.get("/me", response_model=UserPublic)
def me(user: CurrentUser) -> UserPublic:
    return UserPublic.model_validate(user)


@router.get("/users", response_model=list[UserPublic])
def list_users(session: SessionDep, _: AdminUser) -> list[UserPublic]:
    return [UserPublic.model_validate(u) for u in accounts.list_users(session)]


@router.post("/users", response_model=UserPublic, status_code=201, responses=responses(409))
def create_user(session: SessionDep, _: AdminUser, data: UserCreate) -> UserPublic:
    return UserPublic.model_validate(accounts.create_user(session, data))


@router.get("/teams", response_model=list[TeamPublic])
def list_teams(session: SessionDep, user: LeaderUser) -> list[TeamPublic]:
    teams = accounts.list_teams(session)
    if user.role == Role.team_lead:
        teams = [t for t in teams if t.id == user.team_id]
    return [TeamPublic.model_validate(t) for t in teams]


@router.get("/teams/{team_id}/members", response_model=list[UserPublic], responses=responses(404))
def team_members(session: SessionDep, user: LeaderUser, team_id: Id) -> list[UserPublic]:
    require_team(user, team_id)
    accounts.get_team(session, team_id)
    return [UserPublic.model_validate(u) for u in accounts.list_users(session, team_id=team_id)]


@router.get("/jobs", response_model=list[JobPublic])
def list_jobs(session: SessionDep, user: CxUser) -> list[JobPublic]:
    owner = None if user.role == Role.admin else user.id
    return [JobPublic.model_validate(j) for j in service.list_jobs(session, started_by_id=owner)]


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=responses(404))
def get_job(session: SessionDep, user: CxUser, job_id: Id) -> JobPublic:
    job = service.get_job(session, job_id)
    require_owner_or(user, job.started_by_id, Role.admin)
    return JobPublic.model_validate(job)


@router.post("/jobs/demo", response_model=JobPublic, status_code=202)
def start_demo_job(
    session: SessionDep,
    queue: QueueDep,
    user: AdminUser,
    data: Annotated[DemoJobCreate, Body()] = DemoJobCreate(),
) -> JobPublic:
    job = service.start_job(
        session,
        queue,
        "demo.count",
        {"n": data.n, "batch_size": 10, "delay": 0.02},
        started_by_id=user.id,
    )
    return JobPublic.model_validate(job)


# ------------------------------------------------------------------------------------- tokens
# Managed by a signed-in person, never by a token (``api.routes.account``): 403 for a bearer.
@router.get("/tokens", response_model=list[ApiTokenPublic])
def list_tokens(session: SessionDep, user: PersonUser) -> list[ApiTokenPublic]:
    """Your tokens, newest first, revoked and expired ones included."""
    return _public(accounts.tokens_of(session, user.id))


@router.post("/tokens", response_model=ApiTokenCreated, status_code=201)
def create_token(
    session: SessionDep, settings: SettingsDep, user: PersonUser, data: ApiTokenCreate
) -> ApiTokenCreated:
    """A new token for you, with the scopes asked for (``read`` unless told), expiring after
    the configured number of days. The secret is in the answer, once."""
    token, secret = create_api_token(
        session, user, data.name, scopes=data.scopes, days=settings.api_token_days
    )
    return ApiTokenCreated.model_validate({**token.model_dump(), "token": secret})


@router.delete("/tokens/{token_id}", status_code=204, responses=responses(404))
def delete_token(session: SessionDep, user: PersonUser, token_id: Id) -> Response:
    """Revoke one of your tokens."""
    accounts.revoke_token(session, accounts.get_token(session, token_id, owner_id=user.id))
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/tokens", response_model=list[ApiTokenPublic], responses=responses(404)
)
def user_tokens(session: SessionDep, _: PersonAdmin, user_id: Id) -> list[ApiTokenPublic]:
    """Admins: anyone's tokens."""
    return _public(accounts.tokens_of(session, accounts.get_user(session, user_id).id))


@router.delete("/users/{user_id}/tokens/{token_id}", status_code=204, responses=responses(404))
def revoke_user_token(session: SessionDep, _: PersonAdmin, user_id: Id, token_id: Id) -> Response:
    """Admins: revoke anyone's token."""
    accounts.revoke_token(session, accounts.get_token(session, token_id, owner_id=user_id))
    return Response(status_code=204)


def _public(tokens: list[ApiToken]) -> list[ApiTokenPublic]:
    return [ApiTokenPublic.model_validate(t) for t in tokens]
