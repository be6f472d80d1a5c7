"""The CSRF token is bound to the session: tokens are read from the pages, as a browser would."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.security import SESSION_COOKIE
from foundation.accounts import Role
from tests.support.harness import PASSWORD, sign_in

HX_HEADERS = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')
FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def page_token(client: TestClient, path: str = "/") -> str:
    html = client.get(path).text
    header, field = HX_HEADERS.search(html), FIELD.search(html)
    assert header and field and header.group(1) == field.group(1)
    return header.group(1)


def new_token_name(client: TestClient, token: str, *, htmx: bool = False) -> int:
    """Create an API token through the form (a plain form field, or htmx's header)."""
    if htmx:
        headers = {"X-CSRFToken": token, "HX-Request": "true"}
        return client.post("/account/tokens", data={"name": "htmx"}, headers=headers).status_code
    return client.post("/account/tokens", data={"name": "form", "csrf_token": token}).status_code


def test_a_token_is_valid_across_requests_of_one_session(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    token = page_token(client)
    assert page_token(client, "/account/tokens") == token
    assert new_token_name(client, token) == 201
    assert new_token_name(client, token, htmx=True) == 201
    assert new_token_name(client, token) == 201


def test_a_token_from_another_session_is_refused(client, make, db, settings):
    team = make.team()
    sign_in(client, db, settings, make.user(Role.staff, team))
    theirs = page_token(client)
    sign_in(client, db, settings, make.user(Role.staff, team))
    assert page_token(client) != theirs
    assert new_token_name(client, theirs) == 403
    assert new_token_name(client, theirs, htmx=True) == 403
    assert new_token_name(client, page_token(client)) == 201


def test_a_token_from_before_sign_in_is_refused_after_it(client, make):
    user = make.user()
    before = page_token(client, "/login")
    answer = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": before},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and SESSION_COOKIE in client.cookies
    assert new_token_name(client, before) == 403
    assert new_token_name(client, before, htmx=True) == 403
    assert new_token_name(client, page_token(client)) == 201


def test_the_same_session_after_signing_in_again_gets_a_new_token(client, make):
    user = make.user()

    def sign_in_with_form() -> None:
        client.cookies.delete(SESSION_COOKIE)
        form = {
            "email": user.email,
            "password": PASSWORD,
            "csrf_token": page_token(client, "/login"),
        }
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303

    sign_in_with_form()
    first = page_token(client)
    sign_in_with_form()
    assert new_token_name(client, first) == 403


def test_signing_out_and_in_again_works_with_the_pages_tokens(client, make):
    user = make.user()
    form = {"email": user.email, "password": PASSWORD}
    login = client.post("/login", data={**form, "csrf_token": page_token(client, "/login")})
    assert login.status_code == 200 and SESSION_COOKIE in client.cookies
    out = client.post("/logout", data={"csrf_token": page_token(client)}, follow_redirects=False)
    assert out.status_code == 303 and SESSION_COOKIE not in client.cookies
    again = client.post("/login", data={**form, "csrf_token": page_token(client, "/login")})
    assert again.status_code == 200 and SESSION_COOKIE in client.cookies
