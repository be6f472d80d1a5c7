"""Limits before work: no request body is read until its size and its caller are known to be
right, and a request must arrive whole within a time limit.

``RequestLimitMiddleware`` (ASGI) decides from the request's head alone:

- sign-in, the language switcher and a receipt reply, the only routes that take a body without a
  sign-in, get the small limit (``request_max_bytes``); their cookies are never looked at, so an
  anonymous submitter's session is neither read nor touched by a reply;
- any other request with a body needs a caller (a live session cookie, or a bearer token under
  ``/api/``) and is answered 401 without one, before a byte of its body is read;
- the interaction-log upload gets the large limit (``upload_max_bytes``) when its caller is an
  active admin; everything else gets the small one.

A declared ``Content-Length`` over the limit is answered 413 at once; a chunked body stops being
read once past it. Refusals close the connection, so the unread rest is never received.

``DeadlineProtocol`` (uvicorn) closes a connection whose request, head and body, has not arrived
within ``request_timeout_seconds`` plus an allowance for the body received so far: uvicorn's own
keep-alive timer restarts on every byte and is not armed at all before the first request.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any

import anyio.to_thread
from sqlmodel import Session
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.errors import error_response
from api.security import SESSION_COOKIE, lookup_api_token, lookup_session
from foundation.accounts import Role, User
from foundation.errors import NotAuthenticated
from foundation.i18n import N_
from foundation.settings import Settings, get_settings

log = logging.getLogger("voiceloop.limits")

# Routes that take a body from someone who is not signed in.
PUBLIC_WITH_BODY = re.compile(r"^/(login|language|receipts/[^/]+/reply)$")
IMPORT_UPLOAD = ("POST", "/admin/imports")
CLOSE = {"Connection": "close"}


class RequestLimitMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = self.settings.request_max_bytes
        if _has_body(request) and not PUBLIC_WITH_BODY.match(request.url.path):
            role = await _caller_role(request, self.settings)
            if role is None:
                response = error_response(request, 401, NotAuthenticated.title)
                response.headers.update(CLOSE)
                await response(scope, receive, send)
                return
            if (request.method, request.url.path) == IMPORT_UPLOAD and role == Role.admin:
                limit = self.settings.upload_max_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _too_large(request, limit, receive, send)
            return
        await self._read_at_most(request, limit, receive, send)

    async def _read_at_most(
        self, request: Request, limit: int, receive: Receive, send: Send
    ) -> None:
        """Run the app, stopping a body (chunked, or longer than declared) once past ``limit``:
        whatever the app then answers is replaced by the 413."""
        seen = 0
        over = started = False

        async def counted() -> Message:
            nonlocal seen, over
            if not over:
                message = await receive()
                seen += len(message.get("body", b""))
                over = seen > limit
                if not over:
                    return message
            raise BodyTooLarge

        async def unless_over(message: Message) -> None:
            nonlocal started
            if not over:
                started = True
                await send(message)

        try:
            await self.app(request.scope, counted, unless_over)
        except Exception:
            if not over:
                raise
        if over and not started:
            await _too_large(request, limit, receive, send)


class BodyTooLarge(Exception):
    pass


def _has_body(request: Request) -> bool:
    declared = request.headers.get("content-length")
    return (declared is not None and declared != "0") or "transfer-encoding" in request.headers


async def _caller_role(request: Request, settings: Settings) -> Role | None:
    """The role of the signed-in caller, from read-only lookups in a thread of their own."""
    auth = request.headers.get("authorization", "")
    cookie = request.cookies.get(SESSION_COOKIE)
    find: Callable[[Session], tuple[object, User] | None]
    if auth.lower().startswith("bearer ") and request.url.path.startswith("/api/"):
        find = partial(lookup_api_token, secret=auth[7:].strip())
    elif cookie:
        find = partial(lookup_session, settings=settings, token=cookie)
    else:
        return None
    factory: Callable[[], Session] = request.app.state.session_factory

    def lookup() -> Role | None:
        with factory() as session:
            found = find(session)
            return found[1].role if found else None

    return await anyio.to_thread.run_sync(lookup)


async def _too_large(request: Request, limit: int, receive: Receive, send: Send) -> None:
    message = N_("That is larger than the %(limit)s limit. Send less and try again.")
    response = error_response(request, 413, message, {"limit": _size(limit)})
    response.headers.update(CLOSE)
    await response(request.scope, receive, send)


def _size(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:,.3g} {unit}"
    return f"{n} bytes"


# ------------------------------------------------------------------------------ uvicorn protocol
class DeadlineProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline for each request to arrive whole.

    The clock starts when the connection opens (a connection that never sends is closed too) or
    when the next request's first byte arrives, and stops once its body is complete. The request
    may take ``request_timeout_seconds`` plus one second per ``upload_min_bytes_per_second`` of
    data received: a trickle runs out of time, an upload at a workable rate does not. Time spent
    while uvicorn has paused reading (the app is not consuming the body) is not the client's.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = get_settings()
        self.request_timeout = settings.request_timeout_seconds
        self.min_rate = settings.upload_min_bytes_per_second
        self._deadline: float | None = None  # loop time; None while no request is arriving
        self._timer: asyncio.TimerHandle | None = None

    # asyncio.Protocol declares BaseTransport; uvicorn's server always hands a Transport.
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_clock()

    def data_received(self, data: bytes) -> None:
        # The first byte of the next request (or of noise between requests) starts the clock.
        deadline = self._deadline if self._deadline is not None else self._start_clock()
        self._deadline = deadline + len(data) / self.min_rate
        super().data_received(data)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._deadline is None:  # a pipelined request that began in the previous packet
            self._start_clock()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._stop_clock()  # arrived whole; the time the app takes is not the client's

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_clock()
        super().connection_lost(exc)

    def _start_clock(self) -> float:
        self._deadline = self.loop.time() + self.request_timeout
        self._timer = self.loop.call_later(self.request_timeout, self._check_deadline)
        return self._deadline

    def _stop_clock(self) -> None:
        self._deadline = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _check_deadline(self) -> None:
        if self._deadline is None or self.transport.is_closing():
            return
        now = self.loop.time()
        if self.flow.read_paused:
            self._deadline = max(self._deadline, now + self.request_timeout)
        if now < self._deadline:
            self._timer = self.loop.call_later(self._deadline - now, self._check_deadline)
            return
        log.info("Closed a connection whose request did not arrive in time.")
        self._timer = None
        self.transport.close()
