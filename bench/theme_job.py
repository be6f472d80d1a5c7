"""Benchmark: the ``themes.cluster`` job end to end on 200,000 documents, against the embedder's
own speed, while a CX lead keeps the themes page open (issue 15, item 7).

Run: ``.venv/bin/python bench/theme_job.py`` (200,000 documents, about 12 minutes on 2 cores);
``--docs 20000`` for a quicker look. Needs ``shared/data`` beside the clone (BANKING77).

What it does
- A fresh SQLite database in a temporary folder, migrated with Alembic as ``voiceloop migrate``
  does; ``--docs`` generated documents written in bulk (``bench/theme_job_data.py``: ideas and
  gap evidence of the demo's lengths and vocabulary, a few in Chinese and Japanese), none
  embedded yet.
- Baseline, in the same run: the product's embedder alone (``get_embedder(settings)``,
  ``encode_for_storage`` in the job's batches, the same threads) on the texts of the same
  documents, read through the job's own ``Corpus``.
- The web app as ``voiceloop serve`` starts it (a separate process, default workers) on the same
  database, and a separate poller process, signed in as a CX lead, that requests ``/themes``
  every 0.5 s and records each latency at the client.
- The job through the runner a worker uses (``jobs.service.run_now``: claim, heartbeat, batch
  commits), in this process, at the worker's ``nice``. ``seconds`` is its wall time.
- Then 5% more documents and the job again (only the new ones are embedded): ``identity_kept``
  is the share of the original documents whose theme id (or being unthemed) is unchanged.

Prints the phases, both runs and the page latencies, and ends with one JSON line:
``{"bench": "theme_job", "docs", "seconds", "docs_per_s", "embed_only_docs_per_s",
"p95_page_ms_during", "identity_kept"}``. Goals: ``docs_per_s`` at least 0.6 of
``embed_only_docs_per_s``, ``p95_page_ms_during`` (the first run) at most 300.
``--profile FILE`` writes a cProfile of the first run.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import httpx  # noqa: E402

PAGE = "/themes"
POLL_SECONDS = 0.5


def poll(base: str, token: str, out: str) -> None:
    """The poller process: GET the page every ``POLL_SECONDS`` until killed, one line per
    request: wall time, seconds, status."""
    with httpx.Client(base_url=base, timeout=120) as client, open(out, "a") as sink:
        client.cookies.set("vl_session", token)
        while True:
            started = time.perf_counter()
            at = time.time()
            try:
                status = client.get(PAGE).status_code
            except httpx.HTTPError:
                status = 0
            took = time.perf_counter() - started
            sink.write(f"{at:.3f} {took:.4f} {status}\n")
            sink.flush()
            time.sleep(max(0.0, POLL_SECONDS - took))


if __name__ == "__main__" and sys.argv[1:2] == ["--poll"]:  # the poller process: no heavy imports
    poll(*sys.argv[2:5])
    sys.exit(0)

import numpy as np  # noqa: E402
from sqlalchemy import Engine  # noqa: E402
from sqlmodel import Session, select  # noqa: E402

from bench.common import app_database, signed_in_user  # noqa: E402
from bench.theme_job_data import Vocabulary, generate  # noqa: E402
from demo.loader import SHARED_DATA  # noqa: E402
from foundation.accounts import Role  # noqa: E402
from foundation.settings import Settings  # noqa: E402

MINILM_SAMPLE = 5_000  # texts MiniLM alone is timed on, for reference


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --------------------------------------------------------------------------------- baseline
def corpus_texts(engine: Engine, model: str) -> list[str]:
    from coaching.interactions.evidence import Corpus

    with Session(engine) as session:
        return [doc.text for doc in Corpus(model).documents(session)]


def embed_only(settings: Settings, texts: list[str], *, minilm: bool = False) -> float:
    """Seconds the product's embedder takes for ``texts`` alone, in the job's batches: as the job
    stores them (``encode_for_storage``: MiniLM, and the multilingual model for every text), or
    with ``minilm`` MiniLM alone (``encode``, for reference)."""
    from foundation.embeddings import get_embedder
    from jobs.tasks import EMBED_BATCH

    embedder = get_embedder(settings)
    embedder.encode_for_storage([*texts[:64], "我的新卡还没收到", "カードが届きません"])  # warm
    encode = embedder.encode if minilm else embedder.encode_for_storage
    started = time.perf_counter()
    for first in range(0, len(texts), EMBED_BATCH):
        encode(texts[first : first + EMBED_BATCH])
    return time.perf_counter() - started


# ---------------------------------------------------------------------------- web and poller
def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(folder: Path, settings: Settings) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "VOICELOOP_ENVIRONMENT": "development",
        "VOICELOOP_DATABASE_URL": settings.database_url,
        "VOICELOOP_QUEUE_URL": settings.queue_url,
        "VOICELOOP_MODEL_CACHE": os.environ.get("VOICELOOP_MODEL_CACHE", str(ROOT / "var/models")),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("VOICELOOP_SECRET_KEY", None)
    env.pop("VOICELOOP_PII_KEY", None)
    out = (folder / "serve.log").open("wb")
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, cwd=folder, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server did not start; see {folder / 'serve.log'}")


def start_poller(base: str, token: str, out: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, __file__, "--poll", base, token, str(out)]
    return subprocess.Popen(command, cwd=ROOT)


def wait_for_polls(out: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if out.exists() and len(out.read_text().splitlines()) >= count:
            return
        time.sleep(0.5)
    raise SystemExit("the poller did not get the page")


def latencies(out: Path, start: float, end: float) -> tuple[list[float], int]:
    """Latencies (s) of the requests made between ``start`` and ``end``, and the failures."""
    times, failed = [], 0
    for line in out.read_text().splitlines():
        at, took, status = line.split()
        if start <= float(at) <= end:
            times.append(float(took))
            failed += status != "200"
    return times, failed


# ------------------------------------------------------------------------------------ job
class Transactions:
    """Times the job's write transactions (``JobContext.commit_batch``): how long each one held
    the database's write lock, which every other writer waits for."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __enter__(self) -> Transactions:
        from jobs.runner import JobContext

        original, times = JobContext.commit_batch, self.seconds

        def timed(ctx: JobContext, *args: Any, **kwargs: Any) -> None:
            started = time.perf_counter()
            try:
                original(ctx, *args, **kwargs)
            finally:
                times.append(time.perf_counter() - started)

        self._restore = lambda: setattr(JobContext, "commit_batch", original)
        JobContext.commit_batch = timed  # type: ignore[method-assign,assignment]
        return self

    def __exit__(self, *_exc: object) -> None:
        self._restore()


