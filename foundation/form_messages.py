"""Why a value was refused, in the words people read: pydantic's problems as we say them, in the
current locale. Forms are validated while their page is made, so the request's locale applies;
the JSON API keeps pydantic's own English ``msg`` for machine clients."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from foundation.i18n import N_, gettext, ngettext

# Pydantic's kinds of problem in our own words (its messages are a library's, and English only).
_FIXED = {
    "missing": N_("This field is required."),
    "int_parsing": N_("Give a valid integer (a whole number)."),
    "int_type": N_("Give a valid integer (a whole number)."),
    "int_from_float": N_("Give a valid integer (a whole number)."),
    "float_parsing": N_("Give a number."),
    "float_type": N_("Give a number."),
    "bool_parsing": N_("Choose yes or no."),
    "bool_type": N_("Choose yes or no."),
    "enum": N_("Input should be one of the options in the list."),
    "literal_error": N_("Input should be one of the options in the list."),
    "date_parsing": N_("Give a date as YYYY-MM-DD."),
    "date_type": N_("Give a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": N_("Give a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": N_("Give a date as YYYY-MM-DD."),
}
# Kinds with a bound: (the ctx key, the message with its limit).
_BOUNDS = {
    "greater_than_equal": ("ge", N_("Give a number of %(limit)s or more.")),
    "less_than_equal": ("le", N_("Give a number of %(limit)s or less.")),
    "greater_than": ("gt", N_("Give a number above %(limit)s.")),
    "less_than": ("lt", N_("Give a number below %(limit)s.")),
}


def field_message(error: Mapping[str, Any]) -> str:
    """One of pydantic's ``ValidationError.errors()`` as we say it, as a sentence in the current
    locale. A validator's own ``ValueError`` message is English marked with ``N_`` where it is
    raised, and translated here."""
    message = _message(error["type"], error.get("ctx") or {})
    return message[:1].upper() + message[1:]


def _message(kind: str, ctx: Mapping[str, Any]) -> str:
    if kind == "value_error" and "error" in ctx:
        return gettext(str(ctx["error"]))
    if kind in _FIXED:
        return gettext(_FIXED[kind])
    if kind in _BOUNDS and _BOUNDS[kind][0] in ctx:
        key, message = _BOUNDS[kind]
        return gettext(message) % {"limit": ctx[key]}
    if kind in ("string_too_short", "string_too_long", "too_short", "too_long"):
        return _length(kind, ctx)
    return gettext(N_("This value is not valid."))


def _length(kind: str, ctx: Mapping[str, Any]) -> str:
    limit = int(ctx.get("min_length" if kind.endswith("short") else "max_length", 0))
    if kind == "string_too_short":
        text = ngettext(
            "Use at least %(limit)s character.", "Use at least %(limit)s characters.", limit
        )
    elif kind == "string_too_long":
        text = ngettext(
            "Use at most %(limit)s character.", "Use at most %(limit)s characters.", limit
        )
    elif kind == "too_short":
        text = ngettext(
            "Choose at least %(limit)s item.", "Choose at least %(limit)s items.", limit
        )
    else:
        text = ngettext("Choose at most %(limit)s item.", "Choose at most %(limit)s items.", limit)
    return text % {"limit": limit}
