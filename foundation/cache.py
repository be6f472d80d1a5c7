"""Figures that may be a little old: a per-process cache with a time limit.

Team dashboards aggregate tens of thousands of interactions; recomputing them for every view,
while an import adds rows every second, would take a processor for itself. A team leader's page
is as useful a minute old, so each web process keeps the figures for ``seconds`` (a setting) and
says how old they are. Values must be plain data (no ORM rows bound to a session).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class TtlCache:
    def __init__(self, seconds: float, *, max_entries: int = 256) -> None:
        self.seconds = seconds
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> tuple[T, float]:
        """The value for ``key`` and its age in seconds, computing it when missing or older
        than the limit. Two callers may compute the same value at once; both are right."""
        now = time.monotonic()
        with self._lock:
            found = self._entries.get(key)
            if found is not None and now - found[0] < self.seconds:
                self._entries.move_to_end(key)
                return found[1], now - found[0]
        value = compute()
        if self.seconds > 0:
            with self._lock:
                self._entries[key] = (time.monotonic(), value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value, 0.0
