"""Submitting ideas: what is stored, and bad input that changes nothing."""

import pytest
from sqlmodel import col, func, select

from foundation.accounts import Role
from foundation.embeddings import Embedding
from foundation.ids import pk
from ideas.submissions.models import Category, Idea
from tests.support.harness import csrf_token, hx, sign_in
from tests.support.ideas import first_category, idea_form, make_idea


def count(db):
    return db.exec(select(func.count()).select_from(Idea)).one()


def test_named_idea_stores_author_department_and_embedding(client, make, db, settings):
    team = make.team()
    user = make.user(Role.staff, team)
    sign_in(client, db, settings, user)
    form = idea_form(db, csrf_token=csrf_token(client), title="  Direct   debits confuse  ")
    response = client.post("/ideas", data=form, follow_redirects=False)
    assert response.status_code == 303
    idea = db.exec(select(Idea).order_by(col(Idea.id).desc())).first()
    assert response.headers["location"] == f"/ideas/{idea.id}"
    assert (idea.title, idea.author_id, idea.department) == (
        "Direct debits confuse",
        user.id,
        team.department,
    )
    row = db.exec(
        select(Embedding).where(Embedding.source == "idea", Embedding.source_id == idea.id)
    ).one()
    assert len(row.vector) == 384 * 4


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "required"),
        ({"title": "   \t "}, "title", "must not be empty"),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"body": "y" * 10_001}, "body", "at most 10000"),
        ({"category_id": "999999"}, "category_id", "listed categories"),
        ({"category_id": "abc"}, "category_id", "valid integer"),
        ({"stage_id": "999999"}, "stage_id", "listed journey stages"),
        ({"kind": "rant"}, "kind", "Input should be"),
    ],
)
def test_bad_input_is_shown_inline_and_stores_nothing(
    client, make, db, settings, fields, field, message
):
    sign_in(client, db, settings, make.user())
    before = count(db)
    response = client.post("/ideas", data=idea_form(db, **fields), headers=hx(client))
    assert response.status_code == 422
    assert f'id="e-{field}"' in response.text
    assert message.lower() in response.text.lower()
    assert "<html" not in response.text
    assert count(db) == before


def test_retired_category_cannot_be_chosen(client, make, db, settings):
    category = db.exec(select(Category)).first()
    category.active = False
    db.add(category)
    db.commit()
    sign_in(client, db, settings, make.user())
    response = client.post(
        "/ideas", data=idea_form(db, category_id=str(category.id)), headers=hx(client)
    )
    assert response.status_code == 422 and count(db) == 0


def test_markup_in_any_field_is_shown_escaped(client, make, db, settings):
    user = make.user()
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    idea, _ = make_idea(db, user, title=f"Title {script}", body=f"Body {script}")
    sign_in(client, db, settings, user)
    client.post(
        f"/ideas/{idea.id}/comments", data={"body": f"Comment {script}"}, headers=hx(client)
    )
    for page in [f"/ideas/{idea.id}", "/ideas", "/ideas?q=Title"]:
        html = client.get(page).text
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_markdown_subset_renders_and_javascript_links_do_not(client, make, db, settings):
    user = make.user()
    body = "**Bold** and a [link](https://bank.test/x) and [bad](javascript:alert(1))"
    idea, _ = make_idea(db, user, body=body)
    sign_in(client, db, settings, user)
    html = client.get(f"/ideas/{idea.id}").text
    assert "<strong>Bold</strong>" in html and 'href="https://bank.test/x"' in html
    assert 'href="javascript' not in html


def test_similar_suggestions_find_a_near_duplicate_and_skip_hidden(client, make, db, settings):
    user = make.user()
    card, _ = make_idea(db, user, "My replacement debit card has not arrived after two weeks")
    make_idea(db, user, "Canteen coffee machine is broken", body="Please fix it.")
    sign_in(client, db, settings, user)
    html = client.get(
        "/ideas/similar",
        params={"title": "new card still not delivered"},
        headers={"HX-Request": "true"},
    ).text
    assert f'href="/ideas/{card.id}"' in html and "Support this instead" in html
    assert "coffee" not in html
    card.hidden_reason = "Named a customer"
    db.add(card)
    db.commit()
    html = client.get(
        "/ideas/similar",
        params={"title": "new card still not delivered"},
        headers={"HX-Request": "true"},
    ).text
    assert f'href="/ideas/{card.id}"' not in html


def test_support_this_instead_from_a_suggestion(client, make, db, settings):
    author, agent = make.user(), make.user()
    idea, _ = make_idea(db, author)
    sign_in(client, db, settings, agent)
    response = client.post(f"/ideas/{idea.id}/support?from=suggestion", headers=hx(client))
    assert response.status_code == 200 and "you now support" in response.text
    db.refresh(idea)
    assert idea.support_count == 1
    assert first_category(db) is not None


def test_admin_curates_the_lists(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    added = client.post(
        "/admin/lists/categories", data={"name": " Branch  referrals "}, headers=hx(client)
    )
    assert added.status_code == 201 and "Branch referrals" in added.text
    dup = client.post(
        "/admin/lists/categories", data={"name": "branch referrals"}, headers=hx(client)
    )
    assert dup.status_code == 422 and "already in the list" in dup.text
    empty = client.post("/admin/lists/stages", data={"name": "  "}, headers=hx(client))
    assert empty.status_code == 422
    assert (
        client.post("/admin/lists/colours", data={"name": "Red"}, headers=hx(client)).status_code
        == 404
    )
    category = db.exec(select(Category).where(Category.name == "Branch referrals")).one()
    client.post(
        f"/admin/lists/categories/{category.id}/active",
        data={"active": "false"},
        headers=hx(client),
    )
    db.refresh(category)
    assert category.active is False
    sign_in(client, db, settings, make.user())
    assert "Branch referrals" not in client.get("/ideas/new").text


def test_the_ideas_api_is_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in [
        "/api/v1/ideas",
        "/api/v1/ideas/{idea_id}",
        "/api/v1/ideas/{idea_id}/support",
        "/api/v1/ideas/{idea_id}/comments",
        "/api/v1/ideas/{idea_id}/status",
    ]:
        assert path in paths


def test_random_idea_ids_never_collide(make, db, monkeypatch):
    """Ids are drawn blind; a flush draws again for one already stored or drawn twice."""
    user = make.user(Role.staff, make.team())
    category = pk(first_category(db))

    def idea(id_: int) -> Idea:
        return Idea(id=id_, title="Clash", category_id=category, author_id=user.id)

    db.add(idea(123_456_789))
    db.flush()
    draws = iter([123_456_789, 987_654_321, 987_654_321, 555_555_555])
    monkeypatch.setattr("ideas.submissions.models.random_id", lambda: next(draws))
    clashing = [idea(123_456_789), idea(123_456_789)]  # one stored, and both the same
    db.add_all(clashing)
    db.flush()
    assert sorted(pk(i) for i in clashing) == [555_555_555, 987_654_321]
    assert count(db) == 3
