"""Sign-in, sessions and throttling."""

from datetime import timedelta

import pytest
from sqlmodel import select

from api.models import LoginAttempt, UserSession
from api.security import SESSION_COOKIE, digest, password_hasher
from foundation.accounts import Role
from foundation.clock import as_utc, utcnow
from tests.support.harness import PASSWORD, csrf_token, hx, sign_in, use_session
from tests.support.ideas import idea_form


def login(client, email, password=PASSWORD, **extra):
    data = {"email": email, "password": password, "csrf_token": csrf_token(client), **extra}
    return client.post("/login", data=data, follow_redirects=False)


def test_login_success_sets_http_only_session_and_redirects(client, make, db):
    user = make.user()
    response = login(client, user.email.upper(), next="/account/tokens")
    assert response.status_code == 303
    assert response.headers["location"] == "/account/tokens"
    cookie = response.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    token = client.cookies[SESSION_COOKIE]
    assert len(token) >= 32  # at least 128 bits of randomness, url-safe
    row = db.get(UserSession, digest(token))
    assert row is not None and row.user_id == user.id
    assert db.exec(select(UserSession).where(UserSession.id_hash == token)).first() is None
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.test/", "//evil.test/x", "/\\evil.test"])
def test_login_never_redirects_off_site(client, make, target):
    user = make.user()
    assert login(client, user.email, next=target).headers["location"] == "/"


@pytest.mark.parametrize("case", ["wrong password", "unknown user", "disabled user", "empty"])
def test_bad_credentials_get_one_clear_message_and_no_session(client, make, db, case):
    user = make.user(is_active=case != "disabled user")
    email = {"unknown user": "nobody@bank.test", "empty": ""}.get(case, user.email)
    password = {"wrong password": "wrong password!!", "empty": ""}.get(case, PASSWORD)
    response = login(client, email, password)
    assert response.status_code in (401, 422)
    assert SESSION_COOKIE not in client.cookies
    if case == "empty":
        assert "Enter your email and password" in response.text
    else:
        assert "do not match an active account" in response.text
    assert db.exec(select(UserSession)).all() == []


def test_session_id_rotates_at_login(client, make, db, settings):
    user = make.user()
    old = sign_in(client, db, settings, user)
    response = login(client, user.email)
    new = client.cookies[SESSION_COOKIE]
    assert response.status_code == 303 and new != old
    assert db.get(UserSession, digest(old)) is None
    assert db.get(UserSession, digest(new)) is not None


