"""The closed loop: support, answers, notifications, merging, moderation, export, API."""

import csv
import io
from datetime import timedelta

from sqlmodel import select

from foundation.accounts import Role
from foundation.clock import utcnow
from ideas.submissions import models as idea_models
from ideas.submissions import moderation as idea_moderation
from ideas.submissions import promise as idea_promise
from ideas.submissions import queries as idea_queries
from ideas.submissions import service as idea_service
from ideas.submissions.models import Idea, IdeaStatus, Notification, StatusChange, Support
from tests.support.harness import csrf_token, hx, sign_in
from tests.support.ideas import idea_form, make_idea


def notes_for(db, user):
    return db.exec(select(Notification).where(Notification.user_id == user.id)).all()


def test_support_is_one_per_user_and_toggles(client, make, db, settings):
    idea, _ = make_idea(db, make.user())
    sign_in(client, db, settings, make.user())
    assert client.post(f"/ideas/{idea.id}/support", headers=hx(client)).status_code == 200
    twice = client.post(f"/ideas/{idea.id}/support", headers=hx(client))
    assert twice.status_code == 409 and "already support" in twice.text
    db.refresh(idea)
    assert idea.support_count == 1
    assert client.post(f"/ideas/{idea.id}/unsupport", headers=hx(client)).status_code == 200
    db.refresh(idea)
    assert idea.support_count == 0


def test_hidden_or_merged_ideas_cannot_be_supported(client, make, db, settings):
    author = make.user()
    hidden, _ = make_idea(db, author, "Hidden idea")
    kept, _ = make_idea(db, author, "Kept idea")
    merged, _ = make_idea(db, author, "Merged idea")
    cx = make.user(Role.cx_lead)
    idea_moderation.hide_idea(db, cx, hidden, "Names a customer")
    idea_moderation.merge(db, cx, merged, kept)
    db.commit()
    sign_in(client, db, settings, make.user())
    response = client.post(f"/ideas/{hidden.id}/support", headers=hx(client))
    assert response.status_code == 404 and "No such idea" in response.text  # as if unknown
    response = client.post(f"/ideas/{merged.id}/support", headers=hx(client))
    assert response.status_code == 409 and f"#{kept.id}" in response.text
    assert db.exec(select(Support)).all() == []


def test_cx_lead_answer_reaches_author_and_supporters(client, make, db, settings):
    author, fan, cx = make.user(), make.user(), make.user(Role.cx_lead)
    idea, _ = make_idea(db, author)
    idea_service.support(db, fan, idea)
    db.commit()
    sign_in(client, db, settings, cx)
    form = {"status": "planned", "response": "We will change the card letter in May."}
    response = client.post(f"/ideas/{idea.id}/status", data=form, headers=hx(client))
    assert response.status_code == 204 and response.headers["HX-Location"] == f"/ideas/{idea.id}"
    db.refresh(idea)
    assert idea.status == IdeaStatus.planned and idea.first_response_at is not None
    for person in (author, fan):
        notes = notes_for(db, person)
        assert len(notes) == 1 and "planned" in notes[0].message
    assert notes_for(db, cx) == []
    sign_in(client, db, settings, author)
    page = client.get(f"/ideas/{idea.id}").text
    assert "We will change the card letter in May." in page
    unread = '<span class="badge new">1<span class="visually-hidden"> unread</span></span>'
    assert unread in client.get("/").text
    read = client.post("/notifications/read", headers=hx(client)).text
    assert 'hx-swap-oob="true">Notifications</a>' in read and unread not in read
    assert unread not in client.get("/").text


def test_status_change_needs_the_role_and_a_response(client, make, db, settings):
    idea, _ = make_idea(db, make.user())
    sign_in(client, db, settings, make.user(Role.team_lead))
    forbidden = client.post(
        f"/ideas/{idea.id}/status", data={"status": "done", "response": "Done"}, headers=hx(client)
    )
    assert forbidden.status_code == 403
    sign_in(client, db, settings, make.user(Role.cx_lead))
    for form in [
        {"status": "done", "response": "   "},
        {"status": "done"},
        {"status": "finished", "response": "ok"},
    ]:
        response = client.post(f"/ideas/{idea.id}/status", data=form, headers=hx(client))
        assert response.status_code == 422
        assert "field-error" in response.text
    db.refresh(idea)
    assert idea.status == IdeaStatus.new
    assert db.exec(select(StatusChange)).all() == []


