"""What people type: titles and names must show something, and no text may reorder itself.

Bidirectional controls (U+202A..U+202E, U+2066..U+2069, and the marks U+200E, U+200F, U+061C)
let a title display in a different order than it is stored ("Trojan Source"), so they are
removed everywhere. A title or name must keep at least one visible character: letters, digits,
punctuation or symbols; zero-width and other format characters alone do not count.
"""

from __future__ import annotations

import re
import unicodedata

from foundation.i18n import N_

# Bidi embeddings, overrides and isolates, and the three directional marks.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
# Control characters other than tab and line breaks (NUL is refused by PostgreSQL text), and
# lone surrogates, which no database can store.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Marked, not translated: a form translates its fields' messages where it shows them.
NOTHING_VISIBLE = N_("must contain letters, digits or symbols")


def strip_controls(value: str) -> str:
    """``value`` without bidi controls, control characters or lone surrogates."""
    return _CONTROL.sub("", _BIDI.sub("", value))


def has_visible(value: str) -> bool:
    # Letters, numbers, punctuation and symbols show; spaces (Z*), format and control characters
    # (C*) and combining marks on their own (M*) do not.
    return any(unicodedata.category(ch)[0] in "LNPS" for ch in value)


def clean_line(value: str) -> str:
    """A one-line title or name: controls stripped, white space collapsed, something visible.

    Raises ValueError when nothing visible is left.
    """
    value = " ".join(strip_controls(value).split())
    if not value:
        raise ValueError(N_("must not be empty"))
    if not has_visible(value):
        raise ValueError(NOTHING_VISIBLE)
    return value


def clean_text(value: str) -> str:
    """A body of text: keeps its line breaks (as ``\\n``), loses controls, trimmed."""
    return strip_controls(value.replace("\r\n", "\n").replace("\r", "\n")).strip()


# Pydantic ``mode="before"`` validators: clean strings, leave other types to the field's check.
def line_input(value: object) -> object:
    return clean_line(value) if isinstance(value, str) else value


def text_input(value: object) -> object:
    return clean_text(value) if isinstance(value, str) else value
