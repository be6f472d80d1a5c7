"""Validating one row against the limits of the format, and redacting every value in it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from coaching.interactions.importer import (
    _INT64,
    _UNSTORABLE,
    _WHOLE_NUMBER,
    ACTION_MAX_CHARS,
    ATTRIBUTE_KEY_MAX_CHARS,
    ATTRIBUTE_MAX_DEPTH,
    ATTRIBUTE_TEXT_MAX_CHARS,
    CSAT_RANGE,
    EARLIEST,
    HANDLE_SECONDS_RANGE,
    KNOWN,
    LATEST_AHEAD,
    LIMITS,
    MAX_ACTIONS,
    MAX_ATTRIBUTES,
    REQUIRED,
    Problem,
    Row,
    _Choice,
)
from coaching.interactions.models import Channel, Outcome

if TYPE_CHECKING:  # Presidio takes seconds to import; the web process never needs it here
    pass


# --------------------------------------------------------------------------------- validating
class _Bad(Exception):
    """A row's problem: the field (None for the row or an extra column) and the reason."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _validate(
    line: int, values: dict[str, Any] | str, max_chars: int, now: datetime
) -> Row | Problem:
    if isinstance(values, str):
        return Problem(line, None, values)
    known: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in values.items():
        name = key.strip()
        if name.lower() in KNOWN:
            known[name.lower()] = value
        else:
            extra[name] = value
    try:
        return _row(line, known, extra, max_chars, now)
    except _Bad as bad:
        return Problem(line, bad.field, bad.reason)


