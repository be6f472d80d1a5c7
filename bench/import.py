"""Benchmark: interactions imported per second, end to end, on SQLite and on PostgreSQL.

Run: ``.venv/bin/python bench/import.py [--rows 100000]``: about 4 minutes for 100,000 rows on
2 busy cores; nothing is downloaded; the temporary files (an 82 MB CSV, a SQLite database of
about 175 MB) are deleted at the end and the PostgreSQL schema is dropped.

What is measured
- The real import job, ``jobs.service.run_import_now`` (what ``voiceloop import`` and the demo
  loader call): the upload is staged, a job row is claimed and ``jobs.tasks.import_interactions``
  runs in this process: read and validate (``coaching.interactions.reader.read_batches``), split the
  transcript into turns, redact PII, detect gap signals and build the rows' values
  (``Store.prepare``, outside the transaction), then store the batch (``import_reader.BATCH_ROWS``)
  with its checkpoint in one transaction (``Store.write``'s bulk statements inside
  ``JobContext.commit_batch``), and finally the summary. Rows per second = rows in the file /
  wall time of ``run_import_now``. Both backends are migrated from empty with
  ``api.migrate.upgrade`` (SQLite: a fresh file; PostgreSQL: a fresh schema in the ``test``
  database of ``tests.support.services.postgres_url()``, dropped afterwards), and hold the three
  demo teams and a user per agent code, as after ``voiceloop demo``.
- CPU per row: this process's CPU time (user + system, ``getrusage``) during the import, divided
  by the rows: the figure that survives a busy machine (wall time does not). PostgreSQL's own
  CPU, in its server processes, is not in it.
- The write phase: the wall time of each ``JobContext.commit_batch`` (the summary's excluded),
  everything a batch does holding the database's write lock on SQLite (from its first UPDATE
  to the COMMIT): p50, p95 and max over the batches. Web requests that write wait behind it.
- Where the time goes: during those same runs, the functions the handler calls are wrapped with
  timers (``read_batches``' generator per batch = read + CSV parse + validate; ``parse_turns``;
  ``Redactor.redact``; ``detect``; ``Store.write``; ``JobContext.commit_batch`` less the write =
  checkpoint UPDATE + COMMIT; ``stage_upload``; ``summary``). The wrappers cost about 4 timer
  pairs per row (< 0.1% of a row's time). "Store.prepare's own loop" is prepare less the
  three calls it makes; "other" is the wall time none of the timers covers (job claim,
  ``set_total``, the handler's loop).
- Memory: a thread samples this process's RSS every 0.5 s during each import; the min / max
  and the median of the first and of the last tenth of the samples are printed (flat memory:
  the last tenth within 10% of the first). Peak RSS is ``getrusage`` maxrss of the whole
  process. An untimed warm-up import of 200 rows runs first, so the redactor, VADER and
  SQLAlchemy's caches are loaded before anything is timed. The PostgreSQL server's own memory
  and CPU are not in these figures.
- Baseline, in the same run: the first 2,000 rows imported through the same handler on a fresh
  SQLite file twice, with the batches it uses (``BATCH_ROWS``) and with one row per batch (one
  transaction and checkpoint per row, what a naive row-by-row importer does).

Data: synthetic interactions from ``demo.interactions.generate`` (seed 2026, 20 agents over the
Thames, Severn and Trent teams, 84 days from 2026-01-05); each contact's opening customer
message is a real BANKING77 query (Casanueva et al. 2020, CC BY 4.0; ``shared/data/banking77``),
the rest is templated, about 20% of contacts with synthetic PII for the redactor to find.

The handler reads its import settings (transcript limit, uncertainty phrases, repeat-contact
days) from ``get_settings()``: the defaults, unless ``VOICELOOP_*`` variables say otherwise.

The last line printed is one JSON object with the headline figures.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import resource
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest import mock

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, func, select

import jobs.tasks  # noqa: F401  (registers the import handler)
from api.migrate import upgrade
from coaching.interactions import importer
from coaching.interactions import reader as import_reader
from coaching.interactions import store as import_store
from coaching.interactions.models import ImportProblem, Interaction, Signal
from coaching.interactions.signals import detect
from coaching.interactions.transcript import parse_turns
from demo import interactions
from foundation.accounts import Role, Team, User
from foundation.db import make_engine
from foundation.redaction import Redactor
from foundation.settings import Settings
from jobs.models import JobStatus
from jobs.runner import JobContext
from jobs.service import run_import_now
from tests.support.services import postgres_url

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data"
SEED = 2026
AGENTS = 20
START = datetime(2026, 1, 5, tzinfo=UTC)
BASELINE_ROWS = 2_000
WARMUP_ROWS = 200
SAMPLE_EVERY = 0.5  # seconds between RSS samples
GOAL = 300  # interactions per second on 2 cores
MB = 1024 * 1024


# ------------------------------------------------------------------------------- measuring
def rss_bytes() -> int:
    """This process's resident set size now (Linux /proc; elsewhere the peak so far)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return peak_rss_bytes()


