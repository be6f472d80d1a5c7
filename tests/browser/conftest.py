"""Browser tests: a real server and worker, driven through Debian's chromium with Playwright.

Fixtures
--------
``live_server``  (session)   migrate + demo data in a temp dir, ``voiceloop serve`` on a free port
                             and one ``voiceloop worker``; yields the base URL.
``database_path`` (session)  the SQLite file that server uses (for read-only look-ups).
``browser``      (session)   Debian's headless chromium at /usr/bin/chromium (never downloaded).
``page_errors``  (function)  what the page fixture collected; tests may ``allow()`` expected ones.
``page``         (function)  a page in a fresh context; at teardown fails if any console error,
                             uncaught page error or CSP violation happened.
``new_page``     (function)  ``new_page()`` opens another page in its own fresh context (a second
                             person, or a browser nobody signed in to), watched like ``page``.

Every test in this folder is marked ``browser``. Screenshots go to ``test-artifacts/screenshots``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from tests.support.browser import PageErrors

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SECRET_KEY = "browser-tests-secret-key-0123456789-abcdefghijklmnop"
HEALTH_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
THIS_DIR = Path(__file__).resolve().parent


# ------------------------------------------------------------------------------ marking


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test collected from this folder ``browser`` (the hook sees all items)."""
    for item in items:
        if THIS_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# ------------------------------------------------------------------------------ server


def _voiceloop_command() -> list[str]:
    script = Path(sys.executable).with_name("voiceloop")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "api.cli"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, limit: int = 6000) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"<could not read {path}: {exc}>"
    return text[-limit:] if len(text) > limit else text


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=STOP_TIMEOUT_S)


@dataclass
class _Server:
    base_url: str
    workdir: Path
    database_path: Path
    server_log: Path
    worker_log: Path


_SERVER: _Server | None = None  # for attaching logs to failure reports


@pytest.fixture(scope="session")
def _server() -> Iterator[_Server]:
    global _SERVER
    workdir = Path(tempfile.mkdtemp(prefix="voiceloop-browser-"))
    db = workdir / "app.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICELOOP_")}
    env.update(
        VOICELOOP_DATABASE_URL=f"sqlite:///{db}",
        VOICELOOP_QUEUE_URL=f"sqlite:///{workdir / 'queue.db'}",
        VOICELOOP_SECRET_KEY=SECRET_KEY,
        PYTHONUNBUFFERED="1",
    )
    cmd = _voiceloop_command()
    # cwd is the temp dir, so a developer's .env in the checkout cannot leak in.
    for step in ("migrate", "demo"):
        done = subprocess.run(
            [*cmd, step], cwd=workdir, env=env, capture_output=True, text=True, timeout=300
        )
        if done.returncode != 0:
            pytest.fail(
                f"`voiceloop {step}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                pytrace=False,
            )

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server_log = workdir / "server.log"
    worker_log = workdir / "worker.log"
    procs: list[subprocess.Popen[bytes]] = []
    with server_log.open("wb") as slog, worker_log.open("wb") as wlog:
        procs.append(
            subprocess.Popen(
                [*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)],
                cwd=workdir,
                env=env,
                stdout=slog,
                stderr=subprocess.STDOUT,
            )
        )
        procs.append(
            subprocess.Popen(
                [*cmd, "worker"], cwd=workdir, env=env, stdout=wlog, stderr=subprocess.STDOUT
            )
        )
    server, worker = procs
    info = _Server(base_url, workdir, db, server_log, worker_log)
    try:
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        last_error = "no answer yet"
        while True:
            for name, proc in (("server", server), ("worker", worker)):
                if proc.poll() is not None:
                    raise RuntimeError(f"the {name} exited early with status {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as resp:
                    if resp.status == 200:
                        break
                    last_error = f"status {resp.status}"
            except urllib.error.HTTPError as exc:
                last_error = f"status {exc.code}: {exc.read()[:200]!r}"
            except (urllib.error.URLError, OSError) as exc:
                last_error = repr(exc)
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"/healthz did not answer 200 within {HEALTH_TIMEOUT_S:.0f}s ({last_error})"
                )
            time.sleep(0.2)
    except RuntimeError as exc:
        for proc in procs:
            _stop(proc)
        sys.stderr.write(
            f"\n--- server output ---\n{_tail(server_log)}\n"
            f"--- worker output ---\n{_tail(worker_log)}\n"
        )
        shutil.rmtree(workdir, ignore_errors=True)
        pytest.fail(
            f"live server did not start: {exc}\n--- server output ---\n"
            f"{_tail(server_log)}\n--- worker output ---\n{_tail(worker_log)}",
            pytrace=False,
        )

    _SERVER = info
    try:
        yield info
    finally:
        _SERVER = None
        for proc in procs:
            _stop(proc)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def live_server(_server: _Server) -> str:
    """Base URL of the running app, e.g. ``http://127.0.0.1:45123`` (no trailing slash)."""
    return _server.base_url


