"""Which name and keywords of a theme a viewer sees, in the viewer's language where the theme
has enough members written in it. Nothing is machine-translated: a name is only ever made from
the members' own words (``keywords.language_labels``) or given by a CX lead.

Rules (``display_label``):
1. A CX lead renamed the theme: their name, always.
2. The theme has enough members in the viewer's language (``enough``): the name made from them.
3. Otherwise the name in the theme's most common language, with the top keywords of each other
   language it has members in beside it, so a viewer still sees the theme in their own words.

"Enough" is at least ``MIN_MEMBERS`` members and ``MIN_SHARE`` of the theme. Three, because
c-TF-IDF keeps a term only when two of a cluster's documents use it, so below three a name is
one or two people's wording. A fifth, because a smaller share is a fringe of the theme: that
language's c-TF-IDF (scored against its own other clusters) names what the fringe says, which
need not be what the theme is about. At a fifth, the smallest theme a run makes (15 members)
needs 3 members in the language, where the two rules meet. Names in a language are kept across
runs once they were shown (``runs.set_labels``), as a theme's own name is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from foundation.i18n import current_locale
from ideas.themes.keywords import LANGUAGES, primary_language
from ideas.themes.models import Theme

MIN_MEMBERS = 3
MIN_SHARE = 0.2
OTHER_KEYWORDS = 3  # per other language, beside a name not in the viewer's language

# foundation.i18n's interface locales -> the document languages their readers write in.
LOCALE_LANGUAGE = {"en": "en", "zh_Hans": "zh", "ja": "ja"}
# Document languages as BCP 47 tags for ``lang=``: browsers and screen readers pick fonts and
# voices by it.
HTML_LANG = {"en": "en", "zh": "zh-Hans", "ja": "ja"}


@dataclass(frozen=True)
class DisplayLabel:
    name: str
    keywords: list[str]  # in the language of ``name`` (the viewer's when it is theirs)
    language: str | None  # of ``name``: "en", "zh", "ja"; None for a CX lead's own name
    # Other languages' top keywords, by language in ``LANGUAGES`` order: shown beside a name
    # that is not in the viewer's language.
    others: dict[str, list[str]] = field(default_factory=dict)

    @property
    def name_lang(self) -> str:
        """The name's tag for ``lang=`` ("" for a CX lead's name: the page's own language)."""
        return HTML_LANG.get(self.language or "", "")

    @property
    def beside(self) -> list[tuple[str, list[str]]]:
        """``others`` as (tag for ``lang=``, keywords) pairs."""
        return [(HTML_LANG.get(lang, lang), words) for lang, words in self.others.items()]


def locale_language(locale: str | None) -> str:
    return LOCALE_LANGUAGE.get(locale or "", "en")


def enough(labels: Mapping[str, Any], language: str) -> bool:
    """Whether the theme has enough members in ``language`` to be named in it."""
    total = sum(int(entry.get("count", 0)) for entry in labels.values())
    count = int(labels.get(language, {}).get("count", 0))
    return count >= MIN_MEMBERS and count >= MIN_SHARE * total


def display_label(theme: Theme, locale: str | None = None) -> DisplayLabel:
    """The theme as a viewer in ``locale`` (default: the request's) sees it."""
    labels: Mapping[str, Any] = theme.labels or {}
    if not labels:  # not labelled per language yet (before its first run with languages)
        return DisplayLabel(theme.name, list(theme.keywords), None if theme.renamed else "en")
    viewer = locale_language(locale if locale is not None else current_locale())
    if enough(labels, viewer) and labels[viewer].get("name"):
        chosen, others = viewer, {}
    else:
        chosen = primary_language(labels)
        others = {
            language: list(labels[language].get("keywords", []))[:OTHER_KEYWORDS]
            for language in LANGUAGES
            if language != chosen and labels.get(language, {}).get("keywords")
        }
    entry = labels.get(chosen, {})
    keywords = list(entry.get("keywords", []))
    if theme.renamed or not entry.get("name"):
        return DisplayLabel(theme.name, keywords, None, others)
    return DisplayLabel(entry["name"], keywords, chosen, others)


def display_labels(themes: Iterable[Theme], locale: str | None = None) -> dict[int, DisplayLabel]:
    """``display_label`` of each theme, by theme id, for a page that lists them."""
    return {theme.id: display_label(theme, locale) for theme in themes if theme.id is not None}


def display_names(themes: Iterable[Theme], locale: str | None = None) -> dict[int, str]:
    return {i: label.name for i, label in display_labels(themes, locale).items()}
