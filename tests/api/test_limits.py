"""Limits before work: bodies are limited per route and caller before a byte of them is read.

Most cases call the app at the ASGI level with a ``receive`` that hands the body out lazily and
counts what the app took, so "refused before reading" is measured, not inferred.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Scope

from api.limits import RequestLimitMiddleware
from api.security import SESSION_COOKIE, create_api_token
from foundation.accounts import Role
from foundation.settings import Settings
from tests.support.harness import bare_settings, hx, make_settings, sign_in

MiB = 1024**2


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    taken: int  # body bytes the app took from the client


def send_raw(
    client: TestClient,
    path: str,
    size: int,
    *,
    declared: bool = True,
    chunk: int = 64 * 1024,
    headers: dict[str, str] | None = None,
) -> Answer:
    """POST a ``size``-byte body through the whole app, handed out ``chunk`` bytes at a time
    (as a server would), declared in Content-Length or sent chunked."""
    taken = 0

    async def receive() -> Message:
        nonlocal taken
        if taken >= size:
            return {"type": "http.disconnect"}
        part = min(chunk, size - taken)
        taken += part
        return {"type": "http.request", "body": b"x" * part, "more_body": taken < size}

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    framing = {"content-length": str(size)} if declared else {"transfer-encoding": "chunked"}
    all_headers = {"host": "testserver", **framing, **(headers or {})}
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in all_headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    assert client.portal is not None
    client.portal.call(client.app, scope, receive, send)
    start = sent[0]
    answer_headers = {k.decode(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return Answer(start["status"], answer_headers, body, taken)


def cookie(token: str) -> dict[str, str]:
    return {"cookie": f"{SESSION_COOKIE}={token}"}


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    # The app and client fixtures use these: a large limit small enough to send in a test.
    return make_settings(
        tmp_path, database_url, upload_max_bytes=6 * MiB, upload_dir=str(tmp_path / "uploads")
    )


# ---------------------------------------------------------------------------- no caller, no body
def test_an_unauthenticated_300_mb_body_is_refused_unread(client):
    answer = send_raw(
        client, "/api/v1/ideas", 300 * MiB, chunk=MiB, headers={"content-type": "application/json"}
    )
    assert answer.status == 401
    assert answer.taken == 0
    assert answer.headers["connection"] == "close"  # the rest is never received either


@pytest.mark.parametrize(
    ("path", "headers", "status", "where"),
    [
        ("/api/v1/ideas", {}, 401, None),
        ("/ideas", {}, 303, "location"),
        ("/ideas", {"hx-request": "true"}, 401, "hx-redirect"),
    ],
)
def test_unauthenticated_bodies_get_the_usual_sign_in_answer(client, path, headers, status, where):
    answer = send_raw(client, path, 100, headers=headers)
    assert (answer.status, answer.taken) == (status, 0)
    if where:
        assert answer.headers[where] == "/login?next=/ideas"
    else:
        assert b'"detail"' in answer.body


def test_an_expired_or_unknown_session_counts_as_no_caller(client):
    answer = send_raw(client, "/ideas", 100, headers=cookie("not-a-session"))
    assert (answer.status, answer.taken) == (303, 0)


def test_sign_in_takes_a_body_without_a_session_but_only_a_small_one(client):
    form = {"content-type": "application/x-www-form-urlencoded"}
    small = send_raw(client, "/login", 100, headers=form)
    assert (small.status, small.taken) == (403, 100)  # read, then refused for its CSRF token
    large = send_raw(client, "/login", 2 * MiB, headers=form)
    assert (large.status, large.taken) == (413, 0)


def test_a_receipt_reply_takes_a_small_body_without_a_session(client):
    assert send_raw(client, "/receipts/some-token/reply", 100).status != 401
    assert send_raw(client, "/receipts/some-token/reply", 2 * MiB).status == 413


@pytest.mark.parametrize("path", ["/login", "/receipts/some-token/reply"])
def test_public_routes_never_look_the_caller_up(path):
    """An anonymous submitter's session must not be read (or touched) by a receipt reply."""

    class LookedUp(Exception):
        pass

    def factory() -> None:
        raise LookedUp

    async def inner(scope, receive, send):
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    middleware = RequestLimitMiddleware(inner, settings=bare_settings())
    app = SimpleNamespace(state=SimpleNamespace(session_factory=factory))

    def call(target: str) -> list[dict[str, object]]:
        sent: list[dict[str, object]] = []
        scope = {
            "type": "http",
            "method": "POST",
            "path": target,
            "query_string": b"",
            "headers": [(b"content-length", b"2"), (b"cookie", b"vl_session=abc")],
            "app": app,
        }

        async def receive() -> dict[str, object]:
            return {"type": "http.request", "body": b"{}"}

        async def send(message: dict[str, object]) -> None:
            sent.append(message)

        asyncio.run(middleware(scope, receive, send))  # type: ignore[arg-type]
        return sent

    assert call(path)[0]["status"] == 204
    with pytest.raises(LookedUp):  # any other route does look its caller up
        call("/ideas")