def test_logout_ends_the_session_on_the_server(client, make, db, settings):
    token = sign_in(client, db, settings, make.user())
    response = client.post(
        "/logout", headers={"X-CSRFToken": csrf_token(client)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert db.get(UserSession, digest(token)) is None
    use_session(client, token)  # replaying the old cookie does not work
    assert client.get("/", follow_redirects=False).status_code == 303


def test_disabling_an_account_ends_all_its_sessions(client, make, db, settings):
    admin = make.user(Role.admin)
    victim = make.user()
    other = sign_in(client, db, settings, victim)
    sign_in(client, db, settings, admin)
    form = {
        "display_name": victim.display_name,
        "email": victim.email,
        "role": "staff",
        "csrf_token": csrf_token(client),
    }  # no is_active: the switch is off
    response = client.post(f"/admin/users/{victim.id}", data=form, follow_redirects=False)
    assert response.status_code == 303
    db.refresh(victim)
    assert victim.is_active is False
    assert db.get(UserSession, digest(other)) is None
    use_session(client, other)
    assert client.get("/api/v1/me").status_code == 401


@pytest.mark.parametrize("expiry", ["idle", "absolute"])
def test_expired_sessions_are_refused(client, make, db, settings, expiry):
    token = sign_in(client, db, settings, make.user())
    row = db.get(UserSession, digest(token))
    if expiry == "idle":
        row.last_seen_at -= timedelta(minutes=settings.session_idle_minutes + 1)
    else:
        row.expires_at = row.created_at + timedelta(seconds=1)
        row.created_at -= timedelta(hours=settings.session_absolute_hours)
        row.expires_at -= timedelta(hours=settings.session_absolute_hours)
    db.add(row)
    db.commit()
    assert client.get("/api/v1/me").status_code == 401
    page = client.get("/admin/users", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_sixth_wrong_password_is_refused_without_verifying_a_hash(client, make, db, monkeypatch):
    user = make.user()
    calls = []
    hasher = password_hasher()
    real_verify = hasher.verify

    def counted_verify(*a, **k):
        calls.append(1)
        return real_verify(*a, **k)

    monkeypatch.setattr(hasher, "verify", counted_verify)
    for _ in range(5):
        assert login(client, user.email, "not the password").status_code == 401
    assert len(calls) == 5
    sixth = login(client, user.email, "not the password")
    assert sixth.status_code == 429
    assert "Too many failed sign-ins" in sixth.text
    assert len(calls) == 5  # refused before any hash was computed
    # Even the right password is refused while the account is throttled.
    assert login(client, user.email).status_code == 429
    assert SESSION_COOKIE not in client.cookies
    # Every attempt is recorded before it is decided, refused ones too; none by email or address.
    attempts = db.exec(select(LoginAttempt)).all()
    assert len(attempts) == 7
    assert all(user.email not in str(a) and "testclient" not in str(a) for a in attempts)


def test_throttling_per_ip_covers_many_accounts(client, make, settings):
    settings.login_max_failures_per_ip = 3
    users = [make.user() for _ in range(4)]
    for user in users[:3]:
        assert login(client, user.email, "nope nope nope").status_code == 401
    assert login(client, users[3].email).status_code == 429


def test_a_successful_login_clears_the_account_failures(client, make, db):
    user, other = make.user(), make.user()
    for _ in range(3):
        login(client, user.email, "nope nope nope")
    login(client, other.email, "nope nope nope")
    assert len(db.exec(select(LoginAttempt)).all()) == 4
    assert login(client, user.email).status_code == 303
    assert len(db.exec(select(LoginAttempt)).all()) == 1  # the other account's failure stays


def test_pages_redirect_to_login_and_api_answers_401(client):
    page = client.get("/admin/users", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/admin/users"
    htmx = client.get("/jobs", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")
    api = client.get("/api/v1/me")
    assert api.status_code == 401 and api.json() == {"detail": "Please sign in"}


def test_activity_keeps_a_session_alive_and_is_kept_to_the_minute(client, make, db, settings):
    token = sign_in(client, db, settings, make.user(Role.staff, make.team()))
    row = db.get(UserSession, digest(token))
    row.last_seen_at -= timedelta(minutes=settings.session_idle_minutes - 1)
    db.add(row)
    db.commit()
    assert client.get("/").status_code == 200  # a page view records the activity afterwards
    db.refresh(row)
    assert utcnow() - as_utc(row.last_seen_at) < timedelta(minutes=1)
    assert (row.last_seen_at.second, row.last_seen_at.microsecond) == (0, 0)


def test_submitting_an_idea_never_touches_the_session(client, make, db, settings):
    """Named or anonymous: the request that stores an idea leaves the author's session row as
    it was (``api.deps.QUIET_ROUTES``), so the row cannot date the submission."""
    token = sign_in(client, db, settings, make.user(Role.staff, make.team()))
    row = db.get(UserSession, digest(token))
    row.last_seen_at -= timedelta(minutes=5)
    db.add(row)
    db.commit()
    before = row.last_seen_at
    for anonymous in ("", "on"):
        form = idea_form(db, title=f"Idea {anonymous}", anonymous=anonymous)
        sent = client.post("/ideas", data=form, headers=hx(client))
        assert sent.status_code == 204
        db.refresh(row)
        assert row.last_seen_at == before