def peak_rss_bytes() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # bytes on macOS, KiB on Linux


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class RssSampler:
    """Samples RSS from a daemon thread every ``SAMPLE_EVERY`` seconds while in the block."""

    def __init__(self) -> None:
        self.samples: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def _run(self) -> None:
        self.samples.append(rss_bytes())
        while not self._stop.wait(SAMPLE_EVERY):
            self.samples.append(rss_bytes())

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(rss_bytes())

    def summary(self) -> dict[str, float]:
        s = [v / MB for v in self.samples]
        tenth = max(1, len(s) // 10)
        return {
            "n": len(s),
            "min": min(s),
            "max": max(s),
            "first_tenth": statistics.median(s[:tenth]),
            "last_tenth": statistics.median(s[-tenth:]),
        }


class Stages:
    """Seconds spent in each wrapped function, and how often it was called."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self.each: dict[str, list[float]] = {}

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.calls[name] = self.calls.get(name, 0) + 1
        self.each.setdefault(name, []).append(seconds)

    def wrap(self, name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - started)

        return timed

    def batches(self, fn: Callable[..., Iterator[Any]], batch_rows: int | None) -> Callable:
        """``read_batches`` with the time spent producing each batch counted as "parse"."""

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            if batch_rows is not None:
                kwargs["batch_rows"] = batch_rows
            source = fn(*args, **kwargs)
            while True:
                started = time.perf_counter()
                try:
                    batch = next(source)
                except StopIteration:
                    return
                finally:
                    self.add("parse", time.perf_counter() - started)
                yield batch

        return timed

    def get(self, name: str) -> float:
        return self.seconds.get(name, 0.0)


@contextlib.contextmanager
def instrumented(stages: Stages, batch_rows: int | None = None) -> Iterator[None]:
    """Wrap what the import handler calls with timers (module attributes it looks up at call
    time), restoring everything afterwards. ``batch_rows`` overrides the batch size."""
    with contextlib.ExitStack() as stack:
        patches = [
            (import_reader, "read_batches", stages.batches(import_reader.read_batches, batch_rows)),
            (import_store, "parse_turns", stages.wrap("turns", parse_turns)),
            (import_store, "detect", stages.wrap("detect", detect)),
            (importer, "stage_upload", stages.wrap("stage", importer.stage_upload)),
            (importer, "summary", stages.wrap("summary", importer.summary)),
            (Redactor, "redact", stages.wrap("redact", Redactor.redact)),
            (import_store.Store, "prepare", stages.wrap("prepare", import_store.Store.prepare)),
            (import_store.Store, "write", stages.wrap("write", import_store.Store.write)),
            (JobContext, "commit_batch", stages.wrap("commit_batch", JobContext.commit_batch)),
        ]
        for owner, name, wrapper in patches:
            stack.enter_context(mock.patch.object(owner, name, wrapper))
        yield


# ------------------------------------------------------------------------------- databases
def settings_for(url: str, tmp: Path) -> Settings:
    return Settings(
        environment="test",
        database_url=url,
        queue_url=f"sqlite:///{tmp}/queue.db",
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        pii_key=SecretStr(secrets.token_urlsafe(32)),
        upload_dir=str(tmp / "uploads"),
    )


def seed_people(engine: Engine, agents: list[tuple[str, str]]) -> None:
    """The demo's teams and one user per agent code, so agents link to users and teams."""
    with Session(engine) as session:
        teams = {}
        for name in dict.fromkeys(team for _, team in agents):
            teams[name] = Team(name=name, department="Retail banking")
            session.add(teams[name])
        session.flush()
        for code, team in agents:
            session.add(
                User(
                    email=f"{code.lower()}@bank.test",
                    display_name=f"Agent {code}",
                    role=Role.staff,
                    team_id=teams[team].id,
                    agent_code=code,
                    password_hash="x",
                )
            )
        session.commit()


@contextlib.contextmanager
def sqlite_database(tmp: Path, name: str) -> Iterator[tuple[str, Engine]]:
    url = f"sqlite:///{tmp}/{name}.db"
    upgrade(url)
    engine = make_engine(url)
    try:
        yield url, engine
    finally:
        engine.dispose()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{tmp}/{name}.db{suffix}").unlink(missing_ok=True)


@contextlib.contextmanager
def postgres_database() -> Iterator[tuple[str, Engine]]:
    """A fresh schema in the test database (as ``tests/conftest.py`` does), dropped at the end."""
    base = postgres_url()
    schema = "vl_bench_" + secrets.token_hex(4)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = None
    try:
        sep = "&" if "?" in base else "?"
        url = f"{base}{sep}options=-csearch_path%3D{schema}"
        upgrade(url)
        engine = make_engine(url)
        yield url, engine
    finally:
        if engine is not None:
            engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def counts(engine: Engine) -> tuple[int, int, int]:
    with Session(engine) as session:

        def n(model: Any) -> int:
            return session.exec(select(func.count()).select_from(model)).one()

        return n(Interaction), n(Signal), n(ImportProblem)


# ------------------------------------------------------------------------------- running
def run_import(
    engine: Engine, settings: Settings, source: Path, rows: int, batch_rows: int | None = None
) -> dict[str, Any]:
    """One import through ``run_import_now``, instrumented, with RSS sampled."""
    stages = Stages()
    cpu = cpu_seconds()
    with instrumented(stages, batch_rows), RssSampler() as sampler:
        started = time.perf_counter()
        job = run_import_now(engine, settings, source)
        wall = time.perf_counter() - started
    cpu = cpu_seconds() - cpu
    if job.status != JobStatus.succeeded:
        sys.exit(f"import failed: {job.status} {job.error}")
    stored, signals, problems = counts(engine)
    if stored != rows or problems:
        sys.exit(f"expected {rows:,} interactions and no problems, found {stored:,} / {problems}")
    return {
        "rows": rows,
        "wall": wall,
        "cpu": cpu,
        "rate": rows / wall,
        "signals": signals,
        "stages": stages,
        "rss": sampler.summary(),
        "batches": stages.calls.get("write", 0),
        "write_phase": write_phase(stages),
        "message": job.message,
    }


def write_phase(stages: Stages) -> dict[str, float]:
    """p50 / p95 / max milliseconds of the batches' ``commit_batch`` (the last, the summary's,
    left out): the time each batch holds SQLite's write lock."""
    each = sorted(stages.each.get("commit_batch", [])[:-1]) or [0.0]

    def at(q: float) -> float:
        return 1000 * each[min(len(each) - 1, int(q * len(each)))]

    return {"p50": at(0.5), "p95": at(0.95), "max": 1000 * each[-1], "n": len(each)}


def first_rows(source: Path, target: Path, rows: int) -> Path:
    """The header and the first ``rows`` records of ``source`` (records span lines)."""
    last = None
    for batch in import_reader.read_batches(source, "csv", batch_rows=rows):
        last = batch
        break
    assert last is not None and len(last.rows) == rows
    with source.open("rb") as raw, target.open("wb") as out:
        out.write(raw.read(last.offset))
    return target


def stage_rows(result: dict[str, Any]) -> list[tuple[str, float]]:
    s: Stages = result["stages"]
    store = s.get("write")
    commit = s.get("commit_batch") - store - s.get("summary")
    prepare_own = s.get("prepare") - s.get("turns") - s.get("redact") - s.get("detect")
    named = [
        ("read + CSV parse + validate (read_batches)", s.get("parse")),
        ("split transcript into turns (parse_turns)", s.get("turns")),
        ("redact PII (Redactor.redact)", s.get("redact")),
        ("detect gap signals (detect)", s.get("detect")),
        ("store: bulk writes (Store.write)", store),
        ("store: checkpoint UPDATE + COMMIT", commit),
        ("stage the upload (copy)", s.get("stage")),
        ("summary query", s.get("summary")),
        ("Store.prepare's own loop", prepare_own),
    ]
    other = result["wall"] - sum(v for _, v in named)
    return [*named, ("other (job claim, handler loop, ...)", other)]


def report(results: dict[str, dict[str, Any]]) -> None:
    print()
    print("Where the time goes (timers around the handler's calls, in the same runs):")
    names = list(results)
    print(f"{'':46}" + "".join(f"{n:>24}" for n in names))
    print(f"{'':46}" + "".join(f"{'s':>8}{'ms/row':>8}{'share':>8}" for _ in names))
    tables = {n: stage_rows(r) for n, r in results.items()}
    for i, (label, _) in enumerate(tables[names[0]]):
        cells = ""
        for n in names:
            seconds = tables[n][i][1]
            wall, rows = results[n]["wall"], results[n]["rows"]
            cells += f"{seconds:>8.1f}{1000 * seconds / rows:>8.2f}{seconds / wall:>8.0%}"
        print(f"  {label:44}{cells}")
    cells = "".join(
        f"{r['wall']:>8.1f}{1000 * r['wall'] / r['rows']:>8.2f}{1:>8.0%}" for r in results.values()
    )
    print(f"  {'end to end (run_import_now)':44}{cells}")
    print(
        "  (parse and prepare are database-free; on PostgreSQL the server's own work on the "
        "other core is inside the store lines)"
    )


def show(label: str, result: dict[str, Any]) -> None:
    rss = result["rss"]
    print(
        f"{label}: {result['rows']:,} rows in {result['wall']:.1f} s = {result['rate']:,.0f} "
        f"interactions/s ({result['batches']:,} batches, {result['signals']:,} signals stored); "
        f"this process used {result['cpu']:.1f} s CPU ({result['cpu'] / result['wall']:.0%} of "
        f"one core)"
    )
    phase = result["write_phase"]
    print(
        f"  CPU {1000 * result['cpu'] / result['rows']:.2f} ms per row; write phase (commit_batch, "
        f"holding the write lock) p50 {phase['p50']:.0f} ms, p95 {phase['p95']:.0f} ms, max "
        f"{phase['max']:.0f} ms over {phase['n']:,} batches of {import_reader.BATCH_ROWS}"
    )
    print(
        f"  RSS sampled every {SAMPLE_EVERY} s ({rss['n']} samples): min {rss['min']:.0f} MB, "
        f"max {rss['max']:.0f} MB; median of the first tenth {rss['first_tenth']:.0f} MB, of "
        f"the last tenth {rss['last_tenth']:.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the generated file")
    args = parser.parse_args()
    if args.rows < BASELINE_ROWS:
        sys.exit(f"--rows must be at least {BASELINE_ROWS:,}")
    wall = time.perf_counter()
    load_start = os.getloadavg()
    print(
        f"import benchmark: python {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {load_start[0]:.1f} / {load_start[1]:.1f} / {load_start[2]:.1f} "
        "(1 / 5 / 15 min) at start"
    )
    if not (DATA_DIR / "banking77").is_dir():
        sys.exit(f"BANKING77 not found under {DATA_DIR} (shared/ must sit beside the clone)")

    with tempfile.TemporaryDirectory(prefix="vl-bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        agents = interactions.demo_agents(AGENTS)
        source = tmp / "interactions.csv"
        started = time.perf_counter()
        interactions.write_csv(
            source,
            interactions.generate(
                args.rows, seed=SEED, agents=agents, start=START, data_dir=DATA_DIR
            ),
        )
        print(
            f"generated {args.rows:,} synthetic interactions (demo.interactions, seed {SEED}, "
            f"{AGENTS} agents over 3 teams; opening messages are real BANKING77 queries from "
            f"{DATA_DIR / 'banking77'}): {source.stat().st_size / MB:.0f} MB CSV in "
            f"{time.perf_counter() - started:.1f} s"
        )

        # Warm-up: a small untimed import loads the redactor, VADER and SQLAlchemy's caches.
        rss_before = rss_bytes() / MB
        warm = first_rows(source, tmp / "warm.csv", WARMUP_ROWS)
        with sqlite_database(tmp, "warmup") as (url, engine):
            seed_people(engine, agents)
            run_import(engine, settings_for(url, tmp), warm, WARMUP_ROWS)
        print(
            f"warm-up import of {WARMUP_ROWS} rows (not counted): RSS {rss_before:.0f} MB before, "
            f"{rss_bytes() / MB:.0f} MB after (redactor, VADER and SQLAlchemy loaded)"
        )

        head = first_rows(source, tmp / "head.csv", BASELINE_ROWS)
        baseline: dict[str, dict[str, Any]] = {}
        for label, batch_rows in (("batched", None), ("row_by_row", 1)):
            with sqlite_database(tmp, f"baseline_{label}") as (url, engine):
                seed_people(engine, agents)
                baseline[label] = run_import(
                    engine, settings_for(url, tmp), head, BASELINE_ROWS, batch_rows
                )
        batched, single = baseline["batched"], baseline["row_by_row"]
        print(
            f"baseline, first {BASELINE_ROWS:,} rows on a fresh SQLite file, same handler: "
            f"batches of {import_reader.BATCH_ROWS} {batched['rate']:,.0f} interactions/s; one row "
            f"per transaction {single['rate']:,.0f} interactions/s "
            f"({batched['rate'] / single['rate']:.1f}x slower)"
        )

        results: dict[str, dict[str, Any]] = {}
        with sqlite_database(tmp, "bench") as (url, engine):
            seed_people(engine, agents)
            results["SQLite"] = run_import(engine, settings_for(url, tmp), source, args.rows)
            size = Path(f"{tmp}/bench.db").stat().st_size
            show("SQLite", results["SQLite"])
            print(f"  database file {size / MB:.0f} MB; {results['SQLite']['message']}")
        with postgres_database() as (url, engine):
            seed_people(engine, agents)
            results["PostgreSQL"] = run_import(engine, settings_for(url, tmp), source, args.rows)
            show("PostgreSQL", results["PostgreSQL"])
            print(f"  {engine.url.render_as_string(hide_password=True).split('?')[0]}")

    report(results)
    sqlite, pg = results["SQLite"], results["PostgreSQL"]
    parse_rate = sqlite["rows"] / sqlite["stages"].get("parse")
    print(
        f"baseline beside it: read + parse + validate alone {parse_rate:,.0f} rows/s; first "
        f"{BASELINE_ROWS:,} rows on SQLite {batched['rate']:,.0f}/s in batches of "
        f"{import_reader.BATCH_ROWS} against {single['rate']:,.0f}/s one transaction per row"
    )
    peak = peak_rss_bytes() / MB
    flat = all(r["rss"]["last_tenth"] <= r["rss"]["first_tenth"] * 1.1 for r in results.values())
    met = min(sqlite["rate"], pg["rate"]) >= GOAL
    print(
        f"goal >= {GOAL} interactions/s on 2 cores with flat memory: "
        f"{'met' if met and flat else 'NOT met'} (SQLite {sqlite['rate']:,.0f}/s, PostgreSQL "
        f"{pg['rate']:,.0f}/s; memory {'flat' if flat else 'GROWS'}: last tenth within 10% of "
        f"the first); peak RSS of this process {peak:.0f} MB"
    )
    load_end = os.getloadavg()
    print(
        f"whole benchmark: {time.perf_counter() - wall:.0f} s; load average {load_end[0]:.1f} / "
        f"{load_end[1]:.1f} / {load_end[2]:.1f} at the end (above ~1 on 2 CPUs, other work "
        "competed for the cores and the figures are pessimistic)"
    )
    print(
        json.dumps(
            {
                "bench": "import",
                "rows_per_s_sqlite": round(sqlite["rate"], 1),
                "rows_per_s_postgres": round(pg["rate"], 1),
                "cpu_ms_per_row_sqlite": round(1000 * sqlite["cpu"] / sqlite["rows"], 3),
                "cpu_ms_per_row_postgres": round(1000 * pg["cpu"] / pg["rows"], 3),
                "write_phase_ms_sqlite": {
                    k: round(v, 1) for k, v in sqlite["write_phase"].items() if k != "n"
                },
                "batch_rows": import_reader.BATCH_ROWS,
                "peak_rss_mb": round(peak, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
