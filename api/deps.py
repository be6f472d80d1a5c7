"""Typed dependencies every route uses: the request's database session, settings, queue, user."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from api.security import SESSION_COOKIE, user_for_api_token, user_for_session
from coaching.guide_search import GuideIndex
from foundation.accounts import User, UserPublic
from foundation.db import transaction
from foundation.embeddings import Embedder, get_embedder
from foundation.settings import Settings
from ideas import service as ideas_service
from ideas.similar import VectorIndex
from jobs.queue import Queue


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_db(request: Request) -> Iterator[Session]:
    """The request owns the transaction: services flush, this commits once the handler returns."""
    with request.app.state.session_factory() as session, transaction(session):
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": commit before the response is sent, so a failed commit is never reported
# as success and after-commit work (enqueueing) has happened when the client hears back.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def get_queue(request: Request) -> Queue:
    queue: Queue = request.app.state.queue
    return queue


QueueDep = Annotated[Queue, Depends(get_queue)]


def optional_user(request: Request, session: SessionDep, settings: SettingsDep) -> User | None:
    """The signed-in user from the session cookie, or from a bearer token on the JSON API."""
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and request.url.path.startswith("/api/"):
        user = user_for_api_token(session, auth[7:].strip())
    elif token := request.cookies.get(SESSION_COOKIE):
        user = user_for_session(session, settings, token)
    else:
        user = None
    # Templates get a detached copy: an error page rendered after the transaction rolled back
    # must still be able to show who is signed in.
    request.state.user = UserPublic.model_validate(user) if user else None
    request.state.unread = ideas_service.unread_count(session, user) if user else 0
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]


def get_embedder_dep() -> Embedder:
    return get_embedder()


def get_idea_index(request: Request) -> VectorIndex:
    index: VectorIndex = request.app.state.idea_index
    return index


EmbedderDep = Annotated[Embedder, Depends(get_embedder_dep)]
IdeaIndexDep = Annotated[VectorIndex, Depends(get_idea_index)]


def get_guide_index(request: Request) -> GuideIndex:
    index: GuideIndex = request.app.state.guide_index
    return index


GuideIndexDep = Annotated[GuideIndex, Depends(get_guide_index)]
