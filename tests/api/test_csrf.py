"""CSRF: every state-changing route refuses a missing or wrong token, and changes nothing."""

import pytest
from sqlalchemy import func, select

from api.schema import metadata
from api.security import create_api_token
from foundation.accounts import Role
from tests.support.harness import PASSWORD, csrf_token, sign_in
from tests.support.routes import ROUTES, STATE_CHANGING

CHANGING = [c for c in ROUTES if c.method in STATE_CHANGING]


def row_counts(db):
    return {
        t.name: db.execute(select(func.count()).select_from(t)).scalar_one()
        for t in metadata.sorted_tables
    }


def test_there_are_state_changing_routes_to_check():
    assert len(CHANGING) >= 8


# SQLite only: the CSRF middleware refuses these before any route or query runs, so the
# database backend plays no part (both backends still run the other CSRF tests).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("token", ["missing", "wrong", "other signature"])
@pytest.mark.parametrize("case", CHANGING, ids=lambda c: c.id)
def test_state_changing_routes_refuse_bad_tokens(client, make, db, settings, case, token):
    sign_in(client, db, settings, make.user(Role.admin, make.team()))
    csrf_token(client)
    before = row_counts(db)
    headers = {
        "missing": {},
        "wrong": {"X-CSRFToken": "not-a-token"},
        # Validly shaped but signed with another secret: a token from another deployment.
        "other signature": {"X-CSRFToken": "ImFiYyI.Zm9yZ2Vk"},
    }[token]
    response = client.request(
        case.method,
        case.url(),
        headers=headers,
        data={"csrf_token": headers.get("X-CSRFToken", "")},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert "expired" in response.text
    assert row_counts(db) == before


def test_login_form_needs_the_token_too(client, make):
    user = make.user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD}, follow_redirects=False
    )
    assert response.status_code == 403


def test_plain_form_field_is_accepted_without_javascript(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    response = client.post(
        "/account/tokens", data={"name": "no-js", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 201


def test_bearer_token_api_calls_need_no_csrf_but_cookies_do(client, make, db, settings):
    user = make.user(Role.admin)
    _, secret = create_api_token(db, user, "script")
    db.commit()
    bearer = client.post(
        "/api/v1/users",
        json={"email": "made@bank.test", "display_name": "Made", "password": "by a script ok"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert bearer.status_code == 201
    sign_in(client, db, settings, user)
    cookie = client.post("/api/v1/tokens", json={"name": "cross-site"})
    assert cookie.status_code == 403
