"""Ids in addresses, query strings and forms: one bounded type each (``foundation.ids``).

An id in a path that is out of range names nothing: it answers 404 like an unknown id
(``api.errors``); one that is not a number, 422. One in a query string or a form answers 422.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query

from foundation.ids import MAX_ID, in_range

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID)]
FormId = Annotated[int, Form(ge=1, le=MAX_ID)]


def parse_id(value: str | None) -> int | None:
    """An id typed into a free-form field (a select, a filter): None unless it is one."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdecimal()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if in_range(number) else None
