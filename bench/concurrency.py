"""Benchmark: the default install (SQLite, one worker) serving many people while a large
interaction-log import, and the theme job that follows it, run.

Run: ``.venv/bin/python bench/concurrency.py`` (about 12 minutes on 2 cores: the demo data, a
100,000-row import, 50 simulated people). ``--users``, ``--rows``, ``--seconds`` and
``--baseline-seconds`` scale it down; ``--no-demo`` skips the demo data (faster, but guide search
then finds nothing). Needs ``shared/data`` beside the clone (BANKING77, for the generated rows).

What it does
- A fresh folder holds the whole stack as ``make run`` starts it: ``voiceloop migrate``,
  ``voiceloop demo`` (development settings, the embedded SQLite database and queue), then
  ``voiceloop serve`` and ``voiceloop worker`` as separate processes. Nothing is shared with
  the checkout's own ``var/`` except the exported embedding model.
- ``--users`` people (four in five agents, one in five team leaders of a demo team), each signed
  in once, then a closed loop: a think time drawn uniformly between 0.5 and 1.5 s, then one of
  home page, the ideas list, guide search as an agent types it (three look-ups), writing an
  idea (the form, three similar-idea look-ups as the title grows, the submit, a third of them
  anonymous), or the gaps page (team leaders; agents browse ideas instead). Latency is measured
  at the client (httpx on one asyncio loop), per request.
- Baseline, in the same run: the same people and load for ``--baseline-seconds`` with nothing
  else running.
- Then an admin uploads ``--rows`` generated interactions (``demo.interactions.generate``: real
  BANKING77 openings, synthetic everything else) through the import page, and the same load
  runs until the import and the ``themes.join`` job after it have finished and at least
  ``--seconds`` have passed (bounded by ``--max-seconds`` and ``--max-requests``). Import rows
  per second = rows / the job's own start-to-finish time, read from its job row.
- A sign-in burst during the import: 40 parallel sign-ins to one account, 39 wrong passwords,
  then the right one. ``throttle_bypassed`` is true when more than 5 of them get an answer other
  than 429, or the right password signs in. The burst is left out of the latency figures.
- ``errors`` counts answers of 500 or more and requests that got no answer, in every phase.

Prints per-page counts, p50 / p95 and errors for each phase, and ends with one JSON line:
``{"bench": "concurrency", "users", "seconds", "requests", "errors", "p95_ms",
"import_rows_per_s", "throttle_bypassed", "baseline_p95_ms"}``. Goal (issue 12): errors 0, no
bypass, ``p95_ms`` at most 300 during the import on 2 cores, and at least 300 rows/s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import numpy as np
from sqlmodel import col

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from demo import interactions  # noqa: E402
from demo.loader import DEMO_PASSWORD, DOMAIN, SHARED_DATA  # noqa: E402

PASSWORD = "bench password 2026"
BURST = 40
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
TYPING = [
    ("card", "card stol", "card stolen abroad"),
    ("direct", "direct debit", "direct debit cancel"),
    ("pend", "pending pay", "pending payment still not arrived"),
    ("trans", "transfer fail", "transfer failed but money left"),
    ("bereav", "bereavement", "bereavement account closure"),
]
IDEAS = [
    "Chargeback forms time out before the customer has finished",
    "Pending card payments confuse customers abroad",
    "Top-up failures need a clearer script",
    "Identity checks lock out customers who moved house",
    "Direct debit cancellations bounce between teams",
]


# ------------------------------------------------------------------------------------ stack
@dataclass
class Stack:
    folder: Path
    env: dict[str, str]
    base: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def database(self) -> Path:
        return self.folder / "voiceloop.db"

    def voiceloop(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "-m", "api.cli", *args],
            env=self.env,
            cwd=self.folder,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self, *args: str) -> None:
        log = (self.folder / f"{args[0]}.log").open("wb")
        command = [sys.executable, "-m", "api.cli", *args]
        self.processes.append(
            subprocess.Popen(command, env=self.env, cwd=self.folder, stdout=log, stderr=log)
        )


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def stack(
    folder: Path, *, with_demo: bool, users: int, log: Callable[[str], None]
) -> Iterator[Stack]:
    port = free_port()
    env = {
        **os.environ,
        "VOICELOOP_ENVIRONMENT": "development",
        "VOICELOOP_DATABASE_URL": f"sqlite:///{folder / 'voiceloop.db'}",
        "VOICELOOP_QUEUE_URL": f"sqlite:///{folder / 'queue.db'}",
        "VOICELOOP_UPLOAD_DIR": str(folder / "uploads"),
        "VOICELOOP_MODEL_CACHE": os.environ.get("VOICELOOP_MODEL_CACHE", str(ROOT / "var/models")),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("VOICELOOP_SECRET_KEY", None)
    env.pop("VOICELOOP_PII_KEY", None)
    running = Stack(folder, env, f"http://127.0.0.1:{port}")
    started = time.perf_counter()
    running.voiceloop("migrate")
    if with_demo:
        running.voiceloop("demo")
    seed_people(running.database, users)
    log(f"stack ready in {time.perf_counter() - started:.0f} s (demo data: {with_demo})")
    running.start("serve", "--port", str(port))
    running.start("worker")
    try:
        wait_for(running.base)
        yield running
    finally:
        for process in running.processes:
            process.terminate()
        for process in running.processes:
            process.wait(timeout=60)


def wait_for(base: str) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the server did not start; see serve.log in the bench folder")


def seed_people(database: Path, count: int) -> None:
    """``count`` bench people plus the sign-in burst's target, in the demo teams (made here when
    the demo is skipped), and an admin."""
    from sqlmodel import Session, select

    from api.security import hash_password
    from foundation.accounts import Role, Team, User
    from foundation.db import make_engine

    engine = make_engine(f"sqlite:///{database}")
    digest = hash_password(PASSWORD)
    with Session(engine) as session:
        teams = list(session.exec(select(Team).order_by(col(Team.id))))
        if not teams:
            teams = [Team(name=n, department=f"{n} banking") for n in ("Thames", "Severn", "Trent")]
            session.add_all(teams)
            session.flush()
        people = [
            User(
                email=f"bench{i}@{DOMAIN}",
                display_name=f"Bench person {i}",
                role=Role.team_lead if i % 5 == 4 else Role.staff,
                team_id=teams[i % len(teams)].id,
                password_hash=digest,
            )
            for i in range(count + 1)
        ]
        if session.exec(select(User).where(User.email == f"admin@{DOMAIN}")).first() is None:
            people.append(
                User(
                    email=f"admin@{DOMAIN}",
                    display_name="Bench admin",
                    role=Role.admin,
                    password_hash=hash_password(DEMO_PASSWORD),
                )
            )
        session.add_all(people)
        session.commit()
    engine.dispose()


def job_row(database: Path, kind: str) -> dict[str, Any] | None:
    """The newest job of ``kind``, read straight from the database file (read-only)."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        db.row_factory = sqlite3.Row
        row = db.execute(
            "SELECT status, done, total, started_at, finished_at FROM job WHERE kind = ? "
            "ORDER BY id DESC LIMIT 1",
            (kind,),
        ).fetchone()
    return dict(row) if row else None


