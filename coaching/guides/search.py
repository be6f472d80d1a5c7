"""Real-time guide search: an in-process hybrid index over the passages of published guides.

Agents search while talking to a customer, as they type, so a search must answer in a few
milliseconds besides the query embedding. The index holds, for every passage of every published
guide, its vector (a numpy matrix: one product scores them all) and a small BM25 keyword index
(postings with precomputed per-passage weights, so a query term costs one ``np.add.at``).

Ranking is a weighted sum, ``0.7 * cosine + 0.3 * bm25 / full``, not reciprocal-rank
fusion: the cosine of this model is on the same absolute scale for every query (so a weak
semantic match stays weak), while RRF would turn the best of a set of poor matches into a
strong rank, and would give a passage matching one rare keyword the same boost as one matching
them all. BM25 has no fixed scale, so it is divided by ``full``, the score of a passage that
held every query word at its best weight (an unindexed word counts as the rarest); semantics
weigh more because agents describe the customer's words, not the guide's. Passages are grouped
per guide (the best passage wins).

Keeping current across processes works like ``ideas.submissions.similar.VectorIndex.refresh``:
each search reads one cheap signature (newest version id, number of published guides, newest
passage vector id) and reloads everything when it changed; a guide is a few passages, so even
1,000 guides load in well under a second, and reloads happen only after a publish or an archive.
"""

from __future__ import annotations

import bisect
import math
import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from coaching.guides.models import Guide, GuidePassage, GuideStatus, GuideVersion
from coaching.guides.queries import SOURCE
from foundation.crosslingual import X_DIMENSIONS, get_encoder, is_cjk, place
from foundation.embeddings import DIMENSIONS, Embedder, Embedding, from_bytes

RESULTS = 8
QUERY_MIN, QUERY_MAX = 2, 200
SEMANTIC_WEIGHT, KEYWORD_WEIGHT = 0.7, 0.3
# Below this combined score a passage is noise: unrelated text scores a cosine of about 0.1,
# a paraphrase ("someone nicked my wallet" for a lost-card guide) about 0.3.
MIN_SCORE = 0.15
CANDIDATES = 64  # passages ranked before grouping per guide; more only if too few guides
CACHE_SIZE = 512  # query vectors kept: search-as-you-type repeats prefixes on backspace
PREFIX_MIN, PREFIX_TERMS = 3, 16
BM25_K1, BM25_B = 1.2, 0.75
SNIPPET = 280

_STOP = """a an and are as at be been but by can could do does for from had has have how i if in
into is it its me my no not of on or our so than that the their them then there they this to us
was we were what when where which who why will with would you your"""
# Words every query and guide of a bank's contact centre is full of: matching them says nothing.
_DOMAIN = "bank customer customers say says said"
STOP_WORDS = frozenset(_STOP.split()) | frozenset(_DOMAIN.split())
_TOKEN = re.compile(r"[a-z0-9]+")


def normalise(token: str) -> str:
    """Lowercase word -> index term: a plural 's' is dropped so 'cards' finds 'card'."""
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def tokens(text: str) -> list[str]:
    return [
        normalise(t)
        for t in _TOKEN.findall(text.lower())
        if t not in STOP_WORDS and (len(t) > 1 or t.isdigit())
    ]


@dataclass(frozen=True)
class Hit:
    guide_id: int
    title: str
    heading: str
    text: str
    score: float


@dataclass
class _Snapshot:
    """Everything one search reads; replaced whole on reload, never changed in place."""

    signature: tuple[int, int, int] = (-1, -1, -1)
    passage_guides: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    headings: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    titles: dict[int, str] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)  # guide -> its title passage's row
    matrix: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.float32))
    # Multilingual vectors of the English passages (the anchors a CJK query is placed among).
    xmatrix: np.ndarray = field(
        default_factory=lambda: np.zeros((0, X_DIMENSIONS), dtype=np.float32)
    )
    anchors: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    postings: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    vocabulary: list[str] = field(default_factory=list)  # sorted, for prefix look-ups
    top: dict[str, float] = field(default_factory=dict)  # term -> its best weight anywhere
    rare: float = 1.0  # the best weight of any term: what an unindexed query word stands for

    def __len__(self) -> int:
        return len(self.texts)


def _bm25(documents: list[list[str]]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """term -> (passage positions, BM25 weight of the term in each): scoring a query is then
    a sum of precomputed weights."""
    n = len(documents)
    lengths = np.array([len(d) for d in documents], dtype=np.float32)
    average = float(lengths.mean()) if n else 1.0
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    for i, doc in enumerate(documents):
        for term in doc:
            counts[term][i] = counts[term].get(i, 0) + 1
    postings = {}
    for term, by_doc in counts.items():
        positions = np.fromiter(by_doc.keys(), dtype=np.int64, count=len(by_doc))
        tf = np.fromiter(by_doc.values(), dtype=np.float32, count=len(by_doc))
        idf = math.log(1 + (n - len(by_doc) + 0.5) / (len(by_doc) + 0.5))
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[positions] / max(average, 1e-6))
        postings[term] = (positions, (idf * tf * (BM25_K1 + 1) / (tf + norm)).astype(np.float32))
    return postings


