"""Keywords and labels of themes: class-based TF-IDF over each cluster's texts (redaction tokens
such as ``[CARD]``, speaker prefixes such as ``Customer:``, English stop words and numbers
ignored; unigrams and bigrams), and a short readable label from the top terms. Pure functions,
no database."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

MAX_KEYWORDS = 10

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


def _terms(text: str) -> list[str]:
    """Unigrams and bigrams of one text, after dropping redaction tokens, speaker prefixes,
    stop words, numbers and one-letter tokens (bigrams join the words left, as scikit-learn's
    vectorisers do)."""
    global _STOP
    if _STOP is None:
        _STOP = _stop_words()
    text = _SPEAKER.sub(" ", _REDACTION.sub(" ", text)).lower().replace("\u2019", "'")
    words = []
    for token in _TOKEN.findall(text):
        if token.endswith("'s"):
            token = token[:-2]
        token = token.replace("'", "")
        if len(token) > 1 and token not in _STOP:
            words.append(token)
    return words + [f"{a} {b}" for a, b in pairwise(words) if a != b]


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _label(keywords: list[str]) -> str:
    """Two top terms that share no word stem, the first a bigram when one ranks in the top
    three: ``["card", "arrived", "card arrived", "tracking"]`` gives
    ``"Card arrived / tracking"``."""
    if not keywords:
        return "Unlabelled theme"
    primary = next((k for k in keywords[:3] if " " in k), keywords[0])
    used = {_stem(w) for w in primary.split()}
    secondary = next(
        (k for k in keywords if not used & {_stem(w) for w in k.split()}),
        "",
    )
    label = primary if not secondary else f"{primary} / {secondary}"
    return label[:1].upper() + label[1:]


def keywords_and_label(texts_by_cluster: Sequence[Sequence[str]]) -> list[tuple[list[str], str]]:
    """c-TF-IDF keywords (best first, up to ten) and a short label for each cluster.

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
            terms = _terms(text)
            tf.update(terms)
            df.update(set(terms))
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
        keywords = [term for _, term in scored[:MAX_KEYWORDS]]
        out.append((keywords, _label(keywords)))
    return out