def seconds_between(start: str | None, end: str | None) -> float | None:
    if not start or not end:
        return None
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()


# ------------------------------------------------------------------------------------ people
@dataclass
class Stats:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    errors: int = 0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.statuses.values())

    def add(self, page: str, seconds: float, status: int) -> None:
        self.times[page].append(seconds)
        self.statuses[page].append(status)
        self.errors += status >= 500 or status == 0

    def p(self, q: float, page: str | None = None) -> float:
        values = self.times[page] if page else [t for v in self.times.values() for t in v]
        return float(np.percentile(values, q) * 1000) if values else 0.0


class Person:
    def __init__(self, client: httpx.AsyncClient, index: int, stats: Stats) -> None:
        self.client = client
        self.index = index
        self.leader = index % 5 == 4
        self.stats = stats
        self.rng = random.Random(index)
        self.token = ""

    async def request(
        self, page: str, method: str, url: str, **kwargs: Any
    ) -> httpx.Response | None:
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError:
            self.stats.add(page, time.perf_counter() - started, 0)
            return None
        self.stats.add(page, time.perf_counter() - started, response.status_code)
        if found := TOKEN.search(response.text):
            self.token = found.group(1)
        return response

    async def sign_in(self) -> None:
        await self.request("sign-in page", "GET", "/login")
        form = {
            "email": f"bench{self.index}@{DOMAIN}",
            "password": PASSWORD,
            "csrf_token": self.client.cookies.get("csrftoken", ""),
        }
        await self.request("sign in", "POST", "/login", data=form)
        await self.request("home", "GET", "/")

    async def act(self) -> None:
        roll = self.rng.random()
        if roll < 0.3:
            await self.request("home", "GET", "/")
        elif roll < 0.55:
            for typed in self.rng.choice(TYPING):
                headers = {"HX-Request": "true"}
                await self.request(
                    "guide search", "GET", "/guides/search", params={"q": typed}, headers=headers
                )
        elif roll < 0.7:
            await self.write_idea()
        elif self.leader:
            await self.request("gaps", "GET", "/gaps")
        else:
            await self.request("ideas", "GET", "/ideas")

    async def write_idea(self) -> None:
        await self.request("idea form", "GET", "/ideas/new")
        title = self.rng.choice(IDEAS)
        for end in (8, 20, len(title)):
            headers = {"HX-Request": "true"}
            await self.request(
                "similar ideas",
                "GET",
                "/ideas/similar",
                params={"title": title[:end]},
                headers=headers,
            )
        form = {
            "kind": "idea",
            "title": title,
            "body": "Seen on several calls this week.",
            "category_id": "1",
            "csrf_token": self.token,
        }
        if self.rng.random() < 1 / 3:
            form["anonymous"] = "on"
        await self.request("idea submit", "POST", "/ideas", data=form)


