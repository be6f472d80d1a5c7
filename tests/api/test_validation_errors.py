"""The API's validation errors: 422 for any body, with where and what (``loc``, ``msg``, ``type``)
and never the input, which may be a password."""

import json

import pytest

from api.security import create_api_token
from foundation.accounts import Role

PASSWORD = "hunter2-but-longer-secret"


@pytest.fixture
def admin_headers(make, db):
    _, secret = create_api_token(db, make.user(Role.admin), "admin")
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


def assert_plain_422(response, *secrets: str) -> None:
    assert response.status_code == 422, response.text[:300]
    problems = response.json()["detail"]
    assert problems and all(set(p) == {"loc", "msg", "type"} for p in problems)
    for secret in secrets:
        assert secret not in response.text


def raw(client, headers, path, body: bytes, content_type: str):
    return client.post(path, content=body, headers={**headers, "Content-Type": content_type})


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"email=x&password=" + PASSWORD.encode(), "text/plain"),
        (b"email=x&password=" + PASSWORD.encode(), "application/x-www-form-urlencoded"),
        (
            b'--b\r\nContent-Disposition: form-data; name="password"\r\n\r\n'
            + PASSWORD.encode()
            + b"\r\n--b--\r\n",
            "multipart/form-data; boundary=b",
        ),
        (b"\xff\xfe not utf-8 " + PASSWORD.encode(), "application/json"),
        (b'{"password": "' + PASSWORD.encode() + b'\x80"}', "application/json"),
        (b'{"password": "' + PASSWORD.encode() + b'", "email": ', "application/json"),
    ],
    ids=["text/plain", "urlencoded", "multipart", "utf-16", "not utf-8", "truncated json"],
)
def test_any_body_to_a_json_route_answers_422(client, admin_headers, body, content_type):
    response = raw(client, admin_headers, "/api/v1/users", body, content_type)
    assert_plain_422(response, PASSWORD)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_answer_422(client, admin_headers, number):
    body = f'{{"n": {number}}}'.encode()
    assert_plain_422(raw(client, admin_headers, "/api/v1/jobs/demo", body, "application/json"))


def test_lone_surrogates_answer_422(client, admin_headers):
    body = json.dumps(
        {"email": "a@b.test", "display_name": "A", "role": "\ud800", "password": PASSWORD}
    ).encode()
    assert b"\\ud800" in body
    response = raw(client, admin_headers, "/api/v1/users", body, "application/json")
    assert_plain_422(response, PASSWORD)


def test_a_lone_surrogate_in_a_key_answers_422(client, admin_headers):
    body = b'{"\\udc00": 1, "n": "many"}'
    response = raw(client, admin_headers, "/api/v1/jobs/demo", body, "application/json")
    assert_plain_422(response)


def test_an_invalid_email_answers_422_without_the_password(client, admin_headers):
    user = {"email": "bad.address", "display_name": "X", "password": PASSWORD}
    response = client.post("/api/v1/users", json=user, headers=admin_headers)
    assert_plain_422(response, PASSWORD, "bad.address")
    assert response.json()["detail"][0]["loc"] == ["body", "email"]


def test_a_short_password_is_not_echoed(client, admin_headers):
    user = {"email": "ok@bank.test", "display_name": "X", "password": "short-pw"}
    response = client.post("/api/v1/users", json=user, headers=admin_headers)
    assert_plain_422(response, "short-pw")


def test_pages_name_the_fields_without_the_input(client, make, db, settings):
    from tests.support.harness import csrf_token, sign_in

    sign_in(client, db, settings, make.user())
    response = client.post(
        "/account/tokens",
        data={"name": "x", "write": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422 and PASSWORD not in response.text
    assert "write" in response.text
