"""No page string outside the catalogue: every template, read with Jinja's own lexer, has no
literal words in its text (only inside ``_()``, ``ngettext()`` or ``{% trans %}``), and its
translatable attributes (title, aria-label, placeholder, alt, data-confirm) are not literal text
either. A word written straight into a template would stay English in every language."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from api.web import TEMPLATES_DIR, templates

# Words that are the same in every language, and why.
ALLOWED = frozenset(
    {
        "VoiceLoop",  # the product's name
    }
)
HOLE = "\x00"  # where an expression or a tag of Jinja's was: never a letter
TRANSLATABLE_ATTRIBUTES = re.compile(
    r"""\b(title|aria-label|placeholder|alt|data-confirm)\s*=\s*(["'])(.*?)\2""", re.S
)
COMMENT = re.compile(r"<!--.*?-->", re.S)
TAG = re.compile(r"<[^>]*>")
# Attributes written outside a tag, by a macro that is called inside one.
LOOSE_ATTRIBUTE = re.compile(r"""[\w:-]+=("[^"]*"|'[^']*')""")
ENTITY = re.compile(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")
WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Text:
    """A template's text as the browser gets it, Jinja's parts as holes; ``lines[i]`` is the
    template line of character ``i``."""

    source: str
    lines: list[int]

    def line(self, offset: int) -> int:
        return self.lines[min(offset, len(self.lines) - 1)] if self.lines else 1


def template_text(source: str) -> Text:
    """The ``data`` tokens outside ``{% trans %}`` blocks, everything else a hole."""
    parts: list[str] = []
    lines: list[int] = []
    in_trans = False
    previous = ""
    for lineno, kind, value in templates.env.lexer.tokeniter(source, "template"):
        if kind == "name" and previous == "block_begin":
            in_trans = value in ("trans", "pluralize") or (in_trans and value != "endtrans")
        if kind in ("data",) and not in_trans:
            piece = value
        elif kind in ("variable_begin", "block_begin"):
            piece = HOLE
        else:
            piece = ""
        if kind != "whitespace":
            previous = kind
        parts.append(piece)
        for offset, char in enumerate(piece):
            lines.append(lineno + piece.count("\n", 0, offset))
    return Text("".join(parts), lines)


def attribute_problems(text: Text) -> list[str]:
    found = []
    for match in TRANSLATABLE_ATTRIBUTES.finditer(text.source):
        if WORD.search(match.group(3).replace(HOLE, "")):
            found.append(f"line {text.line(match.start())}: literal {match.group(0)!r}")
    return found


def word_problems(text: Text) -> list[str]:
    """Words left once comments, tags and entities are gone (blanked, not removed, so each word
    is found at its line), one entry per line."""
    blank = text.source
    for pattern in (COMMENT, TAG, LOOSE_ATTRIBUTE, ENTITY):
        blank = pattern.sub(lambda m: " " * len(m.group(0)), blank)
    by_line: dict[int, list[str]] = {}
    for match in WORD.finditer(blank):
        if match.group(0) not in ALLOWED:
            by_line.setdefault(text.line(match.start()), []).append(match.group(0))
    return [f"line {line}: {' '.join(words)!r}" for line, words in by_line.items()]


TEMPLATES = sorted(p.relative_to(TEMPLATES_DIR).as_posix() for p in TEMPLATES_DIR.rglob("*.html"))


@pytest.mark.parametrize("name", TEMPLATES)
def test_no_literal_words_outside_the_catalogue(name: str) -> None:
    text = template_text((TEMPLATES_DIR / name).read_text(encoding="utf-8"))
    problems = word_problems(text) + attribute_problems(text)
    assert not problems, f"{name}: mark these for translation:\n" + "\n".join(problems)


# ------------------------------------------------------------------------ the checker itself
def test_the_checker_finds_literal_text_and_attributes() -> None:
    source = (
        '<p class="x">Hello {{ name }}</p>\n'
        '<button aria-label="Close {{ n }}">&times;</button>\n'
        '<input placeholder="{{ _(\'e.g. card\') }}" value="{{ v }}">\n'
    )
    text = template_text(source)
    assert word_problems(text) == ["line 1: 'Hello'"]
    assert attribute_problems(text) == ["line 2: literal 'aria-label=\"Close \\x00\"'"]


def test_the_checker_accepts_marked_text_comments_and_the_allowed_words() -> None:
    source = (
        "{# a comment #}<!-- markup note -->\n"
        "<h1>{{ _('Hello') }}</h1><strong>VoiceLoop</strong> &middot; {{ n }}\n"
        "{% trans count=n %}One idea{% pluralize %}{{ count }} ideas{% endtrans %}\n"
        '<a href="/x?y={{ q }}" class="secondary {{ c }}" data-confirm="{{ _(\'Sure?\') }}">1</a>\n'
        "<option{% if x %} selected{% endif %}>{{ name }}</option>"
    )
    text = template_text(source)
    assert word_problems(text) == []
    assert attribute_problems(text) == []


def test_every_template_is_checked() -> None:
    assert "base.html" in TEMPLATES
    assert "coaching/module.html" in TEMPLATES
