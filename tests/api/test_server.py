"""``voiceloop serve`` against raw sockets: a request must arrive whole within the time limit (idle
and trickling connections are closed, a steady upload is not), and proxy headers are honoured
only from the proxies the settings name."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from api.cli import server_options
from foundation.settings import Settings
from tests.support.harness import bare_settings

TIMEOUT = 1.5  # the server's request_timeout_seconds in these tests
SLACK = 2.5  # scheduling on a busy machine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """The real ``voiceloop serve`` in a subprocess, on a free port, with a short time limit."""
    folder = tmp_path_factory.mktemp("server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "VOICELOOP_ENVIRONMENT": "test",
        "VOICELOOP_SECRET_KEY": secrets.token_urlsafe(32),
        "VOICELOOP_PII_KEY": secrets.token_urlsafe(32),
        "VOICELOOP_DATABASE_URL": f"sqlite:///{folder / 'app.db'}",
        "VOICELOOP_QUEUE_URL": f"sqlite:///{folder / 'queue.db'}",
        "VOICELOOP_UPLOAD_DIR": str(folder / "uploads"),
        "VOICELOOP_REQUEST_TIMEOUT_SECONDS": str(TIMEOUT),
        "VOICELOOP_UPLOAD_MIN_BYTES_PER_SECOND": "1024",
        # This checkout's code, run from an empty folder (no .env of the checkout applies).
        "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
    }
    command = [sys.executable, "-m", "api.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, cwd=folder, stdout=subprocess.DEVNULL)
    try:
        _wait_for(port, process)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if sock.recv(100).startswith(b"HTTP/1.1 "):
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError("the server did not start")


def read_response(sock: socket.socket) -> bytes:
    """One whole response: the head, then as many body bytes as its Content-Length says."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536) or pytest.fail(f"closed after {data!r}")
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length: *(\d+)", head)
    assert length, head
    while len(body) < int(length.group(1)):
        body += sock.recv(65536) or pytest.fail("closed in the body")
    return head + b"\r\n\r\n" + body


def closed(sock: socket.socket, wait: float = 0.0) -> bool:
    """Whether the server has closed the connection (or answered and closed)."""
    readable, _, _ = select.select([sock], [], [], wait)
    if not readable:
        return False
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True


def seconds_until_closed(sock: socket.socket, limit: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if closed(sock, 0.05):
            return time.monotonic() - started
    return float("inf")


def test_a_connection_that_sends_nothing_is_closed(server):
    with socket.create_connection(server) as sock:
        elapsed = seconds_until_closed(sock, TIMEOUT + SLACK)
    assert TIMEOUT - 0.2 <= elapsed <= TIMEOUT + SLACK


def test_a_trickled_request_head_is_closed(server):
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " + b"a" * 200 + b"\r\n\r\n"
    started = time.monotonic()
    with socket.create_connection(server) as sock:
        for byte in head:  # one byte every 0.2 s: uvicorn's keep-alive timer would restart
            if closed(sock, 0.2):
                break
            try:
                sock.send(bytes([byte]))
            except OSError:
                break
        else:
            pytest.fail("the whole trickled request was accepted")
    assert time.monotonic() - started <= TIMEOUT + SLACK


def test_an_idle_connection_after_a_request_is_closed(server):
    with socket.create_connection(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200")
        # Noise between requests (blank lines) must not keep it open either.
        for _ in range(int((TIMEOUT + SLACK) / 0.2)):
            if closed(sock, 0.2):
                return
            try:
                sock.send(b"\r\n")
            except OSError:
                return
    pytest.fail("the connection stayed open")


def test_a_normal_request_is_answered_and_may_take_its_time_to_be_answered(server):
    with socket.create_connection(server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert read_response(sock).startswith(b"HTTP/1.1 200")


def test_a_steady_upload_longer_than_the_limit_arrives_whole(server):
    """A body at 2.5 KiB/s (above the 1 KiB/s floor) for twice the time limit is answered."""
    body = b"email=a%40bank.test&password=" + b"x" * 9000
    head = (
        b"POST /login HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n"
    )
    started = time.monotonic()
    with socket.create_connection(server) as sock:
        sock.sendall(head)
        for offset in range(0, len(body), 512):
            time.sleep(0.2)
            sock.sendall(body[offset : offset + 512])
        answer = read_response(sock)
    assert time.monotonic() - started > 2 * TIMEOUT
    assert answer.startswith(b"HTTP/1.1 403")  # arrived whole; refused for its missing token


def test_a_body_without_a_caller_is_answered_before_it_is_sent(server):
    """No byte of the 300 MB body is sent: the 401 comes after the head, and the server closes."""
    head = (
        b"POST /api/v1/ideas HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 314572800\r\n\r\n"
    )
    with socket.create_connection(server, timeout=10) as sock:
        sock.sendall(head)
        assert read_response(sock).startswith(b"HTTP/1.1 401")
        assert closed(sock, 2)


# ---------------------------------------------------------------------------------- proxy headers
async def _client_seen(settings: Settings, peer: str, forwarded_for: str) -> str:
    """The client address our app sees behind uvicorn as ``serve`` configures it."""
    seen: list[str] = []

    async def app(scope, receive, send):
        seen.append(scope["client"][0])

    config = uvicorn.Config(app, **server_options(settings))
    config.load()
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/",
        "headers": [(b"x-forwarded-for", forwarded_for.encode())],
        "client": (peer, 50000),
    }
    await config.loaded_app(scope, None, None)
    return seen[0]


@pytest.mark.parametrize(
    ("trusted", "peer", "expected"),
    [
        ("", "127.0.0.1", "127.0.0.1"),  # by default even loopback is not trusted
        ("", "10.0.0.5", "10.0.0.5"),
        ("10.0.0.5", "10.0.0.5", "203.0.113.9"),
        ("10.0.0.5", "10.0.0.6", "10.0.0.6"),
        ("10.0.0.0/8", "10.20.30.40", "203.0.113.9"),
        ("10.0.0.0/8,::1", "192.0.2.1", "192.0.2.1"),
    ],
)
def test_forwarded_for_is_honoured_only_from_a_trusted_proxy(trusted, peer, expected):
    settings = bare_settings(trusted_proxies=trusted)
    assert asyncio.run(_client_seen(settings, peer, "203.0.113.9")) == expected


def test_a_trusted_proxy_that_is_not_an_address_is_refused_at_start():
    with pytest.raises(ValueError, match=r"proxy\.local"):
        bare_settings(trusted_proxies="10.0.0.5,proxy.local")
