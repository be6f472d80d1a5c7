"""The embedding service: the int8 ONNX fast path against the torch reference, the export cache
and the fallback. One real ONNX export per test session (into a temporary cache), about 15 s."""

from __future__ import annotations

import logging
import os
import platform
import shutil
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import pytest

from foundation import embeddings
from foundation.embeddings import (
    DIMENSIONS,
    MARKER,
    MODEL_NAME,
    ONNX_INT8,
    ONNX_INT8_MODEL_NAME,
    TORCH,
    Embedder,
    Embedding,
    OnnxInt8Embedder,
)
from foundation.settings import Settings

BANKING = [
    "How do I locate my card?",
    "I still have not received my new card, I ordered over a week ago.",
    "Why was I charged a fee for withdrawing cash?",
    "My top-up failed, what should I do?",
    "Can I change my PIN at an ATM?",
    "The exchange rate on my transfer looks wrong.",
    "I think someone has stolen my card and used it.",
    "How long does a transfer to another bank take?",
]


@pytest.fixture(scope="module")
def export_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh model cache holding one real export, made here (the only export of the file)."""
    cache = tmp_path_factory.mktemp("models")
    folder, _, seconds = embeddings.ensure_onnx_int8(Settings(model_cache=cache))
    assert seconds > 0  # exported, not found
    assert folder.parent == cache
    yield cache


@pytest.fixture(scope="module")
def fast(export_cache: Path) -> Iterator[Embedder]:
    embedder = embeddings.load_embedder(Settings(model_cache=export_cache), ONNX_INT8)
    assert isinstance(embedder, OnnxInt8Embedder)
    yield embedder


@pytest.fixture(scope="module")
def reference() -> Embedder:
    return embeddings.get_embedder(Settings(), TORCH)  # shared with the other tests of the session


def test_fast_vectors_match_the_torch_reference(fast: Embedder, reference: Embedder) -> None:
    vectors = fast.encode(BANKING)
    assert vectors.dtype == np.float32
    assert vectors.shape == (len(BANKING), DIMENSIONS)
    assert vectors.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = np.sum(vectors * reference.encode(BANKING), axis=1)
    assert cosines.min() >= 0.97, cosines
    # One text alone gives (nearly) the vector it gets in a batch; int8 scales vary a little.
    alone = fast.encode([BANKING[1]])[0]
    assert float(alone @ vectors[1]) >= 0.97


def test_a_paraphrase_is_closer_than_an_unrelated_text(fast: Embedder) -> None:
    query, paraphrase, unrelated = fast.encode(
        [
            "My card has not arrived yet.",
            "I ordered a new card weeks ago and it still isn't here.",
            "What is the exchange rate for euros?",
        ]
    )
    assert query @ paraphrase > query @ unrelated + 0.2


def test_empty_input(fast: Embedder, reference: Embedder) -> None:
    for embedder in (fast, reference):
        vectors = embedder.encode([])
        assert vectors.shape == (0, DIMENSIONS)
        assert vectors.dtype == np.float32


def test_model_names_differ_per_backend_and_fit_the_column(
    fast: Embedder, reference: Embedder
) -> None:
    assert reference.model_name == MODEL_NAME
    assert fast.model_name == ONNX_INT8_MODEL_NAME
    width = Embedding.__table__.c.model.type.length  # type: ignore[attr-defined]
    assert len(ONNX_INT8_MODEL_NAME) <= width == 64
    # The export keeps the reference's truncation (256 word pieces), so long texts agree too.
    assert fast._model.max_seq_length == reference._model.max_seq_length == 256


def test_the_export_is_reused_from_the_cache(
    export_cache: Path, fast: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_export(target: Path, config: str) -> None:
        raise AssertionError("exported again")

    settings = Settings(model_cache=export_cache)
    monkeypatch.setattr(embeddings, "export_onnx_int8", no_export)
    folder, file_name, seconds = embeddings.ensure_onnx_int8(settings)
    assert seconds == 0.0
    assert (folder / MARKER).is_file() and (folder / file_name).is_file()
    assert not (folder / "onnx" / "model.onnx").exists()  # the fp32 export is not kept
    again = embeddings.load_embedder(settings, ONNX_INT8)
    assert isinstance(again, OnnxInt8Embedder) and again.model_dir == folder
    np.testing.assert_allclose(again.encode(BANKING), fast.encode(BANKING), atol=1e-6)
    assert [p.name for p in export_cache.iterdir()] == [folder.name]  # no leftovers


def test_losing_the_export_race_uses_the_winners_copy(
    export_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (done,) = export_cache.iterdir()
    config = embeddings.quantization_config(Settings())
    final = embeddings.onnx_model_dir(config, tmp_path)

    def export_while_another_process_finishes_first(target: Path, config: str) -> None:
        shutil.copytree(done, target)
        (target / MARKER).unlink()
        shutil.copytree(done, final)  # the other process renames its copy into place now

    monkeypatch.setattr(embeddings, "export_onnx_int8", export_while_another_process_finishes_first)
    folder, _, _ = embeddings.ensure_onnx_int8(Settings(), tmp_path)
    assert folder == final and (final / MARKER).is_file()
    assert [p.name for p in tmp_path.iterdir()] == [final.name]  # our copy was dropped


def test_a_failed_export_falls_back_to_torch(
    reference: Embedder,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(target: Path, config: str) -> None:
        target.mkdir()
        (target / "half-written").write_text("x")
        raise RuntimeError("no space left on device")

    monkeypatch.setattr(embeddings, "export_onnx_int8", broken)
    with caplog.at_level(logging.WARNING, logger="foundation.embeddings"):
        embedder = embeddings.load_embedder(Settings(model_cache=tmp_path), ONNX_INT8)
    assert embedder is reference
    assert embedder.model_name == MODEL_NAME
    assert "using torch" in caplog.text
    assert embedder.encode(["card"]).shape == (1, DIMENSIONS)
    assert list(tmp_path.iterdir()) == []  # the half-written export was removed


def test_the_backend_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("VOICELOOP_EMBEDDING_BACKEND", raising=False)
    assert embeddings.configured_backend(Settings()) == ONNX_INT8
    monkeypatch.setenv("VOICELOOP_EMBEDDING_BACKEND", "torch")  # the variable names the setting
    settings = Settings()
    assert embeddings.configured_backend(settings) == TORCH
    assert embeddings.get_embedder(settings) is embeddings.get_embedder(Settings(), TORCH)
    assert embeddings.embedding_model_name(settings) == MODEL_NAME
    monkeypatch.setenv("VOICELOOP_EMBEDDING_BACKEND", "tensorflow")
    with caplog.at_level(logging.WARNING, logger="foundation.settings"):
        assert embeddings.configured_backend(Settings()) == ONNX_INT8  # a typo: the default
    assert "not one of" in caplog.text
    with pytest.raises(ValueError, match="unknown embedding backend"):
        embeddings.load_embedder(settings, "tensorflow")


def test_the_embedding_settings_read_their_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICELOOP_MODEL_CACHE", "/tmp/models")
    monkeypatch.setenv("VOICELOOP_EMBEDDING_THREADS", "3")
    monkeypatch.setenv("VOICELOOP_ONNX_QUANTIZATION", "avx2")
    settings = Settings()
    assert embeddings.model_cache_dir(settings) == Path("/tmp/models")
    assert embeddings.onnx_threads(settings) == 3
    assert embeddings.quantization_config(settings) == "avx2"
    for name in ("VOICELOOP_MODEL_CACHE", "VOICELOOP_EMBEDDING_THREADS"):
        monkeypatch.setenv(name, "")  # empty: the default, as before
    monkeypatch.delenv("VOICELOOP_ONNX_QUANTIZATION")
    settings = Settings()
    assert embeddings.model_cache_dir(settings) == Path.cwd() / "var" / "models"
    assert embeddings.onnx_threads(settings) == max(1, min(2, os.cpu_count() or 1))
    monkeypatch.setenv("VOICELOOP_EMBEDDING_THREADS", "many")  # not a number: the default
    assert Settings().embedding_threads is None


def test_the_quantisation_preset_follows_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICELOOP_ONNX_QUANTIZATION", raising=False)
    settings = Settings()
    monkeypatch.setattr(platform, "machine", lambda: "x86_64")
    monkeypatch.setattr(embeddings, "cpu_flags", lambda: {"avx2", "avx512f", "avx512_vnni"})
    assert embeddings.quantization_config(settings) == "avx512_vnni"
    monkeypatch.setattr(embeddings, "cpu_flags", lambda: {"avx2"})
    assert embeddings.quantization_config(settings) == "avx512"  # U8S8: measured faster on AVX2 too
    monkeypatch.setattr(platform, "machine", lambda: "aarch64")
    assert embeddings.quantization_config(settings) == "arm64"
    assert embeddings.quantization_config(Settings(onnx_quantization="avx2")) == "avx2"