class GuideIndex:
    """The passages of published guides embedded with ``model``; one per process."""

    def __init__(self, model: str) -> None:
        self.model = model
        self._snapshot = _Snapshot()
        self._reload_lock = threading.Lock()
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._snapshot)

    # ------------------------------------------------------------------------------ keeping
    def signature(self, session: Session) -> tuple[int, int, int]:
        published = select(func.count()).where(Guide.status == GuideStatus.published)
        newest = select(func.max(Embedding.id)).where(
            Embedding.source == SOURCE, Embedding.model == self.model
        )
        row = session.exec(
            select(
                select(func.max(GuideVersion.id)).scalar_subquery(),
                published.select_from(Guide).scalar_subquery(),
                newest.scalar_subquery(),
            )
        ).one()
        return (row[0] or 0, row[1] or 0, row[2] or 0)

    def refresh(self, session: Session) -> bool:
        """Reload when a guide was published or archived since the last look; True if it did."""
        current = self.signature(session)
        if current == self._snapshot.signature:
            return False
        with self._reload_lock:
            if current != self._snapshot.signature:
                self._snapshot = self._load(session, current)
                with self._cache_lock:
                    self._cache.clear()  # CJK queries were placed among the old passages
        return True

    def _load(self, session: Session, signature: tuple[int, int, int]) -> _Snapshot:
        query = (
            # sqlmodel's select() is typed for at most four columns.
            select(  # type: ignore[call-overload]
                GuidePassage.guide_id,
                GuidePassage.position,
                GuidePassage.heading,
                GuidePassage.text,
                Embedding.vector,
                Embedding.xvector,
                Embedding.anchor,
            )
            .join(Guide, col(Guide.id) == col(GuidePassage.guide_id))
            .outerjoin(
                Embedding,
                and_(
                    col(Embedding.source) == SOURCE,
                    col(Embedding.source_id) == col(GuidePassage.id),
                    col(Embedding.model) == self.model,
                ),
            )
            .where(Guide.status == GuideStatus.published)
            .order_by(col(GuidePassage.guide_id), col(GuidePassage.position))
        )
        rows = session.exec(query).all()
        snap = _Snapshot(signature=signature)
        snap.passage_guides = np.array([r[0] for r in rows], dtype=np.int64)
        snap.matrix = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
        snap.xmatrix = np.zeros((len(rows), X_DIMENSIONS), dtype=np.float32)
        snap.anchors = np.zeros(len(rows), dtype=bool)
        documents = []
        for i, (guide_id, position, heading, text, blob, xblob, anchor) in enumerate(rows):
            if position == 0:
                snap.titles[guide_id] = text
                snap.starts[guide_id] = i
            title = snap.titles.get(guide_id, "")
            snap.headings.append(heading)
            snap.texts.append(text)
            # A passage without a vector of this model (model changed) is found by keywords.
            if blob is not None:
                snap.matrix[i] = from_bytes(blob)
            if xblob is not None:
                snap.xmatrix[i], snap.anchors[i] = from_bytes(xblob), bool(anchor)
            documents.append(tokens(text if position == 0 else f"{title} {heading} {text}"))
        snap.postings = _bm25(documents)
        snap.vocabulary = sorted(snap.postings)
        snap.top = {term: float(weights.max()) for term, (_, weights) in snap.postings.items()}
        snap.rare = max(snap.top.values(), default=1.0)
        return snap

    # ------------------------------------------------------------------------------ searching
    def embed(self, embedder: Embedder, query: str) -> np.ndarray:
        """The query's vector, from a small LRU: typing repeats prefixes (backspace, pauses)."""
        key = query.lower()
        with self._cache_lock:
            if (vector := self._cache.get(key)) is not None:
                self._cache.move_to_end(key)
                return vector
        if is_cjk(query):  # placed among the English passages (foundation.crosslingual)
            snap = self._snapshot
            x = get_encoder().encode([query])
            encoded: np.ndarray = place(x, snap.xmatrix, snap.matrix, snap.anchors)[0]
        else:
            encoded = embedder.encode([query])[0]
        with self._cache_lock:
            self._cache[key] = encoded
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        return encoded

    def search(
        self, session: Session, embedder: Embedder, query: str, k: int = RESULTS
    ) -> list[Hit]:
        """The ``k`` best guides for ``query``, each with its best passage, best first."""
        query = " ".join(query.split())[:QUERY_MAX]
        if len(query) < QUERY_MIN:
            return []
        self.refresh(session)
        snap = self._snapshot
        if not len(snap):
            return []
        scores = SEMANTIC_WEIGHT * (snap.matrix @ self.embed(embedder, query))
        keyword = _keyword_scores(snap, query)
        if keyword is not None:
            scores += KEYWORD_WEIGHT * keyword
        return _best_per_guide(snap, scores, k)