@pytest.fixture(scope="session")
def database_path(_server: _Server) -> Path:
    """The server's SQLite database; open it read-only (``?mode=ro``) for look-ups."""
    return _server.database_path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """On a failure in this folder, attach the tail of the server and worker logs."""
    report = yield
    if report.failed and _SERVER is not None and "_server" in getattr(item, "fixturenames", ()):
        report.sections.append(("live server output", _tail(_SERVER.server_log)))
        report.sections.append(("worker output", _tail(_SERVER.worker_log)))
    return report


# ------------------------------------------------------------------------------ browser


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps`", pytrace=False)
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


# Reports CSP violations through the console, so they are collected with the rest (and are
# visible even where the browser's own "Refused to ..." message is worded differently).
# Injected through the DevTools protocol, so the page's own CSP does not block it.
_CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error("Content Security Policy violation (securitypolicyviolation event): "
    + e.effectiveDirective + " blocked " + (e.blockedURI || "inline") + " in "
    + e.sourceFile + ":" + e.lineNumber + (e.sample ? " sample=" + e.sample : ""));
}, true);
"""


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


def _open_page(browser: Browser, live_server: str, page_errors: PageErrors) -> Page:
    """A page in a fresh context whose console errors, page errors and CSP violations go to
    ``page_errors``."""
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 800}, locale="en-GB"
    )
    context.set_default_timeout(20_000)
    context.add_init_script(_CSP_REPORTER)
    page = context.new_page()

    def on_console(msg: ConsoleMessage) -> None:
        text = msg.text
        if msg.type == "error" or "content security policy" in text.lower():
            page_errors.record(f"console.{msg.type}", text, (msg.location or {}).get("url", ""))

    def on_pageerror(exc: Exception) -> None:
        page_errors.record("pageerror", str(exc), page.url)

    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    return page


@pytest.fixture
def page(browser: Browser, live_server: str, page_errors: PageErrors) -> Iterator[Page]:
    page = _open_page(browser, live_server, page_errors)
    yield page
    # Let late console messages (e.g. from an htmx swap just made) arrive before judging.
    try:
        page.wait_for_timeout(200)
    finally:
        page.context.close()
    assert not page_errors.problems, "the browser reported errors:\n  " + "\n  ".join(
        page_errors.problems
    )


@pytest.fixture
def new_page(
    page: Page, browser: Browser, live_server: str, page_errors: PageErrors
) -> Iterator[Callable[[], Page]]:
    """``new_page()``: another page in its own fresh context (cookies and all), e.g. a second
    person signing in or a browser nobody is signed in to. What it reports goes to the same
    ``page_errors``; these contexts close before ``page``'s teardown check (it depends on
    ``page``), so that check covers them too."""
    opened: list[Page] = []

    def open_page() -> Page:
        opened.append(_open_page(browser, live_server, page_errors))
        return opened[-1]

    yield open_page
    try:
        if opened:
            opened[-1].wait_for_timeout(200)  # late console messages, as for ``page``
    finally:
        for other in opened:
            other.context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """``screenshot(page, "admin-jobs")`` saves ``test-artifacts/screenshots/admin-jobs.png``
    (full page) for a human to look at."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save