def run_job(engine: Engine, settings: Settings, profile: str | None) -> tuple[float, float, float]:
    """(seconds, wall start, wall end) of one ``themes.cluster`` run through the runner."""
    from jobs.models import JobStatus
    from jobs.service import run_now

    profiler = cProfile.Profile() if profile else None
    start, started = time.time(), time.perf_counter()
    if profiler:
        profiler.enable()
    with Transactions() as writes:
        job = run_now(engine, settings, "themes.cluster", {})
    if profiler and profile:
        profiler.disable()
        profiler.dump_stats(profile)
    seconds = time.perf_counter() - started
    if job.status != JobStatus.succeeded:
        raise SystemExit(f"the job failed: {job.error}")
    log(f"job {job.id}: {job.message} in {seconds:.1f} s")
    log(
        f"  {len(writes.seconds)} write transactions, longest {max(writes.seconds):.2f} s, "
        f"{sum(writes.seconds):.1f} s in all"
    )
    return seconds, start, time.time()


def membership(engine: Engine) -> dict[tuple[str, int], int]:
    from ideas.themes.models import ThemeMember

    with Session(engine) as session:
        rows = session.exec(select(ThemeMember.kind, ThemeMember.source_id, ThemeMember.theme_id))
        return {(str(kind), source_id): theme_id for kind, source_id, theme_id in rows}


def all_keys(engine: Engine) -> list[tuple[str, int]]:
    from coaching.interactions.evidence import Corpus

    with Session(engine) as session:
        return [(doc.kind.value, doc.id) for doc in Corpus("").documents(session)]


