"""The language of each answer.

``LocaleMiddleware`` (pure ASGI, outside the size limits and CSRF, whose refusals are pages too)
runs the whole request in the ``voiceloop_lang`` cookie's language, else the best match for
``Accept-Language``. Once the caller is known, ``api.deps`` switches to the signed-in user's saved
language (``User.locale``), so pages, htmx fragments, toasts and error pages all follow it.
Answers vary on both headers.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundation.i18n import LOCALES, negotiate, use_locale

COOKIE = "voiceloop_lang"
COOKIE_DAYS = 365


def requested_locale(connection: HTTPConnection) -> str:
    """The cookie's language if it names one of ours, else the browser's preference."""
    chosen = connection.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    return negotiate(connection.headers.get("accept-language"))


def remember(response: Response, locale: str | None, *, secure: bool) -> None:
    """Keep ``locale`` in the cookie (for pages before sign-in); None forgets it."""
    if locale is None:
        response.delete_cookie(COOKIE, path="/")
        return
    response.set_cookie(
        COOKIE,
        locale,
        max_age=COOKIE_DAYS * 86400,
        httponly=True,
        secure=secure,
        samesite="lax",
        path="/",
    )


class LocaleMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return

        async def send_varying(message: Message) -> None:
            if message["type"] == "http.response.start":
                # A shared cache must not serve one language's page for another's request.
                MutableHeaders(scope=message).add_vary_header("Accept-Language, Cookie")
            await send(message)

        with use_locale(requested_locale(HTTPConnection(scope))):
            await self.app(scope, receive, send_varying)
