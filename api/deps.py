"""Typed dependencies every route uses: the request's database session, settings, queue, user."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import Annotated

from fastapi import BackgroundTasks, Depends, Request
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from api.security import (
    SESSION_COOKIE,
    check_token_use,
    lookup_api_token,
    lookup_session,
    token_touch_due,
    touch_api_token,
    touch_due,
    touch_session,
)
from coaching.guides.search import GuideIndex
from foundation.accounts import User, UserPublic
from foundation.db import transaction, unit_of_work
from foundation.embeddings import Embedder, get_embedder
from foundation.i18n import set_locale
from foundation.settings import Settings
from ideas.submissions import notifications as idea_notifications
from ideas.submissions.similar import VectorIndex
from jobs.queue import Queue


async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


log = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Dependencies that only read ``app.state`` are ``async``: a plain function would cost a hop to
# the thread pool and back on every request. Anything that touches the database or may block
# stays a plain function, run in the thread pool.


def writes(request: Request) -> bool:
    return request.method not in SAFE_METHODS


async def whole_body(request: Request) -> None:
    """Receive the body before the transaction starts, so a slow client never holds the write
    lock. FastAPI has already read it when the route declares body fields (and spooled declared
    uploads to disk); otherwise the handler parses it itself, and a form is small here
    (``api.limits``)."""
    declared = getattr(request.scope.get("route"), "body_field", None) is not None
    if writes(request) and not declared:
        await request.body()


def get_db(
    request: Request, after: BackgroundTasks, _: Annotated[None, Depends(whole_body)]
) -> Iterator[Session]:
    """The request owns the transaction: services flush, this commits once the handler returns.
    A request that may write takes the write lock (when it first touches the database); a page
    view is read-only, and the small writes beside it (``write_after``) run once the answer has
    been sent."""
    factory = request.app.state.session_factory
    with factory() as session, transaction(session, write=writes(request)):
        yield session
    if work := getattr(request.state, "writes_after", None):
        after.add_task(_bookkeeping, factory, work)


def _bookkeeping(factory: Callable[[], Session], work: list[Callable[[Session], None]]) -> None:
    try:
        with unit_of_work(factory, write=True) as writer:
            for write in work:
                write(writer)
    except OperationalError:
        # Only bookkeeping (last activity, a reuse count) is lost, and is recorded next time.
        log.warning("a bookkeeping write after a request was skipped: database busy")


def write_after(request: Request, work: Callable[[Session], None]) -> None:
    """A small write beside the request's own work (a page view is read-only; a last-activity
    record must not hold up a route's write lock), run in a short write transaction of its own
    once the answer is sent. Never nested inside the request's transaction: a request holding
    two connections at once could starve the pool under load."""
    if not hasattr(request.state, "writes_after"):
        request.state.writes_after = []
    request.state.writes_after.append(work)


async def get_session_factory(request: Request) -> Callable[[], Session]:
    """For the rare route that splits its work into several short transactions (sign-in)."""
    factory: Callable[[], Session] = request.app.state.session_factory
    return factory


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": commit before the response is sent, so a failed commit is never reported
# as success and after-commit work (enqueueing) has happened when the client hears back.
SessionDep = Annotated[Session, Depends(get_db, scope="function")]
SessionFactoryDep = Annotated[Callable[[], Session], Depends(get_session_factory)]


async def get_queue(request: Request) -> Queue:
    queue: Queue = request.app.state.queue
    return queue


QueueDep = Annotated[Queue, Depends(get_queue)]


# Requests that can store something anonymously never touch the caller's session or token row,
# named or not, so no row changes with them (README, security notes: anonymity).
QUIET_ROUTES = frozenset({("POST", "/ideas"), ("POST", "/api/v1/ideas")})


def optional_user(request: Request, settings: SettingsDep, session: SessionDep) -> User | None:
    """The signed-in user from the session cookie, or from a bearer token on the JSON API.

    A page view looks it up in its own read-only transaction. A request that may write looks
    it up in a short read-only transaction of its own, so that the route takes the write lock
    only when it first touches the database itself: after the caller is known and after its
    slow work (embedding an idea, say). Last activity is recorded after the request
    (``write_after``)."""
    if not writes(request):
        return _caller(request, session, settings)
    with unit_of_work(request.app.state.session_factory, write=False) as reader:
        return _caller(request, reader, settings)


def _caller(request: Request, session: Session, settings: Settings) -> User | None:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer ") and request.url.path.startswith("/api/"):
        user = _bearer_user(request, session, auth[7:].strip())
    else:
        user = _cookie_user(request, session, settings)
    # Templates get a detached copy: an error page rendered after the transaction rolled back
    # must still be able to show who is signed in. Pages show the unread count; JSON does not.
    request.state.user = UserPublic.model_validate(user) if user else None
    page = not request.url.path.startswith("/api/")
    request.state.unread = idea_notifications.unread_count(session, user) if user and page else 0
    return user


def _bearer_user(request: Request, session: Session, secret: str) -> User | None:
    found = lookup_api_token(session, secret)
    if found is None:
        return None
    token, user = found
    check_token_use(token, request.method)  # a read-only token cannot change anything
    request.state.api_token_id = token.id  # token routes refuse token callers (account.py)
    if day := token_touch_due(token):
        _record_activity(request, partial(touch_api_token, token.id, day))
    return user


def _cookie_user(request: Request, session: Session, settings: Settings) -> User | None:
    cookie = request.cookies.get(SESSION_COOKIE)
    found = lookup_session(session, settings, cookie) if cookie else None
    if found is None:
        return None
    row, user = found
    if minute := touch_due(row):
        _record_activity(request, partial(touch_session, row.id_hash, minute))
    return user


def _record_activity(request: Request, touch: Callable[[Session], None]) -> None:
    """Keep the last-activity record (idle timeout, "last used"), after the request."""
    route = request.scope.get("route")
    if (request.method, getattr(route, "path", "")) not in QUIET_ROUTES:
        write_after(request, touch)


async def localised_user(
    user: Annotated[User | None, Depends(optional_user)],
) -> User | None:
    """The caller, with the rest of the request switched to their saved language. ``async`` on
    purpose: it runs in the request's own context (a plain function would set it in a thread's
    copy), so the route, its page and any error page after it all see the switch."""
    if user is not None and user.locale:
        set_locale(user.locale)
    return user


OptionalUser = Annotated[User | None, Depends(localised_user)]


def get_embedder_dep(settings: SettingsDep) -> Embedder:
    return get_embedder(settings)


async def get_idea_index(request: Request) -> VectorIndex:
    index: VectorIndex = request.app.state.idea_index
    return index


EmbedderDep = Annotated[Embedder, Depends(get_embedder_dep)]
IdeaIndexDep = Annotated[VectorIndex, Depends(get_idea_index)]


async def get_guide_index(request: Request) -> GuideIndex:
    index: GuideIndex = request.app.state.guide_index
    return index


GuideIndexDep = Annotated[GuideIndex, Depends(get_guide_index)]
