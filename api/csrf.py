"""CSRF protection, bound to the session once signed in.

A signed-in request's token is derived from its session: an HMAC of the secret key and the hash of
the session cookie, so a token from another session, or from before sign-in, is refused, and a
new one comes with every sign-in (the session is rotated). Signed out, sign-in itself is still
protected (login CSRF) by starlette-csrf's signed double-submit cookie.

Checked on every unsafe request that carries the session cookie, and always on ``/login``.
Bearer-token API calls carry no ambient credentials and need no token. htmx sends the token in the
``X-CSRFToken`` header (``hx-headers`` on ``<body>``); a plain HTML form sends it as the
``csrf_token`` field, so forms work without JavaScript. The token of the current request is put
in ``scope["csrf_token"]`` for the templates.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import http.cookies
import re
from urllib.parse import parse_qs

from markupsafe import escape
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from starlette_csrf.middleware import CSRFMiddleware

from api.security import SESSION_COOKIE, digest
from foundation.i18n import N_, gettext

CSRF_COOKIE = "csrftoken"
CSRF_FIELD = "csrf_token"
_FORM_LIMIT = 1024 * 1024  # urlencoded forms are small; uploads use multipart with the header
EXPIRED = N_("Your form has expired or did not come from VoiceLoop. Reload the page and try again.")


def session_token(secret: str, session_cookie: str) -> str:
    """The CSRF token of the session whose cookie value is ``session_cookie``."""
    message = b"csrf:" + digest(session_cookie).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


class CsrfMiddleware(CSRFMiddleware):
    def __init__(self, app: ASGIApp, secret: str, *, secure: bool) -> None:
        super().__init__(
            app,
            secret,
            cookie_name=CSRF_COOKIE,
            cookie_secure=secure,
            cookie_samesite="strict",
            header_name="x-csrftoken",
        )
        # Sign-in has no session cookie yet but still needs the token (login CSRF); so does the
        # signed-out language switcher.
        self._always = re.compile(r"^/(login|language)$")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        session_cookie = request.cookies.get(SESSION_COOKIE)
        if session_cookie:
            scope["csrf_token"] = session_token(self.secret, session_cookie)
        else:
            scope["csrf_token"] = request.cookies.get(CSRF_COOKIE) or self._generate_csrf_token()
        checked = session_cookie or self._always.match(request.url.path)
        if request.method not in self.safe_methods and checked:
            receive = await self._capture_form_token(scope, receive)
            if not self._valid(request, session_cookie):
                await self._get_error_response(request)(scope, receive, send)
                return
        await self.app(scope, receive, functools.partial(self.send, send=send, scope=scope))

    def _valid(self, request: Request, session_cookie: str | None) -> bool:
        submitted = request.headers.get(self.header_name) or request.scope.get("csrf_form_token")
        if not submitted:
            return False
        if session_cookie:
            expected = session_token(self.secret, session_cookie)
            return hmac.compare_digest(expected.encode(), submitted.encode())
        cookie = request.cookies.get(CSRF_COOKIE)
        return bool(cookie and self._csrf_tokens_match(cookie, submitted))

    def _get_error_response(self, request: Request) -> Response:
        message = EXPIRED
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=403)
        # Pages and toasts: in the current locale (English unless one is set around this).
        message = gettext(message)
        if request.headers.get("hx-request"):
            return HTMLResponse(
                f'<div class="toast error" role="alert">{escape(message)}</div>',
                status_code=403,
                headers={"HX-Retarget": "#toasts", "HX-Reswap": "beforeend"},
            )
        return HTMLResponse(
            f"<!doctype html><title>{escape(gettext(N_('Form expired')))}</title>"
            f"<p>{escape(message)}</p>"
            f'<p><a href="/">{escape(gettext(N_("Back to VoiceLoop")))}</a></p>',
            status_code=403,
        )

    async def _capture_form_token(self, scope: Scope, receive: Receive) -> Receive:
        """Read a small urlencoded body once, note its token, and replay it downstream."""
        content_type = Request(scope).headers.get("content-type", "")
        if not content_type.startswith("application/x-www-form-urlencoded"):
            return receive
        body = b""
        more = True
        while more and len(body) <= _FORM_LIMIT:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        values = parse_qs(body.decode("latin-1")).get(CSRF_FIELD)
        if values:
            scope["csrf_form_token"] = values[0]
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": more}

        return replay

    async def send(self, message: Message, send: Send, scope: Scope) -> None:
        # Signed out, the double-submit cookie is set to the very token the templates were given.
        cookies = Request(scope).cookies
        start = message["type"] == "http.response.start"
        if start and CSRF_COOKIE not in cookies and SESSION_COOKIE not in cookies:
            headers = MutableHeaders(scope=message)
            cookie: http.cookies.SimpleCookie = http.cookies.SimpleCookie()
            cookie[CSRF_COOKIE] = scope["csrf_token"]
            cookie[CSRF_COOKIE]["path"] = "/"
            cookie[CSRF_COOKIE]["samesite"] = self.cookie_samesite
            if self.cookie_secure:
                cookie[CSRF_COOKIE]["secure"] = True
            headers.append("set-cookie", cookie.output(header="").strip())
        await send(message)
