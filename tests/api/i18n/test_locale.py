"""Which language a page is in: the signed-in user's saved language, else the ``voiceloop_lang``
cookie, else the browser's ``Accept-Language``; the same for htmx fragments, toasts, error pages
and the refusals of the middleware. A stub catalogue stands in for the translators' work, so
these tests show the wiring whatever the catalogues hold."""

from __future__ import annotations

import gettext
from datetime import timedelta

import pytest
from markupsafe import escape

from api.locale import COOKIE
from api.routes.language import NOT_A_LANGUAGE
from api.security import create_api_token
from api.web import NAV
from foundation import i18n
from foundation.accounts import Role, User
from foundation.clock import utcnow
from tests.support.harness import csrf_token, hx, sign_in

# The locale makes no difference to the database: one backend is enough, except where saved.
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
JAPANESE = {
    "Sign in": "サインイン",
    "No jobs yet.": "ジョブはまだありません。",
    "Not found": "見つかりません",
    "Choose one of the languages in the list.": "一覧から言語を選んでください。",
    "Form expired": "フォームの有効期限切れ",
}


class Stub(gettext.NullTranslations):
    def __init__(self, table: dict[str, str]) -> None:
        super().__init__()
        self.table = table

    def gettext(self, message: str) -> str:
        return self.table.get(message, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        chosen = singular if n == 1 else plural
        return self.table.get(chosen, chosen)


@pytest.fixture
def japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Japanese catalogue of a few messages (English stays the identity)."""
    stubs = {"ja": Stub(JAPANESE)}
    monkeypatch.setattr(i18n, "translations", lambda locale: stubs.get(locale, Stub({})))


def html_lang(html: str) -> str:
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


# ------------------------------------------------------------------------ before sign-in
@SQLITE
def test_the_browser_language_picks_the_page_language(client, japanese):
    assert html_lang(client.get("/login").text) == "en-GB"
    page = client.get("/login", headers={"Accept-Language": "ja-JP,ja;q=0.9,en;q=0.5"})
    assert html_lang(page.text) == "ja"
    assert "サインイン" in page.text
    chinese = client.get("/login", headers={"Accept-Language": "zh-CN"})
    assert html_lang(chinese.text) == "zh-Hans"
    assert html_lang(client.get("/login", headers={"Accept-Language": "fr"}).text) == "en-GB"


@SQLITE
def test_pages_vary_on_the_language_headers(client):
    vary = client.get("/login").headers["Vary"]
    assert "Accept-Language" in vary and "Cookie" in vary


@SQLITE
def test_the_switcher_sets_a_cookie_that_beats_the_browser(client, japanese):
    form = {"locale": "ja", "next": "/login?next=/ideas", "csrf_token": csrf_token(client)}
    answer = client.post("/language", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/ideas"
    assert client.cookies[COOKIE] == "ja"
    page = client.get("/login", headers={"Accept-Language": "en"})
    assert html_lang(page.text) == "ja" and "サインイン" in page.text
    # The browser's choice again: the cookie goes.
    form["locale"] = ""
    client.post("/language", data=form, follow_redirects=False)
    assert COOKIE not in client.cookies


@SQLITE
def test_the_sign_in_page_offers_the_switcher_in_each_language_s_own_words(client):
    html = client.get("/login").text
    assert 'action="/language"' in html and '<label for="language-choice">' in html
    for name in ("English", "简体中文", "日本語"):
        assert name in html


@SQLITE
@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/", "/\\evil", ""])
def test_the_switcher_never_sends_anyone_to_another_site(client, target):
    form = {"locale": "ja", "next": target, "csrf_token": csrf_token(client)}
    answer = client.post("/language", data=form, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/"


@SQLITE
def test_the_switcher_refuses_an_unknown_language_with_a_clear_message(client):
    form = {"locale": "klingon", "next": "/login", "csrf_token": csrf_token(client)}
    answer = client.post("/language", data=form, follow_redirects=False)
    assert answer.status_code == 422
    assert "Choose one of the languages in the list." in answer.text
    assert COOKIE not in client.cookies


@SQLITE
def test_the_switcher_needs_the_form_token(client, japanese):
    client.cookies.set(COOKIE, "ja")
    answer = client.post("/language", data={"locale": "en"}, follow_redirects=False)
    assert answer.status_code == 403
    # The refusal comes from the CSRF middleware, inside the locale middleware: in Japanese.
    assert "フォームの有効期限切れ" in answer.text
    assert client.cookies[COOKIE] == "ja"


# ------------------------------------------------------------------------- signed in
@SQLITE
def test_the_saved_language_beats_the_cookie_and_the_browser(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.staff, locale="zh_Hans"))
    client.cookies.set(COOKIE, "ja")
    page = client.get("/", headers={"Accept-Language": "ja"})
    assert html_lang(page.text) == "zh-Hans"


@SQLITE
def test_fragments_error_pages_and_route_messages_follow_the_saved_language(
    client, make, db, settings, japanese
):
    sign_in(client, db, settings, make.user(Role.admin, locale="ja"))
    assert "ジョブはまだありません。" in client.get("/jobs", headers=hx(client)).text
    missing = client.get("/jobs/999999")
    assert missing.status_code == 404 and html_lang(missing.text) == "ja"
    assert "見つかりません" in missing.text
    # A message a route writes (in the thread pool) is in the user's language too.
    refused = client.post("/account/language", data={"locale": "xx"}, headers=hx(client))
    assert refused.status_code == 422 and "一覧から言語を選んでください。" in refused.text


@pytest.mark.parametrize("chosen", ["ja", "zh_Hans", "en"])
def test_the_account_page_saves_the_language(client, make, db, settings, chosen):
    user = make.user(Role.staff)
    sign_in(client, db, settings, user)
    page = client.get("/account")
    assert page.status_code == 200 and '<label for="f-locale">' in page.text
    answer = client.post(
        "/account/language",
        data={"locale": chosen, "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/account?saved=true"
    db.expire_all()
    assert db.get(User, user.id).locale == chosen
    assert client.cookies[COOKIE] == chosen
    saved = client.get("/account?saved=true", headers={"Accept-Language": "fr"})
    assert html_lang(saved.text) == i18n.HTML_LANG[chosen]
    assert f'<option value="{chosen}" lang="{i18n.HTML_LANG[chosen]}" selected>' in saved.text


@SQLITE
def test_the_account_page_refuses_an_unknown_language(client, make, db, settings):
    user = make.user(Role.staff, locale="ja")
    sign_in(client, db, settings, user)
    answer = client.post(
        "/account/language", data={"locale": "fr", "csrf_token": csrf_token(client)}
    )
    assert answer.status_code == 422
    assert 'aria-invalid="true"' in answer.text
    with i18n.use_locale("ja"):  # the page is in the saved language, whatever it holds
        assert str(escape(i18n.gettext(NOT_A_LANGUAGE))) in answer.text
    db.expire_all()
    assert db.get(User, user.id).locale == "ja"


@SQLITE
def test_the_browser_default_clears_the_saved_language(client, make, db, settings):
    user = make.user(Role.staff, locale="ja")
    sign_in(client, db, settings, user)
    client.post("/account/language", data={"locale": "", "csrf_token": csrf_token(client)})
    db.expire_all()
    assert db.get(User, user.id).locale is None
    page = client.get("/account", headers={"Accept-Language": "zh-Hans"})
    assert html_lang(page.text) == "zh-Hans"


@SQLITE
def test_dates_on_a_page_follow_the_language(client, make, db, settings):
    user = make.user(Role.staff, locale="ja")
    create_api_token(db, user, "export", days=30)
    db.commit()
    sign_in(client, db, settings, user)
    today = utcnow()
    expires = today + timedelta(days=30)
    html = client.get("/account/tokens").text
    assert f"{today.year}年{today.month}月{today.day}日" in html
    assert f"{expires.year}年{expires.month}月{expires.day}日" in html


@SQLITE
@pytest.mark.parametrize("locale", i18n.LOCALES)
@pytest.mark.parametrize("role", [Role.admin, Role.team_lead, Role.staff], ids=lambda r: r.value)
def test_every_menu_page_renders_in_each_language(client, make, db, settings, locale, role):
    team = make.team()
    user = make.user(role, team, locale=locale)
    if role == Role.team_lead:
        team.leader_id = user.id
    sign_in(client, db, settings, user)
    menu = [href for _label, href, roles in NAV if role in roles]
    for href in menu:
        page = client.get(href)
        assert page.status_code == 200, (href, page.text[:300])
        assert html_lang(page.text) == i18n.HTML_LANG[locale], href
