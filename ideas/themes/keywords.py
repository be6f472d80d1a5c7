"""Keywords and labels of themes: class-based TF-IDF over each cluster's texts (redaction tokens
such as ``[CARD]``, speaker prefixes such as ``Customer:``, stop words and numbers ignored;
unigrams and bigrams), and a short readable label from the top terms. Per language
(``language_labels``): English words as below, Chinese and Japanese words from ``tokens``; each
language's documents across all clusters are that language's corpus, so a theme gets keywords
and a name in every language its members are written in. Nothing is translated. Pure
functions, no database."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from ideas.themes import tokens

MAX_KEYWORDS = 10
# The languages documents come in; anything else (``"und"``: too short or mixed to tell) is
# read as English, the tokeniser that keeps Latin words and skips what it cannot read.
LANGUAGES = ("en", "zh", "ja")
UNLABELLED = "Unlabelled theme"

# One language's part of ``Theme.labels``: {"name": str, "keywords": [str], "count": int}.
LanguageLabel = dict[str, Any]
Labels = dict[str, LanguageLabel]

_REDACTION = re.compile(r"\[[A-Z][A-Z0-9_]*\]|<[A-Z][A-Z0-9_]*>|\{\{[^}]*\}\}")


_SPEAKER = re.compile(
    r"^\s*(?:customer|agent|caller|advisor|adviser|colleague|user|system|bot)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)*")


# scikit-learn's English list plus contraction fragments and filler that carries no theme.
_EXTRA_STOP = {
    "im", "ive", "id", "ill", "youre", "youve", "theyre", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "werent", "hasnt", "havent", "hadnt", "wont", "wouldnt", "cant",
    "couldnt", "shouldnt", "lets", "thats", "theres", "whats", "hows", "wheres", "ok", "okay",
    "hi", "hello", "hey", "thanks", "thank", "thx", "pls", "plz", "please", "just", "like",
    "yes", "yeah", "sure", "really", "ll", "ve", "re", "s", "t", "d", "m", "want", "need",
    "know", "let", "does", "did", "got", "get", "able", "going", "way", "bit", "lot",
    "having", "saying", "said", "tell", "told", "use", "using", "used", "make", "trying",
    "try", "tried", "think", "maybe", "possible", "wanted", "wanna", "gonna", "today",
    "help", "needs", "happened", "happen",
}  # fmt: skip


# Words scikit-learn's list drops that name contact-centre problems ("top up", "bill", "call").
_KEEP = {"amount", "back", "bill", "call", "detail", "empty", "fire", "full", "interest", "move"}
_KEEP |= {"name", "system", "top"}


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - _KEEP) | _EXTRA_STOP


_STOP: frozenset[str] | None = None


def _english_word(token: str) -> str | None:
    """A lower-cased token as a keyword word, or ``None`` for a stop word or a single letter."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    if token.endswith("'s"):
        token = token[:-2]
    token = token.replace("'", "")
    return token if len(token) > 1 and token not in _STOP else None


def _terms(text: str) -> list[str]:
    """Unigrams and bigrams of one English text, after dropping redaction tokens, speaker
    prefixes, stop words, numbers and one-letter tokens (bigrams join the words left, as
    scikit-learn's vectorisers do)."""
    text = _SPEAKER.sub(" ", _REDACTION.sub(" ", text)).lower().replace("\u2019", "'")
    words = [w for w in map(_english_word, _TOKEN.findall(text)) if w is not None]
    return words + [f"{a} {b}" for a, b in pairwise(words) if a != b]


def _latin_in_cjk(word: str) -> bool:
    return _english_word(word) == word


def terms(text: str, language: str = "en") -> list[str]:
    """The unigrams and bigrams c-TF-IDF counts for one text in ``language``."""
    if language in tokens.CJK:
        return tokens.cjk_terms(text, language, _latin_in_cjk)
    return _terms(text)


def label_language(language: str | None) -> str:
    """The language a document's keywords are read in (see ``LANGUAGES``)."""
    return language if language in LANGUAGES else "en"


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _overlaps(term: str, used: list[str]) -> bool:
    """Whether a CJK term shares a word with ``used``: one word inside another counts
    (jieba may cut ``待处理`` in one text and ``处理`` in the next)."""
    return any(a in b or b in a for a in tokens.parts(term) for b in used)


