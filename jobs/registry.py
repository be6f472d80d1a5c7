"""Job kinds and their handlers: ``@handler("kind")`` registers, ``get_handler`` looks up.

Handlers live in ``jobs.tasks``; it is imported on the first lookup, so processes that only
start jobs (the web app) do not load what the handlers need until they ask about a kind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jobs.runner import JobContext

Handler = Callable[["JobContext"], None]

_HANDLERS: dict[str, Handler] = {}
_TASKS_MODULE = "jobs.tasks"


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the decorated function as the handler of ``kind`` (one handler per kind)."""

    def register(func: Handler) -> Handler:
        if kind in _HANDLERS:
            raise ValueError(f"a handler for job kind {kind!r} is already registered")
        _HANDLERS[kind] = func
        return func

    return register


def get_handler(kind: str) -> Handler | None:
    importlib.import_module(_TASKS_MODULE)
    return _HANDLERS.get(kind)


def known_kinds() -> list[str]:
    importlib.import_module(_TASKS_MODULE)
    return sorted(_HANDLERS)
