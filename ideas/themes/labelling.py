"""Labels of groups of documents computed together, and a theme taking a run's labels while
keeping a name its viewers have already seen."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from ideas.themes import clustering
from ideas.themes.documents import Document
from ideas.themes.keywords import Labels, label_language, language_labels, primary_label
from ideas.themes.models import NAME_MAX, Theme
from ideas.themes.naming import enough


def member_labels(groups: Sequence[Sequence[Document]], per_language: int = 300) -> list[Labels]:
    """Labels per language of groups of documents, computed together (so each group's
    keywords are what set it apart from the others). As in a run, c-TF-IDF reads at most
    ``per_language`` texts of each group and language (the smallest key hashes): Japanese
    segmentation costs about 2 ms a text, and a full run's rebuild labels every theme."""
    samples: list[list[tuple[str, str]]] = []
    counts: list[Counter[str]] = []
    for group in groups:
        by_language: dict[str, list[Document]] = defaultdict(list)
        for doc in group:
            by_language[label_language(doc.language)].append(doc)
        chosen = [
            (language, doc)
            for language, docs in by_language.items()
            for doc in sorted(docs, key=lambda d: (clustering.key_hash(d.key), d.key))[
                :per_language
            ]
        ]
        samples.append([(language, doc.text) for language, doc in chosen])
        counts.append(Counter({language: len(docs) for language, docs in by_language.items()}))
    return language_labels(samples, counts)


def set_labels(theme: Theme, labels: Labels) -> None:
    """A run's (or a rebuild's) labels on a theme: keywords and counts as computed, and
    ``keywords``/``auto_label`` those of the most common language. A language's name that was
    already shown (the language had enough members, ``naming.enough``) is kept, as the theme's
    own name is, so viewers do not see it change every night."""
    before: Labels = dict(theme.labels or {})
    if not before and theme.auto_label:  # labelled before languages: its name is English
        before = {"en": {"name": theme.auto_label if theme.renamed else theme.name}}
        before["en"]["count"] = theme.size
    kept = keep_shown_names(before, labels)
    theme.labels = kept
    keywords, label = primary_label(labels)
    theme.keywords, theme.auto_label = keywords, (label[:NAME_MAX] or theme.auto_label)


def keep_shown_names(before: Labels, labels: Labels) -> Labels:
    """``labels`` with each language's name shown ``before`` kept (when that language has
    enough members to be shown), so a theme or area does not change its name every night."""
    kept: Labels = {}
    for language, fresh in labels.items():
        old = before.get(language, {})
        keep = old.get("name") and enough(before, language)
        kept[language] = {**fresh, "name": old["name"] if keep else fresh["name"]}
    return kept
