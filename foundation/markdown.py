"""A safe markdown subset for idea bodies, coaching modules and guides: ``#`` headings (shown
one level down, under the page's own h1), paragraphs, ``-`` and ``1.`` lists, **bold**, *italic*,
`code` and links to http(s) addresses or to a path on this site (``/guides/7``, never ``//host``).
Everything is escaped first, so no HTML from the author survives."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_INLINE = [
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![*\w])\*([^*]+)\*(?![*\w])"), r"<em>\1</em>"),
    (
        re.compile(r"\[([^\]]+)\]\((https?://[^\s)\"'<>]+|/(?![/\\])[^\s)\"'<>\\]*)\)"),
        r'<a href="\2" rel="nofollow noopener noreferrer">\1</a>',
    ),
]


def _inline(text: str) -> str:
    html = str(escape(text))
    for pattern, replacement in _INLINE:
        html = pattern.sub(replacement, html)
    return html


_HEADING = re.compile(r"^(#{1,3})\s+(.+)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+")


def _block(lines: list[str]) -> str:
    if all(line.startswith(("- ", "* ")) for line in lines):
        return "<ul>" + "".join(f"<li>{_inline(line[2:])}</li>" for line in lines) + "</ul>"
    if all(_NUMBERED.match(line) for line in lines):
        items = "".join(f"<li>{_inline(_NUMBERED.sub('', line))}</li>" for line in lines)
        return f"<ol>{items}</ol>"
    return "<p>" + "<br>".join(_inline(line) for line in lines) + "</p>"


def blocks(text: str) -> list[tuple[str, list[str]]]:
    """The text as (heading, lines) blocks: a heading is a block whose kind is ``h2``..``h4``,
    anything else is ``text``. Guide search splits guides into passages with this."""
    out: list[tuple[str, list[str]]] = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for line in (raw.strip() for raw in chunk.splitlines()):
            if heading := _HEADING.match(line):
                if lines:
                    out.append(("text", lines))
                    lines = []
                out.append((f"h{len(heading.group(1)) + 1}", [heading.group(2)]))
            elif line:
                lines.append(line)
        if lines:
            out.append(("text", lines))
    return out


def render(text: str) -> Markup:
    html = [
        f"<{kind}>{_inline(lines[0])}</{kind}>" if kind != "text" else _block(lines)
        for kind, lines in blocks(text)
    ]
    return Markup("\n".join(html))  # noqa: S704 - built only from escaped text
