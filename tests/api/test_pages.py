"""The pages shell: security headers, htmx fragments and toasts, error pages, health."""

import pytest

from foundation.accounts import Role
from tests.support.harness import hx, sign_in


def test_security_headers_on_pages(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    for directive in [
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]:
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers  # plain http in tests


def test_hsts_when_served_over_https(client):
    response = client.get("https://testserver/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_static_assets_are_vendored_and_cacheable(client):
    for asset in [
        "/static/vendor/htmx.min.js",
        "/static/vendor/chart.umd.min.js",
        "/static/vendor/pico.min.css",
        "/static/app.js",
        "/static/app.css",
    ]:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "htmx" in client.get("/static/vendor/htmx.min.js").text[:2000].lower()


def test_pages_load_no_remote_scripts_or_inline_script(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    for path in ["/", "/admin/users", "/jobs", "/account/tokens", "/docs", "/login"]:
        html = client.get(path).text
        assert "http://" not in html.replace("http://testserver", "")
        assert "https://" not in html
        assert "<script>" not in html and "onclick=" not in html and "style=" not in html


def test_htmx_gets_a_fragment_and_a_full_request_the_page(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    page = client.get("/jobs")
    fragment = client.get("/jobs", headers={"HX-Request": "true"})
    assert "<html" in page.text and "<html" not in fragment.text
    # Each language's page is its own too (api/locale.py).
    vary = "HX-Request, Accept-Language, Cookie"
    assert page.headers["Vary"] == fragment.headers["Vary"] == vary


def test_errors_are_pages_for_browsers_and_toasts_for_htmx(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.staff))
    page = client.get("/admin/users")
    assert page.status_code == 403 and "<html" in page.text
    assert "You do not have access" in page.text
    toast = client.get("/admin/users", headers=hx(client))
    assert toast.status_code == 403 and 'class="toast error"' in toast.text
    assert toast.headers["HX-Retarget"] == "#toasts"
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "nothing here" in missing.text


@pytest.mark.parametrize("role", list(Role))
def test_home_page_per_role(client, make, db, settings, role):
    sign_in(client, db, settings, make.user(role))
    html = client.get("/").text
    assert ('href="/admin/users"' in html) == (role == Role.admin)
    assert ('href="/jobs"' in html) == (role in (Role.admin, Role.cx_lead))
    assert ('href="/teams/mine"' in html) == (role == Role.team_lead)


def test_team_leader_cannot_read_another_team_by_changing_the_id(client, make, db, settings):
    mine, theirs = make.team(), make.team()
    lead = make.user(Role.team_lead, mine)
    colleague = make.user(Role.staff, theirs)
    sign_in(client, db, settings, lead)
    assert client.get(f"/teams/{mine.id}").status_code == 200
    other = client.get(f"/teams/{theirs.id}")
    assert other.status_code == 404 and colleague.display_name not in other.text
    assert (
        client.get("/teams/mine", follow_redirects=False).headers["location"] == f"/teams/{mine.id}"
    )


def test_health_checks_database_and_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True, "queue": True}


def test_health_reports_a_broken_queue(client, app, monkeypatch):
    monkeypatch.setattr(app.state.queue, "ping", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["queue"] is False
