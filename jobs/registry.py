"""Job kinds and their handlers: ``@handler("kind")`` registers, ``get_handler`` looks up;
``@on_final("kind")`` registers clean-up run once a job of that kind has reached a final state.

Handlers live in ``jobs.tasks``; it is imported on the first lookup, so processes that only
start jobs (the web app) do not load what the handlers need until they ask about a kind.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from jobs.runner import JobContext

Handler = Callable[["JobContext"], None]
Finaliser = Callable[[dict[str, Any]], None]

_HANDLERS: dict[str, Handler] = {}
_FINALISERS: dict[str, Finaliser] = {}
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


def on_final(kind: str) -> Callable[[Finaliser], Finaliser]:
    """Register the decorated function as the clean-up of ``kind``: called with the job's params
    once its final state (succeeded or failed) is committed, by whichever process recorded it.
    Not called while a job waits to resume (a worker died mid-way). Must be idempotent."""

    def register(func: Finaliser) -> Finaliser:
        if kind in _FINALISERS:
            raise ValueError(f"a clean-up for job kind {kind!r} is already registered")
        _FINALISERS[kind] = func
        return func

    return register


def finalise(kind: str, params: Mapping[str, Any]) -> None:
    importlib.import_module(_TASKS_MODULE)
    cleanup = _FINALISERS.get(kind)
    if cleanup is not None:
        cleanup(dict(params))
