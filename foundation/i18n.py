"""The interface language: gettext catalogues for English (the source), Simplified Chinese and
Japanese, the request's locale, and dates and numbers formatted for it (Babel).

Strings are marked in templates with ``{{ _("...") }}`` / ``{% trans %}`` (Jinja2's i18n
extension, installed in ``api/web.py``) and in Python with ``gettext`` (translated now, in the
current locale) or ``N_`` (only marked, translated where it is shown). ``pybabel extract`` (see
``babel.cfg``) collects them; the catalogues are ``foundation/locales/<locale>/LC_MESSAGES/
messages.po``, read and compiled in memory on first use (no compiled ``.mo`` file to keep in step).

The current locale lives in a context variable: the web app sets it per request
(``use_locale``), so code anywhere below the request (errors, flash messages, page builders)
translates without passing the locale around. Outside a request it is English.
"""

from __future__ import annotations

import gettext as _gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

DEFAULT = "en"
# Locale ids as gettext and Babel spell them; the catalogue folders use the same names.
LOCALES = ("en", "zh_Hans", "ja")
# Each language in its own words, for the language picker.
NAMES = {"en": "English", "zh_Hans": "简体中文", "ja": "日本語"}
# BCP 47 tags for <html lang>: browsers pick CJK fonts by it.
HTML_LANG = {"en": "en-GB", "zh_Hans": "zh-Hans", "ja": "ja"}
# Babel's formatting locale per interface locale: a UK bank's English.
_BABEL = {"en": "en_GB", "zh_Hans": "zh_Hans_CN", "ja": "ja_JP"}

CATALOGUES = Path(__file__).resolve().parent / "locales"

_current: ContextVar[str] = ContextVar("voiceloop_locale", default=DEFAULT)


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str | None) -> Iterator[str]:
    """Run the block in ``locale`` (an unknown or empty one means English)."""
    chosen = locale if locale in LOCALES else DEFAULT
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def set_locale(locale: str | None) -> str:
    """Switch the rest of the current context to ``locale`` (unknown or empty: English). For the
    web app's user dependency, which learns the user's language only once a request is under
    way and cannot wrap the rest of it in ``use_locale``; the request's own context ends with it."""
    chosen = locale if locale in LOCALES else DEFAULT
    _current.set(chosen)
    return chosen


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``locale`` (English: the identity)."""
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT or not path.is_file():
        return _gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def gettext(message: str) -> str:
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it here (module-level constants,
    enum labels): it is translated with ``gettext`` where it is shown."""
    return message


def negotiate(accept_language: str | None) -> str:
    """The best of LOCALES for an ``Accept-Language`` header (English when none fits).
    ``zh``, ``zh-CN``, ``zh-Hans`` and ``zh-SG`` get Simplified Chinese; ``zh-TW`` / ``zh-HK``
    (Traditional) get English rather than the wrong script."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate((accept_language or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        ranked.append((-quality, position, tag.strip().lower().replace("_", "-")))
    for _quality, _position, tag in sorted(ranked):
        if tag.startswith("en"):
            return "en"
        if tag == "ja" or tag.startswith("ja-"):
            return "ja"
        if tag in ("zh", "zh-cn", "zh-sg", "zh-hans") or tag.startswith("zh-hans-"):
            return "zh_Hans"
    return DEFAULT


def babel_locale() -> str:
    return _BABEL[current_locale()]


def format_date(value: date | datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_date as babel_format_date

    return babel_format_date(value, format=format, locale=babel_locale())


def format_datetime(value: datetime | None, format: str = "medium") -> str:
    if value is None:
        return ""
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(value, format=format, locale=babel_locale())


def format_number(value: float | int | None, digits: int | None = None) -> str:
    """Grouped per locale; ``digits`` fixes the decimals (``None``: as many as needed, up to 3)."""
    if value is None:
        return ""
    from babel.numbers import format_decimal

    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale())


def format_percent(value: float | None, digits: int = 0) -> str:
    """``value`` is a share (0.25 -> "25%")."""
    if value is None:
        return ""
    from babel.numbers import format_percent as babel_format_percent

    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return babel_format_percent(value, format=pattern, locale=babel_locale())
