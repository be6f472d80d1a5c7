"""A hidden idea answers exactly like one that does not exist (same status, same message) on every
route that takes an idea id, for everyone who may not see hidden ideas; CX leads and the named
author still see it."""

import pytest

from api.security import create_api_token
from foundation.accounts import Role
from ideas.submissions import moderation as idea_moderation
from ideas.submissions import service as idea_service
from tests.support.harness import csrf_token, hx, sign_in
from tests.support.ideas import make_idea

UNKNOWN = 99_999_999  # no idea has this id: idea ids have nine digits

API = [
    ("GET", "/api/v1/ideas/{id}", None),
    ("POST", "/api/v1/ideas/{id}/support", None),
    ("DELETE", "/api/v1/ideas/{id}/support", None),
    ("GET", "/api/v1/ideas/{id}/comments", None),
    ("POST", "/api/v1/ideas/{id}/comments", {"body": "Me too"}),
]
PAGES = [
    ("GET", "/ideas/{id}", None),
    ("POST", "/ideas/{id}/support", None),
    ("POST", "/ideas/{id}/unsupport", None),
    ("POST", "/ideas/{id}/comments", {"body": "Me too"}),
]


@pytest.fixture
def hidden(make, db):
    author = make.user()
    idea, _ = make_idea(db, author, "Hidden for a reason")
    idea_service.support(db, make.user(), idea)
    idea_moderation.hide_idea(db, make.user(Role.cx_lead), idea, "Names a customer")
    db.commit()
    return idea


def answer(response) -> tuple[int, str]:
    return response.status_code, response.text


@pytest.mark.parametrize("role", [Role.staff, Role.team_lead])
@pytest.mark.parametrize(("method", "path", "body"), API, ids=[f"{m} {p}" for m, p, _ in API])
def test_the_api_answers_a_hidden_idea_like_a_missing_one(
    client, make, db, hidden, role, method, path, body
):
    _, secret = create_api_token(db, make.user(role, make.team()), "t")
    db.commit()
    headers = {"Authorization": f"Bearer {secret}"}

    def call(idea_id: int):
        url = path.format(id=idea_id)
        return client.request(method, url, json=body, headers=headers)

    missing = call(UNKNOWN)
    assert missing.status_code == 404
    assert answer(call(hidden.id)) == answer(missing)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("method", "path", "body"), PAGES, ids=[f"{m} {p}" for m, p, _ in PAGES])
def test_pages_answer_a_hidden_idea_like_a_missing_one(
    client, make, db, settings, hidden, method, path, body, htmx
):
    sign_in(client, db, settings, make.user())
    headers = hx(client) if htmx else {"X-CSRFToken": csrf_token(client)}

    def call(idea_id: int):
        url = path.format(id=idea_id)
        return client.request(method, url, data=body, headers=headers, follow_redirects=False)

    missing = call(UNKNOWN)
    assert missing.status_code == 404
    assert answer(call(hidden.id)) == answer(missing)


def test_cx_leads_and_the_author_still_see_it(client, make, db, settings, hidden):
    for person in [make.user(Role.cx_lead), db.get(type(make.user()), hidden.author_id)]:
        sign_in(client, db, settings, person)
        page = client.get(f"/ideas/{hidden.id}")
        assert page.status_code == 200 and "Names a customer" in page.text
        refused = client.post(f"/ideas/{hidden.id}/support", headers=hx(client))
        assert refused.status_code == 409  # they know it exists: they are told why not
