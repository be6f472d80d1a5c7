"""The catalogues hold every string the interface shows: each message marked in the templates and
the Python code (extracted with Babel's own API and ``babel.cfg``, as ``make messages`` does) is
in ``foundation/locales/messages.pot``, and translated, not fuzzy, in every language.

The translations test fails until the translators have filled in zh_Hans and ja: that is its
job, so it is neither skipped nor expected to fail. After changing a string, ``make messages``
updates the template and both catalogues."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from foundation.i18n import CATALOGUES, DEFAULT, LOCALES

REPO = Path(__file__).resolve().parents[3]
TRANSLATED = [locale for locale in LOCALES if locale != DEFAULT]


@cache
def extracted() -> dict[str, str]:
    """Every marked message (its singular msgid) and where it was first found."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: dict[str, str] = {}
    messages: Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]] = (
        extract_from_dir(
            REPO,
            method_map,
            options_map,
            keywords={**DEFAULT_KEYWORDS, "N_": None},
        )
    )
    for filename, lineno, message, _comments, _context in messages:
        singular = message if isinstance(message, str) else message[0]
        if singular:
            found.setdefault(singular, f"{filename}:{lineno}")
    return found


def translated_forms(message: Message) -> list[str]:
    """The translation, or each plural form of it."""
    string = message.string
    return [string] if isinstance(string, str) else [str(form) for form in string or ()]


def catalogue(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_strings_are_extracted_from_templates_and_python() -> None:
    found = extracted()
    assert "Sign in to VoiceLoop" in found  # a template
    assert "Home" in found  # N_() in api/web.py
    files = {where.rsplit(":", 1)[0] for where in found.values()}
    assert "api/errors.py" in files and "templates/base.html" in files
    assert not any(name.startswith(("tests/", "bench/")) for name in files)


def test_every_marked_string_is_in_the_template() -> None:
    template = catalogue(CATALOGUES / "messages.pot")
    missing = [
        f"{where}: {msgid!r}" for msgid, where in extracted().items() if msgid not in template
    ]
    assert not missing, "run `make messages`; not in messages.pot:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", TRANSLATED)
def test_every_marked_string_is_translated(locale: str) -> None:
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    assert path.is_file(), f"run `make messages` to create {path}"
    translations = catalogue(path, locale)
    problems = []
    for msgid, where in extracted().items():
        message = translations.get(msgid)
        if message is None:
            problems.append(f"missing  {where}: {msgid!r}")
        elif message.fuzzy:
            problems.append(f"fuzzy    {where}: {msgid!r}")
        elif not all(translated_forms(message)):
            problems.append(f"empty    {where}: {msgid!r}")
    assert not problems, f"{locale}: {len(problems)} messages to translate:\n" + "\n".join(problems)
