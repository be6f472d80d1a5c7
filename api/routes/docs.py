"""``/docs``: the OpenAPI schema rendered on the server (Swagger UI would need a CDN and
inline scripts, which our CSP forbids)."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.access import MaybeUser
from api.web import render

router = APIRouter(include_in_schema=False)


@router.get("/docs")
def docs(request: Request, _: MaybeUser) -> HTMLResponse:
    return render(request, "docs.html", {"spec": request.app.openapi()})