def query_terms(snap: _Snapshot | None, query: str) -> list[str]:
    """The query's index terms; a last word still being typed also stands for the indexed
    terms it begins (at most PREFIX_TERMS, the most common), so 'stol' finds 'stolen'."""
    terms = tokens(query)
    words = _TOKEN.findall(query.lower())
    prefix = words[-1] if words and query[-1:].isalnum() else ""
    if snap is None or len(prefix) < PREFIX_MIN or prefix in STOP_WORDS:
        return terms
    start = bisect.bisect_left(snap.vocabulary, prefix)
    end = bisect.bisect_left(snap.vocabulary, prefix + "\x7f")
    extra = [t for t in snap.vocabulary[start:end] if t != normalise(prefix)]
    if len(extra) > PREFIX_TERMS:
        extra.sort(key=lambda t: -len(snap.postings[t][0]))
        extra = extra[:PREFIX_TERMS]
    return terms + extra


def _keyword_scores(snap: _Snapshot, query: str) -> np.ndarray | None:
    terms = [t for t in dict.fromkeys(query_terms(snap, query)) if t in snap.postings]
    if not terms:
        return None
    scores = np.zeros(len(snap), dtype=np.float32)
    for term in terms:
        positions, weights = snap.postings[term]
        scores[positions] += weights  # positions are unique within a term's postings
    # Scaled by what a passage holding every query word would score, not by the best passage:
    # a passage matching one common word of a long query ("bank" in "someone nicked my purse
    # with my bank card") stays a weak keyword match; paraphrase is the semantic part's job.
    full = sum(snap.top.get(t, snap.rare) for t in dict.fromkeys(tokens(query)))
    best = float(scores.max())
    return np.minimum(scores / max(full, best), 1.0) if best > 0 else None


def _best_per_guide(snap: _Snapshot, scores: np.ndarray, k: int) -> list[Hit]:
    n = len(scores)
    order: np.ndarray = np.zeros(0, dtype=np.int64)
    for size in (min(n, CANDIDATES), n):  # usually the first slice already holds k guides
        top = np.argpartition(-scores, size - 1)[:size] if size < n else np.arange(n)
        order = top[np.argsort(-scores[top], kind="stable")]
        if len(set(snap.passage_guides[order].tolist())) >= k or size == n:
            break
    hits: list[Hit] = []
    seen: set[int] = set()
    for i in order.tolist():
        guide_id = int(snap.passage_guides[i])
        if guide_id in seen:
            continue
        if scores[i] < MIN_SCORE:
            break
        seen.add(guide_id)
        shown = _shown_passage(snap, scores, guide_id, i)
        title = snap.titles.get(guide_id, "")
        hits.append(Hit(guide_id, title, snap.headings[shown], snap.texts[shown], float(scores[i])))
        if len(hits) == k:
            break
    return hits


def _shown_passage(snap: _Snapshot, scores: np.ndarray, guide_id: int, best: int) -> int:
    """The passage shown under the title: the best one, unless that is the title itself, then
    the guide's best body passage (the title is already on screen). Rows of a guide are
    contiguous, the title first."""
    start = snap.starts.get(guide_id)
    if best != start:
        return best
    end = start + 1
    while end < len(snap.passage_guides) and snap.passage_guides[end] == guide_id:
        end += 1
    return best if end == start + 1 else start + 1 + int(np.argmax(scores[start + 1 : end]))


# -------------------------------------------------------------------------- query words in text
def query_pattern(query: str) -> re.Pattern[str] | None:
    words = sorted({w for w in _TOKEN.findall(query.lower()) if w not in STOP_WORDS and len(w) > 1})
    if not words:
        return None
    stems = sorted({normalise(w) for w in words}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, stems)) + r")\w*", re.IGNORECASE)


def snippet(text: str, query: str, length: int = SNIPPET) -> str:
    """At most ``length`` characters of ``text``, starting near the first query word."""
    if len(text) <= length:
        return text
    pattern = query_pattern(query)
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - length // 4) if found else 0
    if start:
        start = text.find(" ", start) + 1 or start
    cut = text[start : start + length].rsplit(" ", 1)[0]
    return ("… " if start else "") + cut + " …"
