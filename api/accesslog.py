"""Our access log, in place of uvicorn's: method, route template, status and duration only.

No user, no IP, no query string and no raw path (a receipt token travels in the path), so the
log can never join an anonymous idea to the person who sent it.

Time is the other way to join them: whoever has the log and the database could line up the
moment of an anonymous submission with the person active at that moment. So the lines of the
idea-submission journey (``HELD``: writing an idea, its similar-idea look-ups, the submit itself,
named or not, and the receipt pages) are held back and written once their minute is over,
stamped with the minute only and sorted, not in arrival order. Nothing of a person is recorded
more finely than the minute either (``api.security``: session activity), so the log cannot
single out one of those requests among the people active in that minute. Every other line is
written at once.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from foundation.clock import utcnow

log = logging.getLogger("voiceloop.access")

HELD = frozenset(
    {
        ("GET", "/ideas/new"),
        ("GET", "/ideas/similar"),
        ("POST", "/ideas"),
        ("POST", "/api/v1/ideas"),
        ("GET", "/api/v1/ideas/similar"),
        ("GET", "/receipts/new"),
        ("GET", "/receipts/{token}"),
        ("POST", "/receipts/{token}/reply"),
    }
)


class HeldLines:
    """Lines waiting for their minute to end; a daemon thread writes them out."""

    def __init__(self) -> None:
        self._lines: dict[datetime, list[str]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, line: str) -> None:
        minute = utcnow().replace(second=0, microsecond=0)
        with self._lock:
            self._lines.setdefault(minute, []).append(line)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="access-log", daemon=True)
                self._thread.start()

    def flush(self, *, everything: bool = False) -> None:
        """Write the lines of every minute that is over (or all of them)."""
        now = utcnow().replace(second=0, microsecond=0)
        with self._lock:
            due = sorted(m for m in self._lines if everything or m < now)
            batches = [(m, sorted(self._lines.pop(m))) for m in due]
        for minute, lines in batches:
            for line in lines:
                log.info("%s (minute %s)", line, minute.strftime("%Y-%m-%dT%H:%MZ"))

    def _run(self) -> None:
        while True:
            time.sleep(61 - utcnow().second)  # just after the next minute starts
            self.flush()


held_lines = HeldLines()


class AccessLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", None) or _static_or_unknown(scope["path"])
            elapsed = (time.perf_counter() - started) * 1000
            line = f"{scope['method']} {template} {status} {elapsed:.1f}ms"
            if (scope["method"], template) in HELD:
                held_lines.add(line)
            else:
                log.info("%s", line)


def _static_or_unknown(path: str) -> str:
    return path if path.startswith("/static/") else "(unmatched)"
