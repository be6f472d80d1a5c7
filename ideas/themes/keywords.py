"""Keywords and names of themes: class-based TF-IDF over each cluster's texts (redaction tokens
such as ``[CARD]``, speaker prefixes such as ``Customer:``, stop words and numbers ignored;
unigrams and bigrams), and a name that is a short phrase of the members' own words, chosen by
how many members use its words and how particular to the cluster they are (``phrases``): "Card
payment still pending", never keywords joined by a slash (with no phrase: the top keyword). Per
language (``language_labels``): English words as below, Chinese and Japanese words from
``tokens``; each language's documents across all clusters are that language's corpus, so a
theme gets keywords and a name in every language its members are written in. Nothing is
translated. Pure functions, no database."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from ideas.themes import phrases, tokens

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

NAME_CHOICES = 5  # phrases a cluster may fall back on when a larger one has its best name


@cache
def _stop_words() -> frozenset[str]:
    """Keyword stop words: scikit-learn's list less ``_KEEP``, plus ``_EXTRA_STOP``."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return (frozenset(ENGLISH_STOP_WORDS) - _KEEP) | _EXTRA_STOP


def _english_word(token: str) -> str | None:
    """A lower-cased token as a keyword word, or ``None`` for a stop word or a single letter."""
    if token.endswith("'s"):
        token = token[:-2]
    token = token.replace("'", "")
    return token if len(token) > 1 and token not in _stop_words() else None


_JOINING = {"", "-"}  # what may stand between two words of one phrase ("top-up")
# Words that open a new clause: a name never runs across one ("chargeback while the payment",
# "colleague which exchange rate" read as fragments).
_CLAUSE = frozenset(
    {"while", "which", "who", "whom", "whose", "because", "if", "unless", "although", "though",
     "whether", "but", "since", "until", "cause", "than"}
)  # fmt: skip


def _sequence(text: str) -> tuple[list[phrases.Token | None], list[str]]:
    """An English text as ``phrases`` tokens (lower-cased word, keyword word or ``None``),
    with ``None`` where punctuation, a number, a redaction token or a speaker prefix stood;
    and the words it writes in capitals ("ATM", "PIN"), so a name can keep them."""
    text = _SPEAKER.sub(" . ", _REDACTION.sub(" . ", text)).replace("\u2019", "'")
    lower = text.lower()
    same = len(lower) == len(text)
    out: list[phrases.Token | None] = []
    capitals: list[str] = []
    end = 0
    for match in _TOKEN.finditer(lower):
        if lower[end : match.start()].strip() not in _JOINING:
            out.append(None)
        end = match.end()
        key = match.group()
        if key in _CLAUSE:
            out.append(None)
            continue
        out.append((key, _english_word(key)))
        if same and 1 < len(key) < 6 and text[match.start() : end].isupper():
            capitals.append(key)
    return out, capitals


def _terms_of(found: list[str | None]) -> list[str]:
    words = [w for w in found if w is not None]
    return words + [f"{a} {b}" for a, b in pairwise(words) if a != b]


def _terms(text: str) -> list[str]:
    """Unigrams and bigrams of one English text, after dropping redaction tokens, speaker
    prefixes, stop words, numbers and one-letter tokens (bigrams join the words left, as
    scikit-learn's vectorisers do)."""
    return _terms_of([t[1] for t in _sequence(text)[0] if t])


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


@dataclass
class _Read:
    """One cluster's texts, counted: terms (``tf``, ``df``), phrases and capitalised words."""

    tf: Counter[str] = field(default_factory=Counter)
    df: Counter[str] = field(default_factory=Counter)
    phrases: phrases.Tally = field(default_factory=phrases.Tally)
    capitals: Counter[str] = field(default_factory=Counter)


def _content(token: phrases.Token) -> bool:
    """A word a name may start or end with: a keyword word."""
    return token[1] is not None


# Words that end a name only by cutting a phrasal verb short ("Google pay top" of "... top up").
_NOT_LAST = frozenset({"top", "topped", "topping", "tops"})


def _english_last(token: phrases.Token) -> bool:
    return token[0] not in _NOT_LAST


