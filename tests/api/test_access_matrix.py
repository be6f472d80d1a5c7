"""Role-by-route matrix generated from the app's route table: a new route without an access
rule fails here, and every role gets the answer its rule says."""

import pytest

from foundation.accounts import Role
from tests.support.harness import csrf_token, sign_in
from tests.support.routes import ROUTES, STATE_CHANGING, RouteCase


def call(client, case: RouteCase, **headers):
    return client.request(
        case.method,
        case.url(),
        headers={"X-CSRFToken": csrf_token(client), **headers},
        follow_redirects=False,
    )


@pytest.mark.parametrize("case", ROUTES, ids=lambda c: c.id)
def test_every_role_gets_what_the_rule_says(client, make, db, settings, case):
    team = make.team()
    for role in Role:
        sign_in(client, db, settings, make.user(role, team))
        response = call(client, case)
        allowed = case.roles is None or role in case.roles
        if allowed:
            assert response.status_code not in (401, 403), (role, response.text[:200])
        else:
            assert response.status_code == 403, (role, response.status_code)
            if case.path.startswith("/api/"):
                assert response.json()["detail"]
            else:
                assert "You do not have access" in response.text


# SQLite only: a caller without a session or token is answered before any query runs, so the
# database backend plays no part (the role matrix above runs on both).
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("case", [c for c in ROUTES if c.roles is not None], ids=lambda c: c.id)
def test_anonymous_callers_are_sent_to_sign_in(client, case):
    response = call(client, case)
    if case.path.startswith("/api/"):
        assert response.status_code == 401
    elif case.method in STATE_CHANGING:
        assert response.status_code in (303, 403)  # no session: sign in first
    else:
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login")


def test_the_matrix_covers_the_routes_that_matter():
    ids = {c.id for c in ROUTES}
    assert {
        "GET /admin/users",
        "POST /admin/users",
        "GET /teams/{team_id}",
        "GET /api/v1/me",
        "POST /login",
        "GET /jobs/{job_id}",
    } <= ids
