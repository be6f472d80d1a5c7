"""Titles and names people type must show something, and no text keeps a bidirectional control:
idea titles and bodies, comments, coaching module and guide titles, theme renames, team and user
names, token names. Unit cases for ``foundation.text`` first, then through the real app."""

import pytest
from sqlmodel import select

from api.security import create_api_token
from coaching.guides.models import Guide
from coaching.modules.models import CoachingModule
from foundation.accounts import Role, Team, User
from foundation.text import clean_line, clean_text
from ideas.submissions.models import Idea
from ideas.themes.models import Theme
from tests.support.harness import csrf_token, hx, sign_in
from tests.support.ideas import first_category

INVISIBLE = [
    "\u200b",
    "\u200b\u200c\u200d",
    "\u2060\ufeff",
    " \u200b \u2060 ",
    "\u202e",
    "\u202a\u202b\u202c\u202d\u202e",
    "\u2066\u2067\u2068\u2069",
    "\u200e\u200f",
    "\u0301\u0301",  # combining marks with nothing to sit on
    "\x00\x07",
]
OVERRIDDEN = "Refund \u202etxt.exe\u202c delays \u2067x\u2069"
STRIPPED = "Refund txt.exe delays x"


# ------------------------------------------------------------------------------------ helper
@pytest.mark.parametrize("value", INVISIBLE)
def test_nothing_visible_is_refused(value):
    with pytest.raises(ValueError, match="must"):
        clean_line(value)


def test_bidi_controls_are_stripped_and_white_space_collapsed():
    assert clean_line(OVERRIDDEN) == STRIPPED
    assert clean_line("  two\t words \n") == "two words"
    assert clean_line("caf\u00e9 \u2764\ufe0f \U0001f469\u200d\U0001f4bb") == (
        "caf\u00e9 \u2764\ufe0f \U0001f469\u200d\U0001f4bb"  # joiners inside emoji stay
    )


def test_bodies_keep_their_lines_but_lose_controls():
    assert clean_text("first\r\nsecond \u202eline\u202c\n\nthird\x00 ") == (
        "first\nsecond line\n\nthird"
    )


# -------------------------------------------------------------------------- through the app
@pytest.fixture
def writer(client, make, db):
    """An admin's read-write token: the API's rules are the pages' rules."""
    _, secret = create_api_token(db, make.user(Role.admin, make.team()), "titles")
    db.commit()
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("title", INVISIBLE)
def test_idea_titles_need_visible_characters(client, db, writer, title):
    idea = {"title": title, "body": "Body", "category_id": first_category(db).id}
    response = client.post("/api/v1/ideas", json=idea, headers=writer)
    assert response.status_code == 422, response.text[:200]
    assert response.json()["detail"][0]["loc"] == ["body", "title"]


def test_ideas_and_comments_lose_bidi_controls(client, db, writer):
    idea = {
        "title": OVERRIDDEN,
        "body": "Line one \u202eevil\u202c\nline two",
        "category_id": first_category(db).id,
    }
    created = client.post("/api/v1/ideas", json=idea, headers=writer)
    assert created.status_code == 201, created.text[:200]
    stored = db.get(Idea, created.json()["id"])
    assert stored.title == STRIPPED and stored.body == "Line one evil\nline two"
    comment = client.post(
        f"/api/v1/ideas/{stored.id}/comments",
        json={"body": "Agreed \u2066really\u2069"},
        headers=writer,
    )
    assert comment.status_code == 201 and comment.json()["body"] == "Agreed really"
    empty = client.post(
        f"/api/v1/ideas/{stored.id}/comments", json={"body": "\u202e\u202c"}, headers=writer
    )
    assert empty.status_code == 422


def test_user_and_team_names_need_visible_characters(client, db, writer):
    for name in ["\u200b\u200c", "\u202e"]:
        user = {"email": "z@bank.test", "display_name": name, "password": "twelve chars ok"}
        assert client.post("/api/v1/users", json=user, headers=writer).status_code == 422
    user = {"email": "z@bank.test", "display_name": OVERRIDDEN, "password": "twelve chars ok"}
    created = client.post("/api/v1/users", json=user, headers=writer)
    assert created.status_code == 201 and created.json()["display_name"] == STRIPPED


def test_team_names_on_the_admin_page(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    refused = client.post(
        "/admin/teams", data={"name": "\u2060\ufeff", "department": "Cards"}, headers=hx(client)
    )
    assert refused.status_code == 422
    made = client.post(
        "/admin/teams",
        data={"name": OVERRIDDEN, "department": "Cards", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert made.status_code == 303
    assert db.exec(select(Team).where(Team.name == STRIPPED)).one()


def test_admin_edits_of_user_names_are_cleaned(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    person = make.user()
    form = {"display_name": "\u200d", "email": person.email, "role": "staff"}
    response = client.post(f"/admin/users/{person.id}", data=form, headers=hx(client))
    assert response.status_code == 422
    db.refresh(person)
    assert db.get(User, person.id).display_name != "\u200d"


def test_module_and_guide_titles(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.cx_lead))
    for path in ["/coaching/modules", "/guides"]:
        form = {"title": "\u200b\u202e", "body": "Some guidance."}
        response = client.post(path, data=form, headers=hx(client))
        assert response.status_code == 422, (path, response.status_code)
    client.post("/coaching/modules", data={"title": OVERRIDDEN}, headers=hx(client))
    client.post("/guides", data={"title": OVERRIDDEN, "body": "Do \u202ethis"}, headers=hx(client))
    module = db.exec(select(CoachingModule)).one()
    guide = db.exec(select(Guide)).one()
    assert module.title == STRIPPED
    assert guide.title == STRIPPED and guide.body == "Do this"


def test_theme_renames(client, make, db, settings):
    theme = Theme(name="Cards", auto_label="Cards")
    db.add(theme)
    db.flush()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    url = f"/themes/{theme.id}/rename"
    for name in ["\u200b", "\u2066\u2069"]:
        assert client.post(url, data={"name": name}, headers=hx(client)).status_code == 422
    ok = client.post(url, data={"name": OVERRIDDEN}, headers=hx(client))
    assert ok.status_code in (200, 204)
    db.refresh(theme)
    assert theme.name == STRIPPED