def _label(keywords: list[str], language: str = "en") -> str:
    """Two top terms that share no word stem, the first a bigram when one ranks in the top
    three: ``["card", "arrived", "card arrived", "tracking"]`` gives
    ``"Card arrived / tracking"``. Chinese and Japanese terms (``tokens.JOIN`` between a
    bigram's words) are compared by word and not capitalised; with no terms they have no name
    (``""``)."""
    if not keywords:
        return "" if language in tokens.CJK else UNLABELLED
    primary = next((k for k in keywords[:3] if len(tokens.parts(k)) > 1), keywords[0])
    if language in tokens.CJK:
        used = tokens.parts(primary)
        secondary = next((k for k in keywords if not _overlaps(k, used)), "")
        return tokens.display(primary if not secondary else f"{primary} / {secondary}")
    stems = {_stem(w) for w in primary.split()}
    secondary = next(
        (k for k in keywords if not stems & {_stem(w) for w in k.split()}),
        "",
    )
    label = primary if not secondary else f"{primary} / {secondary}"
    return label[:1].upper() + label[1:]


def keywords_and_label(
    texts_by_cluster: Sequence[Sequence[str]], language: str = "en"
) -> list[tuple[list[str], str]]:
    """c-TF-IDF keywords (best first, up to ten) and a short label for each cluster, every text
    read as ``language``.

    BERTopic's weighting: a term's frequency in the cluster (L1-normalised) times
    ``log(1 + A / f)``, A the average number of terms per cluster and f the term's frequency
    over all clusters. A term must occur in two of the cluster's documents (in one when the
    cluster has a single document). Ties break alphabetically, so the output is deterministic.
    """
    counts: list[Counter[str]] = []
    doc_freq: list[Counter[str]] = []
    total: Counter[str] = Counter()
    for texts in texts_by_cluster:
        tf: Counter[str] = Counter()
        df: Counter[str] = Counter()
        for text in texts:
            found = terms(text, language)
            tf.update(found)
            df.update(set(found))
        counts.append(tf)
        doc_freq.append(df)
        total.update(tf)
    if not counts:
        return []
    average = sum(total.values()) / len(counts)
    out: list[tuple[list[str], str]] = []
    for tf, df, texts in zip(counts, doc_freq, texts_by_cluster, strict=True):
        size = sum(tf.values())
        min_df = min(2, len(texts))
        scored = [
            (-(count / size) * math.log(1.0 + average / total[term]), term)
            for term, count in tf.items()
            if df[term] >= min_df
        ]
        scored.sort()
        top = [term for _, term in scored[:MAX_KEYWORDS]]
        out.append(([tokens.display(t) for t in top], _label(top, language)))
    return out


def language_labels(
    clusters: Sequence[Sequence[tuple[str, str]]],
    counts: Sequence[Mapping[str, int]] | None = None,
) -> list[Labels]:
    """Per cluster, for each language it has members in: keywords, a name and the member
    count. ``clusters`` holds each cluster's ``(language, text)`` pairs (a sample of a big
    cluster is enough for keywords); ``counts`` its members per language when the texts are a
    sample (default: counted from the texts)."""
    out: list[Labels] = [{} for _ in clusters]
    pairs = [[(label_language(lang), text) for lang, text in docs] for docs in clusters]
    for language in LANGUAGES:
        index = [c for c, docs in enumerate(pairs) if any(lang == language for lang, _ in docs)]
        if not index:
            continue
        texts = [[text for lang, text in pairs[c] if lang == language] for c in index]
        for c, cluster_texts, (keywords, name) in zip(
            index, texts, keywords_and_label(texts, language), strict=True
        ):
            out[c][language] = {"name": name, "keywords": keywords, "count": len(cluster_texts)}
    for labels, counted in zip(out, counts or [], strict=False):
        for language in LANGUAGES:
            n = sum(v for k, v in counted.items() if label_language(k) == language)
            if n and language in labels:
                labels[language]["count"] = n
    return out


def primary_language(labels: Mapping[str, Mapping[str, Any]]) -> str:
    """The language most of a theme's members are written in (ties: ``LANGUAGES`` order)."""
    counts = {lang: int(labels[lang].get("count", 0)) for lang in LANGUAGES if lang in labels}
    return max(counts, key=lambda lang: (counts[lang], -LANGUAGES.index(lang)), default="en")


def primary_label(labels: Labels) -> tuple[list[str], str]:
    """Keywords and name in the theme's most common language (``Theme.keywords`` and
    ``auto_label``); a name, in English, when none could be made."""
    chosen = labels.get(primary_language(labels), {})
    return list(chosen.get("keywords", [])), chosen.get("name") or UNLABELLED