async def run_people(
    base: str, count: int, until: Callable[[float], bool], max_requests: int
) -> Stats:
    """``count`` people in closed loops until ``until(elapsed)`` or ``max_requests``."""
    stats = Stats()
    limits = httpx.Limits(max_connections=1)
    clients = [httpx.AsyncClient(base_url=base, timeout=120, limits=limits) for _ in range(count)]
    people = [Person(c, i, stats) for i, c in enumerate(clients)]
    started = time.perf_counter()

    async def loop(person: Person) -> None:
        await asyncio.sleep(person.rng.uniform(0, 10))  # people arrive over ten seconds
        await person.sign_in()
        while not until(time.perf_counter() - started) and stats.requests < max_requests:
            await asyncio.sleep(person.rng.uniform(0.5, 1.5))
            await person.act()

    try:
        await asyncio.gather(*(loop(p) for p in people))
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return stats


async def sign_in_burst(base: str, stats: Stats) -> bool:
    """40 parallel sign-ins to one account: 39 wrong passwords, then the right one. True when
    the throttle was bypassed."""
    email = f"bench{BURST_TARGET}@{DOMAIN}"
    clients = [httpx.AsyncClient(base_url=base, timeout=120) for _ in range(BURST)]

    async def attempt(client: httpx.AsyncClient, password: str) -> int:
        await client.get("/login")
        form = {"email": email, "password": password, "csrf_token": client.cookies["csrftoken"]}
        response = await client.post("/login", data=form)
        stats.add("sign-in burst", 0.0, response.status_code)
        return response.status_code

    try:
        wrong = await asyncio.gather(*(attempt(c, "wrong password 1") for c in clients[:-1]))
        right = await attempt(clients[-1], PASSWORD)
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    not_refused = sum(s != 429 for s in [*wrong, right])
    return not_refused > 5 or right == 303


BURST_TARGET = -1  # set from --users: the extra account past the simulated people


# ------------------------------------------------------------------------------------ import
def warm_up(base: str, log: Callable[[str], None]) -> None:
    """Wait until the server has loaded its embedding model and guide index (a background
    thread after start-up), so the baseline does not time the loading."""
    with httpx.Client(base_url=base, timeout=120) as client:
        client.get("/login")
        form = {
            "email": f"bench0@{DOMAIN}",
            "password": PASSWORD,
            "csrf_token": client.cookies["csrftoken"],
        }
        client.post("/login", data=form)
        started = time.perf_counter()
        while time.perf_counter() - started < 180:
            began = time.perf_counter()
            client.get("/ideas/similar", params={"title": "card payment pending"})
            client.get("/guides/search", params={"q": "card stolen"})
            if time.perf_counter() - began < 0.2:
                break
        log(f"server warm after {time.perf_counter() - started:.0f} s")


def upload(base: str, path: Path) -> float:
    """Sign in as the admin and upload ``path`` through the import page; returns seconds."""
    with httpx.Client(base_url=base, timeout=600) as admin:
        admin.get("/login")
        form = {
            "email": f"admin@{DOMAIN}",
            "password": DEMO_PASSWORD,
            "csrf_token": admin.cookies["csrftoken"],
        }
        assert admin.post("/login", data=form).status_code == 303, "the admin could not sign in"
        token = TOKEN.search(admin.get("/admin/imports").text)
        assert token, "no form token on the import page"
        started = time.perf_counter()
        with path.open("rb") as file:
            answer = admin.post(
                "/admin/imports",
                headers={"X-CSRFToken": token.group(1)},  # as htmx sends it with the upload
                files={"file": (path.name, file, "text/csv")},
            )
        assert answer.status_code == 201, f"the upload was refused: {answer.status_code}"
        return time.perf_counter() - started


def report(name: str, stats: Stats, log: Callable[[str], None]) -> None:
    log(
        f"\n{name}: {stats.requests:,} requests, {stats.errors} errors, "
        f"p50 {stats.p(50):.0f} ms, p95 {stats.p(95):.0f} ms"
    )
    log(f"  {'page':<16} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8}  statuses")
    for page in sorted(stats.times):
        counts: dict[int, int] = defaultdict(int)
        for status in stats.statuses[page]:
            counts[status] += 1
        shown = ", ".join(f"{s}: {n}" for s, n in sorted(counts.items()))
        log(
            f"  {page:<16} {len(stats.times[page]):>8,} {stats.p(50, page):>8.0f} "
            f"{stats.p(95, page):>8.0f}  {shown}"
        )


