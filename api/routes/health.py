from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.access import MaybeUser
from api.deps import QueueDep, SessionDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(request: Request, session: SessionDep, queue: QueueDep, _: MaybeUser) -> JSONResponse:
    """Liveness and readiness: the database answers and the job queue answers."""
    checks = {
        "database": _ok(lambda: session.execute(text("SELECT 1")).one()),
        "queue": queue.ping(),
    }
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable", **checks}
    return JSONResponse(body, status_code=200 if healthy else 503)


def _ok(check: Callable[[], object]) -> bool:
    try:
        check()
    except Exception:  # a health check reports failure instead of raising
        return False
    return True