def _row(
    line: int, known: dict[str, Any], extra: dict[str, Any], max_chars: int, now: datetime
) -> Row:
    def text(name: str) -> str | None:
        return _text(known, name, LIMITS[name])

    for name in REQUIRED:  # missing before malformed, in the file's column order
        if _blank(known.get(name)):
            raise _Bad(name, "required field is missing")
    external_id, occurred = text("interaction_id"), _time(known, now)
    agent_code = text("agent_id")
    transcript = _text(known, "transcript", max_chars)
    if not (external_id and agent_code and transcript):
        raise _Bad(None, "required field is missing")  # blank after stripping
    return Row(
        line=line,
        external_id=external_id,
        occurred_at=occurred,
        agent_code=agent_code,
        transcript=transcript,
        channel=_choice(known, "channel", Channel),
        team=text("team"),
        customer_ref=text("customer_id"),
        customer_name=text("customer_name"),
        disposition=text("disposition"),
        outcome=_choice(known, "outcome", Outcome),
        csat=_whole(known, "csat", CSAT_RANGE, "not a whole number from 1 to 5"),
        handle_seconds=_whole(
            known,
            "handle_seconds",
            HANDLE_SECONDS_RANGE,
            "not a whole number of seconds from 0 to 604,800 (7 days)",
        ),
        actions=_actions(known.get("actions")),
        attributes=_attributes(extra),
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _storable(field_name: str | None, value: str) -> str:
    if _UNSTORABLE.search(value):
        raise _Bad(field_name, "holds a character that cannot be stored (NUL or a lone surrogate)")
    return value


def _text(values: dict[str, Any], name: str, limit: int) -> str | None:
    """A text field, stripped; a JSON number is read as its digits (ids often are numbers)."""
    value = values.get(name)
    if _blank(value):
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _Bad(name, "not text (a list, an object, true/false or a decimal number)")
    value = str(value).strip()
    if len(value) > limit:
        raise _Bad(name, f"longer than the {limit:,}-character limit")
    return _storable(name, value)


def _time(values: dict[str, Any], now: datetime) -> datetime:
    value = _text(values, "occurred_at", LIMITS["occurred_at"]) or ""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        parsed = parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _Bad("occurred_at", "not an ISO 8601 time") from None
    if not EARLIEST <= parsed <= now + LATEST_AHEAD:
        raise _Bad("occurred_at", "not between 2000-01-01 and a day from now")
    return parsed


def _choice(values: dict[str, Any], name: str, kind: type[_Choice]) -> _Choice | None:
    value = _text(values, name, LIMITS[name])
    if value is None:
        return None
    try:
        return kind(value.lower())
    except ValueError:
        raise _Bad(name, f"not one of {', '.join(kind)}") from None


def _whole(values: dict[str, Any], name: str, bounds: tuple[int, int], reason: str) -> int | None:
    """A whole number within ``bounds``, given as a JSON number or as its digits."""
    value = values.get(name)
    if _blank(value):
        return None
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif (isinstance(value, float) and value.is_integer()) or (
        isinstance(value, str) and _WHOLE_NUMBER.fullmatch(value.strip())
    ):
        number = int(value)
    if number is None or not bounds[0] <= number <= bounds[1]:
        raise _Bad(name, reason)
    return number


def _actions(value: Any) -> list[str]:
    """Remediation codes: ``;``-separated text or a JSON list of text."""
    if _blank(value):
        return []
    if isinstance(value, str):
        items: list[Any] = value.split(";")
    elif isinstance(value, list):
        items = value
    else:
        raise _Bad("actions", "not a list of codes (text separated by ;)")
    if not all(isinstance(item, str) for item in items):
        raise _Bad("actions", "not a list of codes (text separated by ;)")
    codes = [item.strip() for item in items if item.strip()]
    if len(codes) > MAX_ACTIONS:
        raise _Bad("actions", f"more than {MAX_ACTIONS} codes")
    if any(len(code) > ACTION_MAX_CHARS for code in codes):
        raise _Bad("actions", f"a code longer than {ACTION_MAX_CHARS} characters")
    return [_storable("actions", code) for code in codes]


def _attributes(extra: dict[str, Any]) -> dict[str, Any]:
    """The other columns, checked (never named in a problem: a key may itself be PII)."""
    kept = {key: value for key, value in extra.items() if not _blank(value)}
    if len(kept) > MAX_ATTRIBUTES:
        raise _Bad(None, f"more than {MAX_ATTRIBUTES} extra columns")
    for key, value in kept.items():
        _check_key(key)
        _check_value(value, 0)
    return kept


def _check_key(key: str) -> None:
    if len(key) > ATTRIBUTE_KEY_MAX_CHARS:
        raise _Bad(None, f"an extra column's name is longer than {ATTRIBUTE_KEY_MAX_CHARS}")
    _storable(None, key)


def _check_value(value: Any, depth: int) -> None:
    if isinstance(value, str):
        if len(value) > ATTRIBUTE_TEXT_MAX_CHARS:
            raise _Bad(None, f"an extra column is longer than {ATTRIBUTE_TEXT_MAX_CHARS:,}")
        _storable(None, value)
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -_INT64 <= value <= _INT64:
            raise _Bad(None, "an extra column holds a number out of range")
    elif isinstance(value, list | dict):
        if depth >= ATTRIBUTE_MAX_DEPTH:
            raise _Bad(None, f"an extra column is nested more than {ATTRIBUTE_MAX_DEPTH} deep")
        if isinstance(value, dict):
            for key in value:
                _check_key(key)
        for item in value.values() if isinstance(value, dict) else value:
            _check_value(item, depth + 1)
    # floats (finite: NaN and Infinity are refused as JSON), true, false and null are fine


# --------------------------------------------------------------------------- redacting values
def _redact_mapping(
    values: dict[str, Any], redact: Callable[[str], str], *, lower_keys: bool = False
) -> dict[str, Any]:
    """Keys and values redacted, nested ones too. A key that held PII keeps its tokens as they
    are (``[EMAIL]``); two keys that redact alike are told apart by a number."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        redacted = redact(key)
        if redacted == key and lower_keys:
            redacted = key.lower()
        unique, n = redacted, 1
        while unique in out:
            n += 1
            unique = f"{redacted} ({n})"
        out[unique] = _redact_value(value, redact)
    return out


def _redact_value(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return _redact_mapping(value, redact)
    if isinstance(value, list):
        return [_redact_value(item, redact) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)  # a card number can come as a JSON number
        redacted = redact(text)
        return value if redacted == text else redacted
    return value  # true, false, null
