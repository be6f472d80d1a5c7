"""One place turns errors into answers: JSON for the API, a toast for htmx, a page otherwise."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web import is_htmx, render, toast
from foundation.errors import DomainError

TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "You do not have access to this",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Please check what you entered",
    429: "Too many attempts",
}


def error_response(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status)
    if status == 401:
        target = "/login?next=" + quote(request.url.path)
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    if is_htmx(request):
        return toast(message, kind="error", status_code=status)
    title = TITLES.get(status, "Something went wrong")
    return render(request, "error.html", {"title": title, "message": message}, status_code=status)


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return error_response(request, exc.status_code, exc.message)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    message = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
    if exc.status_code == 404:
        message = "There is nothing here. Check the address, or go back to the home page."
    response = error_response(request, exc.status_code, message)
    if exc.headers:
        response.headers.update(exc.headers)
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"detail": exc.errors()}, status_code=422)
    fields = sorted({str(err["loc"][-1]) for err in exc.errors() if err.get("loc")})
    return error_response(request, 422, "Please check these fields: " + ", ".join(fields))


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
