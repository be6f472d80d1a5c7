"""Ids outside the database's integer range name nothing: 404 in a path, 422 in a query string,
a form or a JSON body, and never a server error. Walks the whole route table as an admin."""

import re

import pytest

from foundation.accounts import Role
from tests.support.harness import csrf_token, sign_in
from tests.support.routes import ROUTES, RouteCase

# Out of range: past PostgreSQL's (32-bit) and SQLite's (64-bit) integers, and below 1.
OUT_OF_RANGE = [2**31, 2**63 - 1, 2**63, 2**64, -1, 0]
# In range, but naming nothing: the lookup itself must not fail.
UNKNOWN = [2**31 - 1, 99_999_999]
WITH_IDS = [c for c in ROUTES if re.search(r"\{\w+_id\}", c.path)]


def url(case: RouteCase, value: int) -> str:
    path = re.sub(r"\{\w+_id\}", str(value), case.path)
    return path.replace("{kind}", "categories").replace("{token}", "x" * 43)


@pytest.fixture
def admin_client(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin, make.team()))
    return client


def test_the_walk_covers_the_routes_with_ids():
    assert len(WITH_IDS) > 20
    assert {"GET /api/v1/ideas/{idea_id}", "POST /ideas/{idea_id}/support"} <= {
        c.id for c in WITH_IDS
    }


@pytest.mark.parametrize("case", WITH_IDS, ids=lambda c: c.id)
def test_no_id_gives_a_server_error(admin_client, case):
    headers = {"X-CSRFToken": csrf_token(admin_client)}
    for value in OUT_OF_RANGE:
        response = admin_client.request(
            case.method, url(case, value), headers=headers, follow_redirects=False
        )
        assert response.status_code == 404, (value, response.status_code, response.text[:200])
        if case.path.startswith("/api/"):
            assert response.json() == {"detail": response.json()["detail"]}
        else:
            assert "There is nothing here" in response.text
    for value in UNKNOWN:
        response = admin_client.request(
            case.method, url(case, value), headers=headers, follow_redirects=False
        )
        assert response.status_code < 500, (value, response.status_code, response.text[:200])


HUGE = str(2**31)


@pytest.mark.parametrize(
    ("method", "path", "payload", "status"),
    [
        ("GET", f"/api/v1/ideas?category_id={HUGE}", None, 422),
        ("GET", f"/api/v1/ideas?stage_id={HUGE}", None, 422),
        ("GET", f"/coaching/modules/new?theme_id={HUGE}", None, 422),
        ("GET", f"/guides/new?theme_id={HUGE}", None, 422),
        ("GET", f"/gaps?team={HUGE}", None, 404),
        ("GET", f"/ideas?category={HUGE}", None, 200),  # an unknown filter means "any"
        ("POST", "/api/v1/users", {"json": {"team_id": 2**31}}, 422),
        ("POST", "/api/v1/ideas", {"json": {"title": "T", "category_id": 2**31}}, 422),
        ("POST", "/coaching/suggestions", {"data": {"module_id": HUGE, "user_id": "1"}}, 422),
        ("POST", "/coaching/modules", {"data": {"theme_id": HUGE}}, 422),
    ],
)
def test_ids_in_queries_forms_and_bodies_are_bounded(admin_client, method, path, payload, status):
    headers = {"X-CSRFToken": csrf_token(admin_client)}
    response = admin_client.request(
        method, path, headers=headers, follow_redirects=False, **(payload or {})
    )
    assert response.status_code == status, response.text[:300]
