"""Personal API tokens die with the account's trust: revoked on a password reset, a disable or a
role change; never made, listed or revoked by a token; scoped; expiring; and admins list and
revoke anyone's. Through the real app, on SQLite and PostgreSQL."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import text
from sqlmodel import select
from sqlmodel.sql.sqltypes import UTCDateTime

from api.migrate import upgrade
from api.models import ApiToken, TokenScope
from api.security import create_api_token
from foundation.accounts import Role
from foundation.clock import as_utc, utcnow
from foundation.db import make_engine
from tests.support.harness import (
    csrf_token,
    drop_postgres_schema,
    fresh_postgres_schema,
    hx,
    sign_in,
)

READ = [TokenScope.read]


def tokens_of(db, user) -> list[ApiToken]:
    db.expire_all()
    return list(db.exec(select(ApiToken).where(ApiToken.user_id == user.id)))


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def works(client, secret: str) -> bool:
    response = client.get("/api/v1/me", headers=bearer(secret))
    assert response.status_code in (200, 401)
    return response.status_code == 200


@pytest.fixture
def admin(client, make, db, settings):
    user = make.user(Role.admin)
    sign_in(client, db, settings, user)
    return user


def edit_form(client, user, **fields):
    """The admin edit form as the page fills it, with ``fields`` changed."""
    form = {
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role.value,
        "team_id": str(user.team_id or ""),
        "password": "",
        "is_active": "on" if user.is_active else "",
        "csrf_token": csrf_token(client),
    }
    return {k: v for k, v in {**form, **fields}.items() if v != "" or k == "password"}


def save(client, user, **fields):
    response = client.post(f"/admin/users/{user.id}", data=edit_form(client, user, **fields))
    assert response.status_code in (200, 303), response.text[:300]


# ------------------------------------------------------------------- revoked when trust changes
@pytest.mark.parametrize(
    "change",
    [
        {"password": "a brand new long password"},
        {"is_active": ""},
        {"role": "team_lead"},
    ],
    ids=["password reset", "disable", "role change"],
)
def test_a_change_of_trust_revokes_every_token(client, make, db, admin, change):
    person = make.user(Role.staff)
    _, first = create_api_token(db, person, "export")
    _, second = create_api_token(db, person, "backup")
    db.commit()
    assert works(client, first) and works(client, second)
    save(client, person, **change)
    assert not works(client, first) and not works(client, second)
    assert all(t.revoked_at is not None for t in tokens_of(db, person))


def test_a_disabled_account_does_not_get_its_tokens_back(client, make, db, admin):
    person = make.user(Role.staff)
    _, secret = create_api_token(db, person, "export")
    db.commit()
    save(client, person, is_active="")
    db.refresh(person)
    save(client, person, is_active="on")
    db.refresh(person)
    assert person.is_active
    assert not works(client, secret)


def test_an_admin_resetting_their_own_password_loses_their_tokens(client, db, admin):
    _, secret = create_api_token(db, admin, "mine")
    db.commit()
    save(client, admin, password="my fresh long password")
    assert not works(client, secret)


def test_other_edits_keep_tokens(client, make, db, admin):
    person = make.user(Role.staff)
    _, secret = create_api_token(db, person, "export")
    db.commit()
    save(client, person, display_name="A New Name")
    assert works(client, secret)


# ----------------------------------------------------------------------- tokens do not breed
def test_a_token_cannot_create_list_or_revoke_tokens(client, make, db):
    person = make.user(Role.admin)
    token, secret = create_api_token(db, person, "script")
    db.commit()
    calls = [
        ("POST", "/api/v1/tokens", {"name": "child", "scopes": ["read", "write"]}),
        ("GET", "/api/v1/tokens", None),
        ("DELETE", f"/api/v1/tokens/{token.id}", None),
        ("GET", f"/api/v1/users/{person.id}/tokens", None),
        ("DELETE", f"/api/v1/users/{person.id}/tokens/{token.id}", None),
    ]
    for method, url, body in calls:
        response = client.request(method, url, json=body, headers=bearer(secret))
        assert response.status_code == 403, (method, url, response.status_code)
        assert response.json()["detail"].startswith("API tokens cannot create")
    assert len(tokens_of(db, person)) == 1
    db.refresh(token)
    assert token.revoked_at is None


# ------------------------------------------------------------------------------------- scopes
def test_a_read_token_reads_but_changes_nothing(client, make, db):
    admin = make.user(Role.admin)
    _, secret = create_api_token(db, admin, "reader", scopes=READ)
    db.commit()
    assert client.get("/api/v1/users", headers=bearer(secret)).status_code == 200
    new_user = {"email": "a@bank.test", "display_name": "A", "password": "twelve chars ok"}
    refused = client.post("/api/v1/users", json=new_user, headers=bearer(secret))
    assert refused.status_code == 403 and "only read" in refused.json()["detail"]
    for method, url in [("POST", "/api/v1/jobs/demo"), ("DELETE", "/api/v1/ideas/1/support")]:
        response = client.request(method, url, headers=bearer(secret))
        assert response.status_code == 403, url


def test_a_write_token_may_change_things(client, make, db):
    admin = make.user(Role.admin)
    _, secret = create_api_token(db, admin, "writer", scopes=[TokenScope.read, TokenScope.write])
    db.commit()
    new_user = {"email": "b@bank.test", "display_name": "B", "password": "twelve chars ok"}
    assert client.post("/api/v1/users", json=new_user, headers=bearer(secret)).status_code == 201


def test_scopes_are_chosen_when_creating_through_the_api(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    headers = {"X-CSRFToken": csrf_token(client)}
    plain = client.post("/api/v1/tokens", json={"name": "default"}, headers=headers).json()
    both = client.post(
        "/api/v1/tokens", json={"name": "both", "scopes": ["write", "read"]}, headers=headers
    ).json()
    assert plain["scopes"] == ["read"] and both["scopes"] == ["read", "write"]
    for bad in [[], ["admin"], "read", [None]]:
        response = client.post(
            "/api/v1/tokens", json={"name": "bad", "scopes": bad}, headers=headers
        )
        assert response.status_code == 422, bad


def test_scopes_are_chosen_when_creating_on_the_page(client, make, db, settings):
    person = make.user()
    sign_in(client, db, settings, person)
    for data, scopes in [
        ({"name": "reader"}, "read"),
        ({"name": "w", "write": "true"}, "read write"),
    ]:
        response = client.post("/account/tokens", data=data, headers=hx(client))
        assert response.status_code == 201
    stored = {t.name: t.scopes for t in tokens_of(db, person)}
    assert stored == {"reader": "read", "w": "read write"}
    page = client.get("/account/tokens").text
    assert "read, write" in page and "Expires" in page


# ------------------------------------------------------------------------------------- expiry
def test_tokens_expire_after_the_configured_days(app, client, make, db, settings):
    app.state.settings = settings.model_copy(update={"api_token_days": 7})
    person = make.user()
    sign_in(client, db, settings, person)
    body = client.post(
        "/api/v1/tokens", json={"name": "week"}, headers={"X-CSRFToken": csrf_token(client)}
    ).json()
    token = db.get(ApiToken, body["id"])
    lifetime = as_utc(token.expires_at) - as_utc(token.created_at)
    assert lifetime == timedelta(days=7)
    page = client.get("/account/tokens").text
    assert as_utc(token.expires_at).strftime("%d %b %Y") in page


def test_an_expired_token_stops_working(client, make, db):
    token, secret = create_api_token(db, make.user(), "old")
    db.commit()
    assert works(client, secret)
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.add(token)
    db.commit()
    assert not works(client, secret)


def test_the_default_lifetime_is_ninety_days(make, db, settings):
    assert settings.api_token_days == 90
    token, _ = create_api_token(db, make.user(), "default")
    assert as_utc(token.expires_at) - as_utc(token.created_at) == timedelta(days=90)


# ------------------------------------------------------------------------------ admins' powers
def test_admins_list_and_revoke_anyones_tokens_through_the_api(client, make, db, admin):
    person, other = make.user(), make.user()
    token, secret = create_api_token(db, person, "export")
    others, _ = create_api_token(db, other, "theirs")
    db.commit()
    headers = {"X-CSRFToken": csrf_token(client)}
    listed = client.get(f"/api/v1/users/{person.id}/tokens").json()
    assert [(t["id"], t["user_id"], t["scopes"]) for t in listed] == [
        (token.id, person.id, ["read", "write"])
    ]
    assert client.get("/api/v1/users/999999999/tokens").status_code == 404
    wrong_owner = client.delete(f"/api/v1/users/{person.id}/tokens/{others.id}", headers=headers)
    assert wrong_owner.status_code == 404
    revoked = client.delete(f"/api/v1/users/{person.id}/tokens/{token.id}", headers=headers)
    assert revoked.status_code == 204
    assert not works(client, secret)
    db.refresh(others)
    assert others.revoked_at is None


def test_admins_revoke_anyones_tokens_on_the_user_page(client, make, db, admin):
    person = make.user()
    token, secret = create_api_token(db, person, "nightly export")
    db.commit()
    page = client.get(f"/admin/users/{person.id}/edit").text
    assert "nightly export" in page and f"/admin/users/{person.id}/tokens/{token.id}/revoke" in page
    response = client.post(f"/admin/users/{person.id}/tokens/{token.id}/revoke", headers=hx(client))
    assert response.status_code == 200 and "revoked" in response.text
    assert not works(client, secret)


@pytest.mark.parametrize("role", [Role.staff, Role.team_lead, Role.cx_lead])
def test_only_admins_see_or_revoke_other_peoples_tokens(client, make, db, settings, role):
    person = make.user()
    token, secret = create_api_token(db, person, "export")
    sign_in(client, db, settings, make.user(role))
    headers = {"X-CSRFToken": csrf_token(client)}
    assert client.get(f"/api/v1/users/{person.id}/tokens").status_code == 403
    url = f"/api/v1/users/{person.id}/tokens/{token.id}"
    assert client.delete(url, headers=headers).status_code == 403
    page = client.post(f"/admin/users/{person.id}/tokens/{token.id}/revoke", headers=hx(client))
    assert page.status_code == 403
    # Nor by id on their own routes: another person's token answers like an unknown one.
    assert client.delete(f"/api/v1/tokens/{token.id}", headers=headers).status_code == 404
    assert works(client, secret)


def test_token_names_need_visible_characters(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    headers = {"X-CSRFToken": csrf_token(client)}
    for name in ["\u200b\u200c\u200d", "\u2060\ufeff", "\u202e\u202d"]:
        response = client.post("/api/v1/tokens", json={"name": name}, headers=headers)
        assert response.status_code == 422, repr(name)
    made = client.post("/api/v1/tokens", json={"name": "ex\u202eport"}, headers=headers)
    assert made.status_code == 201 and made.json()["name"] == "export"


# ---------------------------------------------------------------------------------- migration
@contextmanager
def database_at(backend: str, folder, revision: str):
    """A new database migrated to ``revision`` (not to head)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'at.db'}"
        upgrade(url, revision)
        yield url
        return
    url, admin_engine, schema = fresh_postgres_schema()
    try:
        upgrade(url, revision)
        yield url
    finally:
        drop_postgres_schema(admin_engine, schema)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_migration_gives_existing_tokens_both_scopes_and_ninety_days(tmp_path, backend):
    with database_at(backend, tmp_path, "0006") as url:
        engine = make_engine(url)
        try:
            with engine.begin() as conn:
                conn.execute(
                    text(
                        'INSERT INTO "user" (email, display_name, role, password_hash, is_active,'
                        " created_at) VALUES ('t@bank.test', 'T', 'staff', 'x', true, :now)"
                    ),
                    {"now": utcnow()},
                )
                conn.execute(
                    text(
                        "INSERT INTO api_token (name, user_id, token_hash, prefix, created_at)"
                        " SELECT 'old', id, 'h', 'vl_', :now FROM \"user\""
                    ),
                    {"now": utcnow()},
                )
            upgrade(url, "0007")
            with engine.connect() as conn:
                scopes, expires_at = conn.execute(
                    text("SELECT scopes, expires_at FROM api_token").columns(
                        sa.column("scopes", sa.String()), sa.column("expires_at", UTCDateTime())
                    )
                ).one()
        finally:
            engine.dispose()
    assert scopes == "read write"
    left = as_utc(expires_at) - utcnow()
    assert timedelta(days=89, hours=23) < left <= timedelta(days=90)
