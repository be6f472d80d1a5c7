"""Template filters that write dates and numbers for the request's locale (``foundation.i18n``).

``{{ d|date }}`` / ``{{ d|date("day") }}`` / ``{{ t|datetime }}`` / ``{{ t|datetime("second") }}``,
``{{ n|number }}`` / ``{{ x|number(1) }}``, ``{{ x|signed(1) }}`` (always with a sign),
``{{ share|percent }}`` (0.25 -> 25%). Times are shown in UTC, as stored.

English keeps the exact look the pages had ("05 Mar 2026", strftime's month names): CLDR's
en_GB would write "5 Sept 2026". Chinese and Japanese use CLDR's patterns for the same fields
("2026年3月5日").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from babel import Locale
from babel.dates import format_skeleton
from babel.numbers import format_decimal

from foundation import i18n

# Style -> (English strftime pattern, CLDR date skeleton, CLDR time skeleton or None).
STYLES: dict[str, tuple[str, str, str | None]] = {
    "date": ("%d %b %Y", "yMMMd", None),
    "day": ("%d %b", "MMMd", None),
    "minute": ("%d %b %Y %H:%M", "yMMMd", "Hm"),
    "second": ("%d %b %Y %H:%M:%S", "yMMMd", "Hms"),
    "day_minute": ("%d %b %H:%M", "MMMd", "Hm"),
    "day_second": ("%d %b %H:%M:%S", "MMMd", "Hms"),
}


def format_when(value: date | datetime | None, style: str) -> str:
    """``value`` in ``style`` (a key of STYLES) for the current locale; "" for None."""
    if value is None:
        return ""
    english, day_skeleton, time_skeleton = STYLES[style]
    if i18n.current_locale() == i18n.DEFAULT:
        return value.strftime(english)
    locale = Locale.parse(i18n.babel_locale())
    day = format_skeleton(day_skeleton, value, tzinfo=UTC, locale=locale)
    if time_skeleton is None:
        return day
    time = format_skeleton(time_skeleton, value, tzinfo=UTC, locale=locale)
    # The locale's own way of joining a date and a time ("{1} {0}" in Chinese and Japanese).
    joined: Any = locale.datetime_formats["medium"]
    return str(joined).replace("{1}", day).replace("{0}", time)


def date_filter(value: date | datetime | None, style: str = "date") -> str:
    return format_when(value, style)


def datetime_filter(value: datetime | None, style: str = "minute") -> str:
    return format_when(value, style)


def number_filter(value: float | None, digits: int | None = None) -> str:
    return i18n.format_number(value, digits)


def signed_filter(value: float | None, digits: int = 1) -> str:
    """A change, with its sign even when positive ("+1.5", "-0.3")."""
    if value is None:
        return ""
    body = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=f"+{body};-{body}", locale=i18n.babel_locale())


def percent_filter(value: float | None, digits: int = 0) -> str:
    return i18n.format_percent(value, digits)


FILTERS: dict[str, Callable[..., str]] = {
    "date": date_filter,
    "datetime": datetime_filter,
    "number": number_filter,
    "signed": signed_filter,
    "percent": percent_filter,
}
