"""The real web server in a subprocess (``voiceloop serve``), for tests that need true parallel
requests: each request on its own connection, handled by uvicorn's event loop and thread pool
exactly as in production."""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.security import hash_password
from foundation.accounts import Role, Team, User
from foundation.db import make_engine, session_scope

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def serve(database_url: str, folder: Path, **settings: str) -> Iterator[str]:
    """Run ``voiceloop serve`` on a free port against ``database_url`` (already migrated);
    yields its base URL. ``settings`` are extra ``VOICELOOP_*`` values (without the prefix)."""
    port = free_port()
    env = {
        **os.environ,
        "VOICELOOP_ENVIRONMENT": "test",
        "VOICELOOP_SECRET_KEY": secrets.token_urlsafe(32),
        "VOICELOOP_PII_KEY": secrets.token_urlsafe(32),
        "VOICELOOP_DATABASE_URL": database_url,
        "VOICELOOP_QUEUE_URL": f"sqlite:///{folder / 'queue.db'}",
        "VOICELOOP_UPLOAD_DIR": str(folder / "uploads"),
        "PYTHONPATH": str(ROOT),
        # The checkout's ONNX export of the model, made once, rather than one per server.
        "VOICELOOP_MODEL_CACHE": os.environ.get("VOICELOOP_MODEL_CACHE", str(ROOT / "var/models")),
        **{f"VOICELOOP_{name.upper()}": value for name, value in settings.items()},
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    log = (folder / f"server-{port}.log").open("wb")
    process = subprocess.Popen(command, env=env, cwd=folder, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _wait_for(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("the server exited; see server-*.log in the test's folder")
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


def add_people(database_url: str, count: int, role: Role = Role.staff) -> list[str]:
    """``count`` people in one new team, all with ``PASSWORD``; returns their emails."""
    engine = make_engine(database_url)
    password_hash = hash_password(PASSWORD)
    tag = secrets.token_hex(3)
    try:
        with session_scope(engine) as session:
            team = Team(name=f"Team {tag}", department="Retail banking")
            session.add(team)
            session.flush()
            emails = [f"person{i}-{tag}@bank.test" for i in range(count)]
            session.add_all(
                User(
                    email=email,
                    display_name=f"Person {i}",
                    role=role,
                    team_id=team.id,
                    password_hash=password_hash,
                )
                for i, email in enumerate(emails)
            )
    finally:
        engine.dispose()
    return emails


def signed_out_client(base: str) -> httpx.Client:
    """A browser-like client holding the sign-in page's CSRF cookie."""
    client = httpx.Client(base_url=base, timeout=60)
    client.get("/login")
    return client


def page_token(client: httpx.Client, path: str = "/") -> str:
    """The CSRF token a signed-in page hands its forms (bound to the session)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found, f"no form token on {path}"
    return found.group(1)


def sign_in(client: httpx.Client, email: str, password: str = PASSWORD) -> httpx.Response:
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": client.cookies["csrftoken"]},
        follow_redirects=False,
    )