def test_merge_moves_supporters_without_double_counting(client, make, db, settings):
    a_author, b_author = make.user(), make.user()
    both, only_b, only_a = make.user(), make.user(), make.user()
    a, _ = make_idea(db, a_author, "Keep this one")
    b, _ = make_idea(db, b_author, "Duplicate of it")
    for user, idea in [(both, a), (both, b), (only_b, b), (only_a, a)]:
        idea_service.support(db, user, idea)
    db.commit()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    response = client.post(
        f"/ideas/{b.id}/merge", data={"target_id": str(a.id)}, headers=hx(client)
    )
    assert response.status_code == 204
    db.refresh(a)
    db.refresh(b)
    assert a.support_count == 3 and b.support_count == 0
    assert (b.merged_into_id, b.status) == (a.id, IdeaStatus.duplicate)
    assert any(f"#{a.id}" in n.message for n in notes_for(db, b_author))
    assert f'Merged into <a href="/ideas/{a.id}">' in client.get(f"/ideas/{b.id}").text
    again = client.post(f"/ideas/{a.id}/merge", data={"target_id": str(a.id)}, headers=hx(client))
    assert again.status_code == 422


def test_hidden_idea_leaves_lists_and_search_and_its_author_sees_why(client, make, db, settings):
    author, other = make.user(), make.user()
    idea, _ = make_idea(db, author, "Mrs Smith at 12 High St was rude")
    sign_in(client, db, settings, make.user(Role.cx_lead))
    short = client.post(f"/ideas/{idea.id}/hide", data={"reason": "no"}, headers=hx(client))
    assert short.status_code == 422
    client.post(
        f"/ideas/{idea.id}/hide", data={"reason": "It names a customer"}, headers=hx(client)
    )
    sign_in(client, db, settings, other)
    assert "Mrs Smith" not in client.get("/ideas").text
    assert "Mrs Smith" not in client.get("/ideas?q=Smith").text
    assert client.get(f"/ideas/{idea.id}").status_code == 404
    assert client.get(f"/api/v1/ideas/{idea.id}").status_code == 404
    sign_in(client, db, settings, author)
    assert "It names a customer" in client.get(f"/ideas/{idea.id}").text
    assert any("It names a customer" in n.message for n in notes_for(db, author))


def test_hidden_comment_disappears_for_others_and_its_author_is_told(client, make, db, settings):
    idea, _ = make_idea(db, make.user())
    commenter = make.user()
    sign_in(client, db, settings, commenter)
    client.post(f"/ideas/{idea.id}/comments", data={"body": "Rude remark"}, headers=hx(client))
    comment = idea_queries.comments(db, idea)[0]
    sign_in(client, db, settings, make.user(Role.cx_lead))
    client.post(
        f"/comments/{comment.id}/hide", data={"reason": "Not respectful"}, headers=hx(client)
    )
    sign_in(client, db, settings, make.user())
    assert "Rude remark" not in client.get(f"/ideas/{idea.id}").text
    assert any("Not respectful" in n.message for n in notes_for(db, commenter))
    empty = client.post(f"/ideas/{idea.id}/comments", data={"body": "  "}, headers=hx(client))
    assert empty.status_code == 422 and len(idea_queries.comments(db, idea)) == 0


def test_overdue_ideas_are_highlighted_and_the_answered_share_is_counted(
    client, make, db, settings
):
    author, cx = make.user(), make.user(Role.cx_lead)
    old, _ = make_idea(db, author, "Old unanswered idea")
    answered, _ = make_idea(db, author, "Answered quickly")
    old.created_at = answered.created_at = utcnow() - timedelta(days=30)
    db.add_all([old, answered])
    db.commit()
    idea_service.change_status(
        db,
        cx,
        answered,
        idea_models.StatusUpdate(
            status=idea_models.IdeaStatus.under_review, response="Looking at it"
        ),
    )
    answered.first_response_at = answered.created_at + timedelta(days=2)
    db.add(answered)
    db.commit()
    on_time, due = idea_promise.answered_in_time_share(db, 10, utcnow() - timedelta(days=90))
    assert (on_time, due) == (1, 2)
    sign_in(client, db, settings, cx)
    assert "answer overdue" in client.get("/ideas").text
    assert "Answered in time" in client.get("/").text and "(1 of 2)" in client.get("/").text
    sign_in(client, db, settings, author)
    assert "answer overdue" not in client.get("/ideas").text


