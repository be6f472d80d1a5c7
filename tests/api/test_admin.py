"""Admins manage users and teams; bad input gets an inline message and changes nothing."""

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from api.app import create_app
from foundation.accounts import Role, Team, User
from tests.support.harness import csrf_token, hx, make_settings, sign_in


@pytest.fixture
def admin(client, make, db, settings):
    user = make.user(Role.admin)
    sign_in(client, db, settings, user)
    return user


def user_form(**fields):
    base = {
        "display_name": "Priya Shah",
        "email": "priya.shah@bank.test",
        "role": "staff",
        "team_id": "",
        "password": "a long enough password",
    }
    return {**base, **fields}


def test_admin_creates_a_user_who_can_sign_in(client, db, admin, make):
    team = make.team()
    form = user_form(team_id=str(team.id), csrf_token=csrf_token(client))
    response = client.post("/admin/users", data=form, follow_redirects=False)
    assert response.status_code == 303
    created = db.exec(select(User).where(User.email == "priya.shah@bank.test")).one()
    assert created.team_id == team.id and created.role == Role.staff
    assert created.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"display_name": "   "}, "display_name", "must not be empty"),
        ({"display_name": "x" * 101}, "display_name", "at most 100"),
        ({"email": "not-an-email"}, "email", "is not an email address"),
        ({"email": ""}, "email", "required"),
        ({"password": "short"}, "password", "at least 12"),
        ({"role": "superuser"}, "role", "Input should be"),
        ({"team_id": "999999"}, "team_id", "existing team"),
        ({"team_id": "abc"}, "team_id", "valid integer"),
    ],
)
def test_bad_user_input_is_shown_inline_and_saves_nothing(
    client, db, admin, fields, field, message
):
    before = len(db.exec(select(User)).all())
    response = client.post("/admin/users", data=user_form(**fields), headers=hx(client))
    assert response.status_code == 422
    assert f'id="e-{field}"' in response.text and message.lower() in response.text.lower()
    assert "<html" not in response.text  # a fragment for htmx, not a page
    assert response.headers["Vary"].startswith("HX-Request")
    assert len(db.exec(select(User)).all()) == before


def test_duplicate_email_is_refused(client, db, admin, make):
    other = make.user()
    response = client.post(
        "/admin/users", data=user_form(email=other.email.upper()), headers=hx(client)
    )
    assert response.status_code == 422 and "already exists" in response.text


def test_markup_in_names_is_escaped(client, db, admin):
    name = '<script>alert("x")</script>'
    form = user_form(display_name=name, csrf_token=csrf_token(client))
    assert client.post("/admin/users", data=form, follow_redirects=False).status_code == 303
    page = client.get("/admin/users").text
    assert name not in page and "&lt;script&gt;" in page


def test_admin_cannot_lock_themselves_out(client, db, admin):
    form = {
        "display_name": admin.display_name,
        "email": admin.email,
        "role": "staff",
        "is_active": "on",
    }
    response = client.post(f"/admin/users/{admin.id}", data=form, headers=hx(client))
    assert response.status_code == 422
    db.refresh(admin)
    assert admin.role == Role.admin


def test_unknown_ids_are_404(client, admin):
    assert client.get("/admin/users/999999/edit").status_code == 404
    assert (
        client.post(
            "/admin/teams/999999", data={"name": "x", "department": "y"}, headers=hx(client)
        ).status_code
        == 404
    )


def test_admin_creates_and_edits_a_team_with_a_leader(client, db, admin, make):
    leader = make.user(Role.team_lead)
    form = {
        "name": "  Wye ",
        "department": "Lending",
        "leader_id": str(leader.id),
        "csrf_token": csrf_token(client),
    }
    assert client.post("/admin/teams", data=form, follow_redirects=False).status_code == 303
    team = db.exec(select(Team).where(Team.name == "Wye")).one()
    db.refresh(leader)
    assert team.leader_id == leader.id and leader.team_id == team.id
    form = {
        "name": "Wye",
        "department": "Mortgages",
        "leader_id": "",
        "csrf_token": csrf_token(client),
    }
    assert (
        client.post(f"/admin/teams/{team.id}", data=form, follow_redirects=False).status_code == 303
    )
    db.refresh(team)
    assert team.department == "Mortgages" and team.leader_id is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "required"),
        ({"department": "d" * 101}, "at most 100"),
        ({"leader_id": "staff"}, "team leader role"),
        ({"name": "Taken"}, "already exists"),
    ],
)
def test_bad_team_input_is_refused(client, db, admin, make, fields, message):
    make.team("Taken")
    staff = make.user(Role.staff)
    values = {"name": "New team", "department": "Cards", "leader_id": "", **fields}
    if values["leader_id"] == "staff":
        values["leader_id"] = str(staff.id)
    before = len(db.exec(select(Team)).all())
    response = client.post("/admin/teams", data=values, headers=hx(client))
    assert response.status_code == 422 and message in response.text
    assert len(db.exec(select(Team)).all()) == before


def test_oversized_body_is_refused_before_it_is_read(tmp_path, database_url, connection, make, db):
    settings = make_settings(tmp_path, database_url, request_max_bytes=2048)
    app = create_app(
        settings,
        session_factory=lambda: Session(bind=connection, join_transaction_mode="create_savepoint"),
    )
    before = len(db.exec(select(User)).all())
    with TestClient(app) as client:
        sign_in(client, db, settings, make.user(Role.admin))
        body = urlencode(user_form(display_name="x" * 5000))
        response = client.post(
            "/admin/users",
            content=body,
            headers={**hx(client), "Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 413
    assert "limit" in response.text
    assert len(db.exec(select(User)).all()) == before + 1  # only the admin made above


def test_agent_id_links_imported_interactions_and_must_be_unique(client, db, admin, make):
    from coaching.interactions.models import Agent

    agent = Agent(code="AG-77")
    db.add(agent)
    db.commit()
    taken = make.user(agent_code="AG-1")
    form = user_form(agent_code="AG-77", csrf_token=csrf_token(client))
    assert client.post("/admin/users", data=form, follow_redirects=False).status_code == 303
    db.refresh(agent)
    created = db.exec(select(User).where(User.email == "priya.shah@bank.test")).one()
    assert agent.user_id == created.id
    dup = client.post(
        "/admin/users",
        headers=hx(client),
        data=user_form(email="x@bank.test", agent_code=taken.agent_code),
    )
    assert dup.status_code == 422 and "already has that agent id" in dup.text