# ------------------------------------------------------------------------------- signed-in limits
def test_a_signed_in_agents_2_mb_form_gets_413(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    response = client.post(
        "/ideas",
        content=b"title=" + b"x" * (2 * MiB),
        headers={**hx(client), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert "larger than the 1 MB limit" in response.text
    api = client.post("/api/v1/ideas", content=b"x" * (2 * MiB), headers=hx(client))
    assert api.status_code == 413 and "1 MB" in api.json()["detail"]


def test_an_admins_5_mb_import_upload_is_accepted(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    upload = b"interaction_id,occurred_at,agent_id,transcript\n" + b"x" * (5 * MiB)
    response = client.post(
        "/admin/imports", files={"file": ("log.csv", upload, "text/csv")}, headers=hx(client)
    )
    assert response.status_code == 201
    staged = list(Path(settings.upload_dir).iterdir())
    assert [path.stat().st_size for path in staged] == [len(upload)]


def test_an_admins_upload_over_the_large_limit_is_refused_unread(client, make, db, settings):
    token = sign_in(client, db, settings, make.user(Role.admin))
    answer = send_raw(client, "/admin/imports", 7 * MiB, headers=cookie(token))
    assert (answer.status, answer.taken) == (413, 0)
    assert b"6 MB" in answer.body


@pytest.mark.parametrize("role", [Role.team_lead, Role.cx_lead, Role.staff])
def test_anyone_elses_import_upload_over_1_mb_gets_413_unread(client, make, db, settings, role):
    token = sign_in(client, db, settings, make.user(role, make.team()))
    answer = send_raw(client, "/admin/imports", 2 * MiB, headers=cookie(token))
    assert (answer.status, answer.taken) == (413, 0)  # not a 403 after reading 2 MB


def test_a_bearer_token_is_a_caller_under_the_api(client, make, db):
    _, secret = create_api_token(db, make.user(), "script")
    db.commit()
    bearer = {"authorization": f"Bearer {secret}", "content-type": "application/json"}
    answer = send_raw(client, "/api/v1/ideas", 2 * MiB, headers=bearer)
    assert (answer.status, answer.taken) == (413, 0)  # known caller, body too large
    outside = send_raw(client, "/ideas", 100, headers=bearer)
    assert outside.status == 303  # bearer tokens are for the JSON API only


def test_a_chunked_body_stops_being_read_past_the_limit(client, make, db, settings):
    token = sign_in(client, db, settings, make.user(Role.staff, make.team()))
    form = {"content-type": "application/x-www-form-urlencoded", **cookie(token)}
    answer = send_raw(client, "/ideas", 50 * MiB, declared=False, headers=form)
    assert answer.status == 413
    assert MiB < answer.taken <= MiB + 64 * 1024
    assert answer.headers["connection"] == "close"


def test_refusals_carry_the_security_headers(client):
    answer = send_raw(client, "/ideas", 100)
    assert answer.headers["cache-control"] == "no-store"
    assert "content-security-policy" in answer.headers