def run(
    *,
    users: int = 50,
    rows: int = 100_000,
    seconds: float = 120,
    max_seconds: float = 900,
    baseline_seconds: float = 60,
    max_requests: int = 200_000,
    with_demo: bool = True,
    folder: Path | None = None,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Run the whole benchmark; returns the JSON line's figures."""
    global BURST_TARGET
    BURST_TARGET = users
    with tempfile.TemporaryDirectory(prefix="vl-bench-concurrency-") as tmp:
        work = folder or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        source = work / "interactions.csv"
        agents = interactions.demo_agents(20)
        start = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        interactions.write_csv(
            source,
            interactions.generate(
                rows, agents=agents, start=start - timedelta(days=84), data_dir=SHARED_DATA
            ),
        )
        log(f"generated {rows:,} interactions: {source.stat().st_size / 1024**2:.0f} MB CSV")
        with stack(work, with_demo=with_demo, users=users, log=log) as running:
            return _measure(
                running,
                source,
                rows,
                users,
                seconds,
                max_seconds,
                baseline_seconds,
                max_requests,
                log,
            )


def _measure(
    running: Stack,
    source: Path,
    rows: int,
    users: int,
    seconds: float,
    max_seconds: float,
    baseline_seconds: float,
    max_requests: int,
    log: Callable[[str], None],
) -> dict[str, Any]:
    warm_up(running.base, log)
    baseline = Stats()
    if baseline_seconds > 0:
        baseline = asyncio.run(
            run_people(running.base, users, lambda t: t >= baseline_seconds, max_requests)
        )
        report(
            f"baseline: {users} people for {baseline_seconds:.0f} s, nothing else running",
            baseline,
            log,
        )

    upload_seconds = upload(running.base, source)
    size = source.stat().st_size / 1024**2
    log(f"\nuploaded {size:.0f} MB in {upload_seconds:.1f} s; import started")

    def finished() -> bool:
        imported = job_row(running.database, "interactions.import")
        joined = job_row(running.database, "themes.join")
        done = ("succeeded", "failed")
        return bool(imported and imported["status"] in done and joined and joined["status"] in done)

    async def during_import() -> tuple[Stats, bool, float]:
        started = time.perf_counter()
        people = asyncio.create_task(
            run_people(
                running.base,
                users,
                lambda t: t >= max_seconds or (t >= seconds and finished()),
                max_requests,
            )
        )
        await asyncio.sleep(min(20.0, seconds / 4))
        burst = Stats()
        bypassed = await sign_in_burst(running.base, burst)
        stats = await people
        stats.errors += burst.errors
        return stats, bypassed, time.perf_counter() - started

    stats, bypassed, elapsed = asyncio.run(during_import())
    report(f"during the import and the theme job: {users} people for {elapsed:.0f} s", stats, log)
    imported = job_row(running.database, "interactions.import") or {}
    joined = job_row(running.database, "themes.join") or {}
    import_seconds = seconds_between(imported.get("started_at"), imported.get("finished_at"))
    rate = rows / import_seconds if import_seconds else 0.0
    log(
        f"\nimport job: {imported.get('status')}, {rows:,} rows in {import_seconds or 0:.0f} s "
        f"= {rate:.0f} rows/s; themes.join: {joined.get('status')} in "
        f"{seconds_between(joined.get('started_at'), joined.get('finished_at')) or 0:.0f} s"
    )
    log(f"sign-in burst (40 parallel, one account): throttle bypassed: {bypassed}")
    return {
        "bench": "concurrency",
        "users": users,
        "seconds": round(elapsed, 1),
        "requests": stats.requests,
        "errors": stats.errors + baseline.errors,
        "p95_ms": round(stats.p(95), 1),
        "import_rows_per_s": round(rate, 1),
        "throttle_bypassed": bypassed,
        "baseline_p95_ms": round(baseline.p(95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=120, help="least time under load")
    parser.add_argument("--max-seconds", type=float, default=900)
    parser.add_argument("--baseline-seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--no-demo", action="store_true", help="skip the demo data")
    parser.add_argument("--folder", type=Path, help="work here and keep it (logs: serve.log)")
    args = parser.parse_args()
    load = os.getloadavg()
    print(f"concurrency benchmark: {os.cpu_count()} CPUs, load average {load[0]:.1f} at start")
    result = run(
        users=args.users,
        rows=args.rows,
        seconds=args.seconds,
        max_seconds=args.max_seconds,
        baseline_seconds=args.baseline_seconds,
        max_requests=args.max_requests,
        with_demo=not args.no_demo,
        folder=args.folder,
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
