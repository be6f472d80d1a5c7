"""Strings that come from Python pass through gettext when they are shown: domain errors (in the
error handler), form validation messages and enum labels come out in the request's locale, from
a tiny in-memory Japanese catalogue; what is stored or answered to machine clients stays English."""

from __future__ import annotations

import asyncio
import contextvars
import gettext
import io
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from starlette.requests import Request

from api import errors
from api.forms import FormErrors, from_domain, validate
from foundation import i18n
from foundation.accounts import Role, UserCreate
from foundation.errors import Invalid, NotFound
from foundation.i18n import N_, use_locale
from ideas.submissions.models import IdeaCreate, IdeaStatus

JAPANESE: dict[str | tuple[str, str], str | tuple[str]] = {
    "No such idea.": "そのアイデアは見つかりません。",
    "Names are at most %(limit)s characters.": "名前は%(limit)s文字以内にしてください。",
    "Please check these fields: %(fields)s": "次の項目を確認してください: %(fields)s",
    "This field is required.": "この項目は必須です。",
    "must not be empty": "空にはできません",
    ("Use at most %(limit)s character.", "Use at most %(limit)s characters."): (
        "%(limit)s文字以内で入力してください。",
    ),
    "Under review": "検討中",
    "Team leader": "チームリーダー",
}


def catalogue(messages: dict[str | tuple[str, str], str | tuple[str]]) -> gettext.GNUTranslations:
    found = Catalog(locale="ja")
    for msgid, msgstr in messages.items():
        found.add(msgid, msgstr)
    compiled = io.BytesIO()
    write_mo(compiled, found)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


@pytest.fixture(autouse=True)
def japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = catalogue(JAPANESE)

    def translations(locale: str) -> gettext.NullTranslations:
        return fake if locale == "ja" else gettext.NullTranslations()

    monkeypatch.setattr(i18n, "translations", translations)


def request(path: str, *, htmx: bool = False) -> Request:
    headers = [(b"host", b"testserver")] + ([(b"hx-request", b"true")] if htmx else [])
    scope = {
        "type": "http",
        "method": "POST",
        "scheme": "http",
        "server": ("testserver", 80),
        "root_path": "",
        "path": path,
        "query_string": b"",
        "headers": headers,
    }
    return Request(scope)


def handled(path: str, exc: Exception, *, htmx: bool = False) -> str:
    """What the app's handler for ``exc`` answers, run in the current locale. In its own
    thread, with this context copied (so the test's ``use_locale`` holds inside): a browser
    test's Playwright may keep an event loop running in this one."""
    handler = errors._domain_error
    context = contextvars.copy_context()
    with ThreadPoolExecutor(1) as pool:
        coroutine = handler(request(path, htmx=htmx), exc)
        response = pool.submit(context.run, asyncio.run, coroutine).result()
    return bytes(response.body).decode()


def test_a_domain_error_is_translated_where_the_handler_shows_it() -> None:
    exc = NotFound(N_("No such idea."))
    with use_locale("ja"):
        toast = handled("/ideas/1/support", exc, htmx=True)
        api = json.loads(handled("/api/v1/ideas/1", exc))
    assert "そのアイデアは見つかりません。" in toast and "No such idea." not in toast
    # The JSON API keeps English for machine clients, and so does the message logs would see.
    assert api == {"detail": "No such idea."} and exc.message == "No such idea."
    assert "No such idea." in handled("/ideas/1/support", exc, htmx=True)  # English by default


def test_a_domain_error_with_values_fills_the_translated_text() -> None:
    exc = Invalid(
        N_("Names are at most %(limit)s characters."), field="name", params={"limit": 120}
    )
    assert exc.message == "Names are at most 120 characters."
    with use_locale("ja"):
        assert "名前は120文字以内にしてください。" in handled("/themes/1/rename", exc, htmx=True)
        form = from_domain(exc, {"name": "x"})
    assert form.errors == {"name": "名前は120文字以内にしてください。"}


def test_the_fields_to_check_are_named_in_the_locale() -> None:
    found = [{"loc": ["body", "title"], "msg": "Field required", "type": "missing"}]
    with use_locale("ja"):
        response = errors._invalid(request("/ideas", htmx=True), found)
    assert "次の項目を確認してください: title" in bytes(response.body).decode()


def test_form_validation_messages_are_translated_at_validation() -> None:
    values = {"title": "x" * 201, "category_id": "1"}
    with use_locale("ja"), pytest.raises(FormErrors) as refused:
        validate(IdeaCreate, values)
    assert refused.value.errors["title"] == "200文字以内で入力してください。"
    with use_locale("ja"), pytest.raises(FormErrors) as missing:
        validate(IdeaCreate, {"category_id": "1"})
    assert missing.value.errors["title"] == "この項目は必須です。"
    # A validator's own message, raised in English and translated where the form shows it.
    user = {"email": "a@bank.test", "display_name": "  ", "password": "p" * 12, "role": "staff"}
    with use_locale("ja"), pytest.raises(FormErrors) as blank:
        validate(UserCreate, user)
    assert blank.value.errors["display_name"] == "空にはできません"
    with pytest.raises(FormErrors) as english:
        validate(UserCreate, user)
    assert english.value.errors["display_name"] == "Must not be empty"


def test_enum_labels_are_translated_when_read() -> None:
    with use_locale("ja"):
        assert IdeaStatus.under_review.label == "検討中"
        assert Role.team_lead.label == "チームリーダー"
        # Stored texts (notifications, a theme's history) use the English label.
        assert IdeaStatus.under_review.english_label == "Under review"
    assert IdeaStatus.under_review.label == "Under review"
    assert Role.team_lead.label == "Team leader"
