"""One place turns errors into answers: JSON for the API, a toast for htmx, a page otherwise."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web import is_htmx, render, toast
from foundation.errors import DomainError
from foundation.i18n import N_, gettext

log = logging.getLogger("voiceloop.errors")
OUT_OF_RANGE = frozenset({"greater_than_equal", "less_than_equal"})
NOT_FOUND = N_("There is nothing here. Check the address, or go back to the home page.")
# Page titles by status, in English (marked): translated where the page is rendered.
TITLES = {
    400: N_("Bad request"),
    401: N_("Please sign in"),
    403: N_("You do not have access to this"),
    404: N_("Not found"),
    405: N_("Not allowed"),
    409: N_("Conflict"),
    413: N_("Too large"),
    422: N_("Please check what you entered"),
    429: N_("Too many attempts"),
}
SOMETHING_WRONG = N_("Something went wrong")


# --------------------------------------------------------------------- the API's error answers
class FieldProblem(BaseModel):
    loc: list[str | int] = Field(description="Where: body, query or path, then the field")
    msg: str
    type: str


class ErrorMessage(BaseModel):
    """Every error the JSON API answers: a message, or (422) the fields to fix."""

    detail: str | list[FieldProblem]


_DESCRIPTIONS = {
    401: "Not signed in, or the token is unknown, revoked or expired",
    403: "Your role, or the token's scopes, do not allow this",
    404: "Nothing with that id that you can see",
    409: "That conflicts with what is already there",
    413: "The request body is too large",
    422: "The request is not valid: see detail",
}


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of the error statuses an operation answers."""
    return {s: {"model": ErrorMessage, "description": _DESCRIPTIONS[s]} for s in statuses}


# Every operation of the API: no caller, wrong role or scope, a bad parameter or body.
API_ERRORS = responses(401, 403, 413, 422)


def error_response(
    request: Request, status: int, message: str, params: Mapping[str, object] | None = None
) -> Response:
    """``message`` is English (a marked literal) with ``%(name)s`` placeholders for ``params``:
    the JSON API answers it in English for machine clients; pages and toasts translate it."""
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": _fill(message, params)}, status_code=status)
    if status == 401:
        target = "/login?next=" + quote(request.url.path)
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    shown = _fill(gettext(message), params)
    if is_htmx(request):
        return toast(shown, kind="error", status_code=status)
    title = gettext(TITLES.get(status, SOMETHING_WRONG))
    return render(request, "error.html", {"title": title, "message": shown}, status_code=status)


def _fill(message: str, params: Mapping[str, object] | None) -> str:
    return message % params if params else message


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return error_response(request, exc.status_code, exc.template, exc.params)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
        # FastAPI answers 400 for a body it cannot decode (not UTF-8, say): a bad body like any
        # other, so 422.
        unreadable = {
            "loc": ["body"],
            "msg": "The body is not valid JSON text.",
            "type": "json_invalid",
        }
        return _invalid(request, [unreadable])
    message = (
        exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, N_("Error"))
    )
    if exc.status_code == 404:
        message = NOT_FOUND
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def problems(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Where and what, never the input: pydantic's ``input`` may be a password, and it and
    ``ctx`` may be bytes, a form, NaN or an exception that JSON cannot carry."""
    return [
        {
            "loc": [part if isinstance(part, int) else _printable(part) for part in err["loc"]],
            "msg": _printable(err.get("msg", "")),
            "type": _printable(err.get("type", "")),
        }
        for err in exc.errors()
    ]


def _printable(value: object) -> str:
    # Lone surrogates (from JSON escapes) cannot be encoded as UTF-8.
    return str(value).encode("utf-8", "replace").decode("utf-8")


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    found = problems(exc)
    if any(p["loc"][:1] == ["path"] and p["type"] in OUT_OF_RANGE for p in found):
        # An id out of range names nothing: the address is not found, like an unknown id.
        return error_response(request, 404, NOT_FOUND)
    return _invalid(request, found)


def _invalid(request: Request, found: list[dict[str, Any]]) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": found}, status_code=422)
    fields = sorted({str(p["loc"][-1]) for p in found if p["loc"]})
    # The field names are the form's own (as the inline messages name them), not translated.
    message = N_("Please check these fields: %(fields)s")
    return error_response(request, 422, message, {"fields": ", ".join(fields)})


async def _database_error(request: Request, exc: Exception) -> Response:
    """A database error no code expected: a 500, logged as what and where it failed but never
    with its message, which can carry the values sent (PostgreSQL's DETAIL names the duplicate
    key's value: an email). Handled here, it is not re-raised for the server to log."""
    assert isinstance(exc, DBAPIError)
    route = getattr(request.scope.get("route"), "path", "?")
    where = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
    log.error("Database error in %s %s: %s\n%s", request.method, route, _what(exc), where)
    return error_response(request, 500, N_("Something went wrong on our side. Please try again."))


def _what(exc: DBAPIError) -> str:
    """The error's kind without its message: class, SQLSTATE or SQLite code, constraint, and the
    statement (placeholders only)."""
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    parts = [
        type(orig).__name__,
        getattr(orig, "sqlstate", None) or getattr(orig, "sqlite_errorname", None),
        getattr(diag, "constraint_name", None),
        " ".join(str(exc.statement or "").split())[:300],
    ]
    return " | ".join(str(p) for p in parts if p)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(DBAPIError, _database_error)
