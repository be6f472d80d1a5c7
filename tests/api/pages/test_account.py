"""The API tokens page builder: a person's own tokens, with a new secret or a refused name."""

from __future__ import annotations

from api.pages import account as pages
from api.security import create_api_token
from foundation.accounts import Role


def test_the_tokens_page_holds_the_viewers_tokens_and_what_the_form_shows(db, make, settings):
    user, other = make.user(Role.staff), make.user(Role.staff)
    token, secret = create_api_token(db, user, "nightly export")
    create_api_token(db, other, "someone else's")
    page = pages.tokens_page(db, settings, user)
    assert [t.id for t in page.tokens] == [token.id]
    assert page.token_days == settings.api_token_days and page.revoke_base == "/account/tokens"
    assert page.now.tzinfo is not None
    assert (page.name, page.write, page.error, page.secret) == ("", False, None, None)
    created = pages.tokens_page(db, settings, user, secret=secret)
    assert created.secret == secret
    refused = pages.tokens_page(db, settings, user, name=" ", write=True, error="Give a name")
    assert (refused.name, refused.write, refused.error) == (" ", True, "Give a name")
