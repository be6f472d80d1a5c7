"""The JSON API: personal tokens, and the same role and team rules as the pages."""

from api.models import ApiToken
from api.security import create_api_token, digest
from foundation.accounts import Role
from tests.support.harness import csrf_token, sign_in


def bearer(secret):
    return {"Authorization": f"Bearer {secret}"}


def test_token_lifecycle_create_use_revoke(client, make, db, settings):
    user = make.user()
    sign_in(client, db, settings, user)
    created = client.post(
        "/api/v1/tokens", json={"name": "export"}, headers={"X-CSRFToken": csrf_token(client)}
    )
    assert created.status_code == 201
    body = created.json()
    secret = body["token"]
    assert secret.startswith("vl_") and len(secret) > 40
    stored = db.get(ApiToken, body["id"])
    assert stored.token_hash == digest(secret) and secret not in stored.model_dump_json()
    listed = client.get("/api/v1/tokens").json()
    assert [t["name"] for t in listed] == ["export"] and "token" not in listed[0]
    cookies = dict(client.cookies)
    client.cookies.clear()
    me = client.get("/api/v1/me", headers=bearer(secret))
    assert me.status_code == 200 and me.json()["email"] == user.email
    assert "password_hash" not in me.json()
    client.cookies.update(cookies)
    revoked = client.delete(
        f"/api/v1/tokens/{body['id']}", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert revoked.status_code == 204
    client.cookies.clear()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_bad_tokens_are_refused(client, make, db):
    user = make.user(is_active=False)
    _, disabled_secret = create_api_token(db, user, "old")
    db.commit()
    for secret in ["vl_forged", "", disabled_secret]:
        assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_tokens_do_not_open_pages(client, make, db):
    _, secret = create_api_token(db, make.user(Role.admin), "script")
    db.commit()
    response = client.get("/admin/users", headers=bearer(secret), follow_redirects=False)
    assert response.status_code == 303  # pages need a browser session


def test_nobody_revokes_another_persons_token(client, make, db, settings):
    owner, other = make.user(), make.user(Role.admin)
    token, _ = create_api_token(db, owner, "mine")
    db.commit()
    sign_in(client, db, settings, other)
    response = client.delete(
        f"/api/v1/tokens/{token.id}", headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 404
    db.refresh(token)
    assert token.revoked_at is None


def test_token_name_is_validated(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    for payload in [{}, {"name": ""}, {"name": "x" * 101}, {"name": 5}]:
        response = client.post(
            "/api/v1/tokens", json=payload, headers={"X-CSRFToken": csrf_token(client)}
        )
        assert response.status_code == 422


def test_team_leader_reads_only_their_own_team(client, make, db, settings):
    mine, theirs = make.team(), make.team()
    lead = make.user(Role.team_lead, mine)
    make.user(Role.staff, mine)
    make.user(Role.staff, theirs)
    _, secret = create_api_token(db, lead, "lead")
    db.commit()
    teams = client.get("/api/v1/teams", headers=bearer(secret)).json()
    assert [t["id"] for t in teams] == [mine.id]
    assert client.get(f"/api/v1/teams/{mine.id}/members", headers=bearer(secret)).status_code == 200
    other = client.get(f"/api/v1/teams/{theirs.id}/members", headers=bearer(secret))
    assert other.status_code == 404  # same answer as an id that does not exist
    assert client.get("/api/v1/teams/999999/members", headers=bearer(secret)).status_code == 404


def test_cx_lead_reads_every_team(client, make, db, settings):
    teams = [make.team(), make.team()]
    members = {
        team.id: {make.user(Role.staff, team).id, make.user(Role.staff, team).id} for team in teams
    }
    _, secret = create_api_token(db, make.user(Role.cx_lead), "cx")
    db.commit()
    listed = {
        t["id"]: t["name"] for t in client.get("/api/v1/teams", headers=bearer(secret)).json()
    }
    assert {team.id: team.name for team in teams}.items() <= listed.items()  # every team is listed
    for team in teams:
        response = client.get(f"/api/v1/teams/{team.id}/members", headers=bearer(secret))
        assert response.status_code == 200
        answer = response.json()
        assert {m["id"] for m in answer} == members[team.id]  # its own members, all of them
        assert all(m["team_id"] == team.id for m in answer)


def test_admin_creates_users_through_the_api(client, make, db, settings):
    _, secret = create_api_token(db, make.user(Role.admin), "admin")
    db.commit()
    ok = client.post(
        "/api/v1/users",
        headers=bearer(secret),
        json={
            "email": "new.agent@bank.test",
            "display_name": "New Agent",
            "role": "staff",
            "password": "twelve chars ok",
        },
    )
    assert ok.status_code == 201 and ok.json()["role"] == "staff"
    dup = client.post(
        "/api/v1/users",
        headers=bearer(secret),
        json={
            "email": "NEW.AGENT@bank.test",
            "display_name": "Again",
            "password": "twelve chars ok",
        },
    )
    assert dup.status_code == 409
    bad = client.post(
        "/api/v1/users",
        headers=bearer(secret),
        json={"email": "x@bank.test", "display_name": "X", "role": "root", "password": 12},
    )
    assert bad.status_code == 422


def test_openapi_schema_documents_the_api(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in spec["paths"] and "/api/v1/jobs/{job_id}" in spec["paths"]
    assert not any(p.startswith("/admin") for p in spec["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/tokens" in docs.text