def identity_kept(
    keys: list[tuple[str, int]], before: dict[tuple[str, int], int], after: dict[Any, int]
) -> float:
    """Share of ``keys`` whose theme (None: unthemed) is the same after as before."""
    same = sum(before.get(k) == after.get(k) for k in keys)
    return same / len(keys) if keys else 0.0


# ------------------------------------------------------------------------------------ main
def timed(label: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = work()
    log(f"{label}: {time.perf_counter() - started:.1f} s")
    return result


def p95_ms(values: list[float]) -> float:
    return float(np.percentile(np.asarray(values) * 1000, 95)) if values else 0.0


def report_page(name: str, values: list[float], failed: int) -> None:
    if not values:
        log(f"page {PAGE} {name}: no requests")
        return
    p50 = float(np.percentile(np.asarray(values) * 1000, 50))
    log(
        f"page {PAGE} {name}: {len(values)} requests, {failed} not 200, p50 {p50:.0f} ms, "
        f"p95 {p95_ms(values):.0f} ms, max {max(values) * 1000:.0f} ms"
    )


def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    engine, settings = app_database(str(folder))
    log(f"database in {folder}; load average {os.getloadavg()[0]:.2f}")
    vocab = Vocabulary.load(SHARED_DATA)
    timed(f"generate {args.docs:,} documents", lambda: generate(engine, vocab, args.docs))
    from foundation.embeddings import get_embedder

    texts = corpus_texts(engine, get_embedder(settings).model_name)
    chars = np.mean([len(t) for t in texts])
    log(f"{len(texts):,} documents, mean {chars:.0f} characters")
    sample = texts[:MINILM_SAMPLE]
    minilm = timed("MiniLM alone", lambda: embed_only(settings, sample, minilm=True))
    log(f"MiniLM alone (encode, {len(sample):,} texts): {len(sample) / minilm:.0f} docs/s")
    embed_seconds = timed("embed only (baseline)", lambda: embed_only(settings, texts))
    embed_rate = len(texts) / embed_seconds
    log(f"embed only (encode_for_storage, what the job stores): {embed_rate:.0f} docs/s")

    server, base = start_server(folder, settings)
    _, token = signed_in_user(engine, settings, "lead@bank.test", Role.cx_lead)
    polls = folder / "polls.txt"
    poller = start_poller(base, token, polls)
    try:
        wait_for_polls(polls, 10)  # the idle page, before the job
        idle_end = time.time()
        os.nice(settings.worker_nice)  # as ``voiceloop worker`` runs jobs
        seconds, start, end = run_job(engine, settings, args.profile)
        before, keys = membership(engine), all_keys(engine)
        more = max(1, args.docs // 20)
        timed(f"add {more:,} documents", lambda: generate(engine, vocab, more, first=args.docs))
        again, start2, end2 = run_job(engine, settings, None)
        kept = identity_kept(keys, before, membership(engine))
        time.sleep(2)
    finally:
        poller.terminate()
        server.terminate()
        server.wait(timeout=60)
    report_page("idle, before the job", *latencies(polls, 0, idle_end))
    during, failed = latencies(polls, start, end)
    report_page("during the first run", during, failed)
    rerun, failed2 = latencies(polls, start2, end2)
    report_page("during the re-run", rerun, failed2)
    rate = len(texts) / seconds
    log(f"first run {seconds:.1f} s = {rate:.0f} docs/s ({rate / embed_rate:.2f} of embed only)")
    log(f"re-run with {more:,} more: {again:.1f} s; identity kept {kept:.3f}")
    return {
        "bench": "theme_job",
        "docs": len(texts),
        "seconds": round(seconds, 1),
        "docs_per_s": round(rate, 1),
        "embed_only_docs_per_s": round(embed_rate, 1),
        # The worse run: the first has no themes to show for most of it, the re-run has them.
        "p95_page_ms_during": round(max(p95_ms(during), p95_ms(rerun)), 1),
        "identity_kept": round(kept, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--folder", type=Path, help="keep the database and logs here")
    parser.add_argument("--profile", help="write a cProfile of the first run to this file")
    args = parser.parse_args()
    if args.folder:
        args.folder.mkdir(parents=True, exist_ok=True)
        result = run(args, args.folder)
    else:
        with tempfile.TemporaryDirectory(prefix="theme-job-") as folder:
            result = run(args, Path(folder))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