def test_browse_filters_sorts_and_searches(client, make, db, settings):
    user, fan = make.user(), make.user()
    a, _ = make_idea(db, user, "Arrears letters arrive three times a week")
    b, _ = make_idea(db, user, "Chat transcripts are lost on transfer")
    idea_service.support(db, fan, b)
    db.commit()
    sign_in(client, db, settings, user)
    html = client.get("/ideas?sort=supported").text
    assert html.index(b.title) < html.index(a.title)
    assert a.title not in client.get("/ideas?q=transcripts").text
    semantic = client.get("/ideas", params={"q": "debt collection mail sent too often"}).text
    assert a.title in semantic  # found by meaning, not by keyword
    assert b.title not in client.get("/ideas?status=done").text
    fragment = client.get("/ideas?sort=newest", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text and fragment.headers["Vary"].startswith("HX-Request")


def test_csv_export_is_for_cx_leads_and_neutralises_formulas(client, make, db, settings):
    make_idea(db, make.user(), '=HYPERLINK("http://evil.test")')
    sign_in(client, db, settings, make.user())
    assert client.get("/ideas/export.csv").status_code == 403
    sign_in(client, db, settings, make.user(Role.cx_lead))
    response = client.get("/ideas/export.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows[0]["title"].startswith("'=")
    assert "author" not in rows[0]


def test_api_create_search_support_comment_and_answer(client, make, db, settings):
    staff, cx = make.user(), make.user(Role.cx_lead)
    sign_in(client, db, settings, staff)
    headers = {"X-CSRFToken": csrf_token(client)}
    created = client.post(
        "/api/v1/ideas",
        headers=headers,
        json={
            "title": "Scam warnings need a simpler script",
            "body": "",
            "kind": "idea",
            "category_id": int(idea_form(db)["category_id"]),
            "anonymous": True,
        },
    )
    assert created.status_code == 201
    body = created.json()
    assert body["receipt_token"] and "author_id" not in body
    idea_id = body["id"]
    assert client.get("/api/v1/ideas", params={"q": "fraud script"}).json()["total"] >= 1
    assert client.post(f"/api/v1/ideas/{idea_id}/support", headers=headers).status_code == 204
    assert client.post(f"/api/v1/ideas/{idea_id}/support", headers=headers).status_code == 409
    comment = client.post(
        f"/api/v1/ideas/{idea_id}/comments", headers=headers, json={"body": "Agree"}
    )
    assert comment.status_code == 201
    answer = {"status": "planned", "response": "Yes"}
    assert (
        client.post(f"/api/v1/ideas/{idea_id}/status", headers=headers, json=answer).status_code
        == 403
    )
    sign_in(client, db, settings, cx)
    headers = {"X-CSRFToken": csrf_token(client)}
    assert (
        client.post(
            f"/api/v1/ideas/{idea_id}/status",
            headers=headers,
            json={"status": "planned", "response": ""},
        ).status_code
        == 422
    )
    ok = client.post(f"/api/v1/ideas/{idea_id}/status", headers=headers, json=answer)
    assert ok.status_code == 200 and ok.json()["status"] == "planned"
    assert client.get("/api/v1/ideas/999999").status_code == 404
    assert db.get(Idea, idea_id).author_id is None


def test_merge_tells_the_duplicates_supporters_and_duplicate_needs_a_merge(
    client, make, db, settings
):
    a, _ = make_idea(db, make.user(), "Keep")
    b, _ = make_idea(db, make.user(), "Repeat")
    fan = make.user()
    idea_service.support(db, fan, b)
    db.commit()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    refused = client.post(
        f"/ideas/{b.id}/status", data={"status": "duplicate", "response": "dup"}, headers=hx(client)
    )
    assert refused.status_code == 422 and "merge it" in refused.text
    client.post(f"/ideas/{b.id}/merge", data={"target_id": str(a.id)}, headers=hx(client))
    assert any(f"#{a.id}" in n.message for n in notes_for(db, fan))


def test_keyword_search_treats_wildcards_literally(client, make, db, settings):
    user = make.user()
    make_idea(db, user, "Refunds take 100% longer than promised")
    make_idea(db, user, "Payments team rota")
    sign_in(client, db, settings, user)
    html = client.get("/api/v1/ideas", params={"q": "%"}).json()
    assert [i["title"] for i in html["items"]] == ["Refunds take 100% longer than promised"]
