"""PostgreSQL and Redis URLs for the test session.

Each function resolves, in order:

1. an explicit URL from the environment (``VOICELOOP_TEST_POSTGRES_URL`` /
   ``VOICELOOP_TEST_REDIS_URL``);
2. a server already running on the standard local port (5432 / 6379);
3. a throwaway server started on a free port in a temporary folder, stopped and
   deleted when the Python process exits.

Results are cached, so one process starts at most one server of each kind.
Nothing here ever skips a test: a missing server binary is a RuntimeError that
says to run ``make system-deps``.
"""

from __future__ import annotations

import atexit
import functools
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import psycopg
import redis

POSTGRES_ENV = "VOICELOOP_TEST_POSTGRES_URL"
REDIS_ENV = "VOICELOOP_TEST_REDIS_URL"

LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LOCAL_REDIS_URL = "redis://127.0.0.1:6379/15"

_HOST = "127.0.0.1"
_PG_GLOB = "/usr/lib/postgresql/*/bin"
_PG_OS_USER = "postgres"
_START_TIMEOUT_S = 20.0
_INSTALL_HINT = "run `make system-deps` (or set {env} to a server you already have)"


# --------------------------------------------------------------------------- public


@functools.cache
def postgres_url() -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) of the ``test`` database."""
    explicit = os.environ.get(POSTGRES_ENV)
    if explicit:
        return explicit
    if _postgres_answers(_HOST, 5432):
        return LOCAL_POSTGRES_URL
    return _start_postgres()


@functools.cache
def redis_url() -> str:
    """A ``redis://`` URL pointing at database 15 of a reachable Redis."""
    explicit = os.environ.get(REDIS_ENV)
    if explicit:
        return explicit
    if _redis_answers(LOCAL_REDIS_URL):
        return LOCAL_REDIS_URL
    return _start_redis()


# --------------------------------------------------------------------------- helpers


def _free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:]) or "(empty log)"


# --------------------------------------------------------------------------- PostgreSQL


def _postgres_answers(host: str, port: int) -> bool:
    """True when ``postgres@host:port/test`` accepts a (trust) connection."""
    try:
        with psycopg.connect(
            host=host, port=port, user="postgres", dbname="test", connect_timeout=3
        ) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def _version_key(bin_dir: str) -> tuple[int, ...]:
    """``/usr/lib/postgresql/15/bin`` -> (15,); unparsable versions sort first."""
    version = Path(bin_dir).parent.name
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (-1,)


def _postgres_bin_dir() -> Path:
    """The ``bin`` folder of the highest installed Debian PostgreSQL version."""
    candidates = [d for d in glob.glob(_PG_GLOB) if Path(d, "initdb").is_file()]
    if not candidates:
        raise RuntimeError(
            f"No PostgreSQL server binaries under {_PG_GLOB} and nothing usable on "
            f"{_HOST}:5432; " + _INSTALL_HINT.format(env=POSTGRES_ENV)
        )
    return Path(max(candidates, key=_version_key))


def _server_user_prefix() -> list[str]:
    """initdb/postgres refuse to run as root: then drop to the ``postgres`` OS user.

    Resolved once per server, so the atexit stop does not depend on a later PATH.
    """
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("Running as root but `runuser` is missing; cannot start PostgreSQL")
    try:
        pwd.getpwnam(_PG_OS_USER)
    except KeyError:
        raise RuntimeError(
            f"Running as root but there is no `{_PG_OS_USER}` OS user to run PostgreSQL as; "
            + _INSTALL_HINT.format(env=POSTGRES_ENV)
        ) from None
    return [runuser, "-u", _PG_OS_USER, "--"]


def _run(argv: Sequence[str], cwd: Path, what: str, log: Path | None = None) -> None:
    result = subprocess.run(
        list(argv),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        detail = (result.stdout + result.stderr).strip()
        if log is not None:
            detail += "\n--- server log ---\n" + _tail(log)
        raise RuntimeError(f"{what} failed (exit {result.returncode}):\n{detail}")


def _start_postgres() -> str:
    """Start a throwaway PostgreSQL on a free port; return its ``test`` database URL."""
    bin_dir = _postgres_bin_dir()
    as_server_user = _server_user_prefix()
    base = Path(tempfile.mkdtemp(prefix="voiceloop-pg-"))
    data = base / "data"
    log = base / "postgres.log"
    pg_ctl = [*as_server_user, str(bin_dir / "pg_ctl"), "-D", str(data)]

    def cleanup() -> None:
        if (data / "postmaster.pid").exists():  # running, or a start half-failed
            subprocess.run(
                [*pg_ctl, "-m", "immediate", "stop"],
                cwd=base,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=60,
                check=False,
            )
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(cleanup)

    if as_server_user:
        shutil.chown(base, user=_PG_OS_USER)
    initdb = [*as_server_user, str(bin_dir / "initdb"), "-D", str(data)]
    _run(
        [*initdb, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale", "--no-sync"],
        cwd=base,
        what="initdb",
    )

    # The free port can be taken between probing and binding: try a few.
    last_error: RuntimeError | None = None
    for _attempt in range(3):
        port = _free_port()
        options = (
            f"-p {port} -k {base} -c listen_addresses={_HOST} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        try:
            _run(
                [*pg_ctl, "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
                cwd=base,
                what="pg_ctl start",
                log=log,
            )
        except RuntimeError as exc:
            last_error = exc
            continue
        break
    else:
        assert last_error is not None
        raise last_error

    with psycopg.connect(
        host=_HOST, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        conn.execute("CREATE DATABASE test")
    return f"postgresql+psycopg://postgres@{_HOST}:{port}/test"


# --------------------------------------------------------------------------- Redis


def _redis_answers(url: str) -> bool:
    """True when the Redis at ``url`` answers PING."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def _start_redis() -> str:
    """Start a throwaway, non-persistent redis-server on a free port; return its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError(
            f"`redis-server` is not on PATH and nothing answers on {_HOST}:6379; "
            + _INSTALL_HINT.format(env=REDIS_ENV)
        )
    base = Path(tempfile.mkdtemp(prefix="voiceloop-redis-"))
    log = base / "redis.log"
    port = _free_port()
    with log.open("wb") as log_file:
        proc = subprocess.Popen(
            [
                binary,
                "--port",
                str(port),
                "--bind",
                _HOST,
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(base),
                "--daemonize",
                "no",
            ],
            cwd=base,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )

    def cleanup() -> None:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(base, ignore_errors=True)

    atexit.register(cleanup)

    url = f"redis://{_HOST}:{port}/15"
    deadline = time.monotonic() + _START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with status {proc.returncode}:\n{_tail(log)}")
        if _redis_answers(url):
            return url
        time.sleep(0.1)
    raise RuntimeError(
        f"redis-server did not answer PING within {_START_TIMEOUT_S:.0f}s:\n{_tail(log)}"
    )