def _read(texts: Sequence[str], language: str) -> _Read:
    read = _Read()
    for text in texts:
        if language in tokens.CJK:
            sequence = tokens.sequence(text, language, _latin_in_cjk)
            found = tokens.terms_of([t[1] if t else None for t in sequence])
            found_phrases = phrases.candidates(sequence, _content, phrases.CJK, True)
        else:
            sequence, capitals = _sequence(text)
            found = _terms_of([t[1] for t in sequence if t])
            found_phrases = phrases.candidates(
                sequence, _content, phrases.ENGLISH, last=_english_last
            )
            read.capitals.update(capitals)
        read.tf.update(found)
        read.df.update(set(found))
        read.phrases.add(found_phrases, (t for t in found if " " not in t and tokens.JOIN not in t))
    return read


def _shown(key: phrases.Key, read: _Read) -> str:
    """An English phrase as a name: lower case, but a word most members write in capitals
    ("ATM") stays so; the first letter capitalised."""
    words = [
        w.upper() if w == "i" or (read.tf[w] and 2 * read.capitals[w] > read.tf[w]) else w
        for w in key
    ]
    name = " ".join(words)
    return name[:1].upper() + name[1:]


def _name(
    read: _Read, top: list[str], weight: Callable[[str], float], size: int, taken: set[str]
) -> str:
    """The best phrase (``phrases.ranked``) used by two members (by one when none is, or the
    cluster has one member) that no larger cluster's name already is (two themes called "New
    card" would not say which is which; the best one when all are); with none, the top
    keyword."""
    keys = phrases.ranked(read.phrases, weight, min(2, size)) or phrases.ranked(
        read.phrases, weight, 1
    )
    names = [tokens.join(k) if any(not w.isascii() for w in k) else _shown(k, read) for k in keys]
    free = [name for name in names[:NAME_CHOICES] if name.casefold() not in taken]
    if names:
        return (free or names)[0]
    if not top:
        return ""
    name = tokens.display(top[0])
    return name[:1].upper() + name[1:]


def keywords_and_label(
    texts_by_cluster: Sequence[Sequence[str]], language: str = "en"
) -> list[tuple[list[str], str]]:
    """c-TF-IDF keywords (best first, up to ten) and a name for each cluster, every text read
    as ``language``.

    BERTopic's weighting: a term's frequency in the cluster (L1-normalised) times
    ``log(1 + A / f)``, A the average number of terms per cluster and f the term's frequency
    over all clusters. A term must occur in two of the cluster's documents (in one when the
    cluster has a single document). The name is a phrase of the members (``phrases``), each
    of its words weighted by the share of the cluster's texts that use it times
    ``log(1 + N / n) ** phrases.IDF_POWER`` (N texts in all clusters, n of them using the
    word): what most members say, less the words every cluster uses. Ties break
    alphabetically, so the output is deterministic.
    """
    reads = [_read(texts, language) for texts in texts_by_cluster]
    total: Counter[str] = Counter()
    users: Counter[str] = Counter()  # texts using each term, over all clusters
    for read in reads:
        total.update(read.tf)
        users.update(read.df)
    if not reads:
        return []
    average = sum(total.values()) / len(reads)
    texts_in_all = sum(len(texts) for texts in texts_by_cluster)
    out: list[tuple[list[str], str] | None] = [None] * len(reads)
    taken: set[str] = set()
    # Larger clusters choose their names first.
    for index in sorted(range(len(reads)), key=lambda i: (-len(texts_by_cluster[i]), i)):
        read, texts = reads[index], texts_by_cluster[index]
        size = sum(read.tf.values())
        min_df = min(2, len(texts))
        scored = sorted(
            (-(count / size) * math.log(1.0 + average / total[term]), term)
            for term, count in read.tf.items()
            if read.df[term] >= min_df
        )
        top = [term for _, term in scored[:MAX_KEYWORDS]]

        def weight(word: str, df: Counter[str] = read.df, n: int = len(texts)) -> float:
            idf = math.log(1.0 + texts_in_all / users[word]) if users[word] else 0.0
            return df[word] / n * math.pow(idf, phrases.IDF_POWER)

        name = _name(read, top, weight, len(texts), taken)
        if not name and language not in tokens.CJK:
            name = UNLABELLED
        taken.add(name.casefold())
        out[index] = ([tokens.display(t) for t in top], name)
    return [labels for labels in out if labels is not None]


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
