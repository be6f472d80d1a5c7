"""Anonymity, proved: after an anonymous submission, a reply through the receipt and an answer,
nothing in any table or log line joins the idea to the person who wrote it."""

import logging
import re
from datetime import datetime

import pytest
from sqlalchemy import select as sa_select

from api.schema import metadata
from foundation.accounts import Role
from ideas.models import Comment, Idea
from tests.conftest import csrf_token, hx, sign_in
from tests.ideas.helpers import idea_form

RECEIPT = re.compile(r'value="http://testserver(/receipts/[^"]+)"')


def submit_anonymously(client, db):
    form = idea_form(
        db,
        title="Targets push us to rush vulnerable customers",
        anonymous="on",
        csrf_token=csrf_token(client),
    )
    response = client.post("/ideas", data=form)
    assert response.status_code == 201
    return RECEIPT.search(response.text).group(1)


def rows_about(db, idea_id):
    """Every row of every table that refers to the idea, as (table, row mapping)."""
    found = []
    for table in metadata.sorted_tables:
        idea_fks = [
            c for c in table.columns if any(fk.column.table.name == "idea" for fk in c.foreign_keys)
        ]
        for row in db.execute(sa_select(table)).mappings():
            if (
                (table.name == "idea" and row["id"] == idea_id)
                or any(row[c.name] == idea_id for c in idea_fks)
                or (
                    table.name == "embedding"
                    and (row["source"], row["source_id"]) == ("idea", idea_id)
                )
                or (table.name == "job" and str(idea_id) in str(row["params"]))
            ):
                found.append((table.name, dict(row)))
    return found


def user_columns(table_name):
    table = metadata.tables[table_name]
    return [
        c.name
        for c in table.columns
        if any(fk.column.table.name == "user" for fk in c.foreign_keys)
    ]


def test_nothing_joins_an_anonymous_idea_to_its_author(client, make, db, settings, caplog):
    caplog.set_level(logging.DEBUG)
    author = make.user(Role.staff, make.team())
    sign_in(client, db, settings, author)
    receipt = submit_anonymously(client, db)
    client.cookies.clear()  # the receipt works without signing in
    reply = client.post(
        f"{receipt}/reply",
        data={"body": "More detail from me"},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_token(client)},
    )
    assert reply.status_code == 201
    sign_in(client, db, settings, make.user(Role.cx_lead))
    idea = db.exec(sa_select(Idea)).scalars().one()
    client.post(
        f"/ideas/{idea.id}/status",
        data={"status": "under_review", "response": "Thank you, looking into it"},
        headers=hx(client),
    )

    db.refresh(idea)
    assert idea.author_id is None and idea.anonymous
    assert (idea.created_at.hour, idea.created_at.minute, idea.created_at.second) == (0, 0, 0)
    identifying = {author.email, author.display_name}
    rows = rows_about(db, idea.id)
    assert {t for t, _ in rows} >= {"idea", "idea_comment", "idea_status_change", "embedding"}
    for table, row in rows:
        for column in user_columns(table):
            assert row[column] != author.id, (table, column)
        for value in row.values():
            assert not any(s in str(value) for s in identifying), (table, value)
    # And from the author's side: no row that names them refers to the idea.
    for table in metadata.sorted_tables:
        for column in user_columns(table.name):
            for row in db.execute(sa_select(table).where(table.c[column] == author.id)).mappings():
                assert idea.id not in [
                    row.get(c.name) for c in table.columns if c.name.endswith("idea_id")
                ], table.name
    # No timestamp finer than the day sits beside the idea (the reply and the embedding too);
    # the CX lead's answer is their own act and keeps its time.
    for table, row in rows:
        if table in ("idea_status_change", "notification"):
            continue
        for name, value in row.items():
            if isinstance(value, datetime) and name != "first_response_at":
                assert (value.hour, value.minute, value.second) == (0, 0, 0), (table, name)
    comment = db.exec(sa_select(Comment)).scalars().one()
    assert comment.author_id is None and comment.from_submitter
    token = receipt.rsplit("/", 1)[1]
    # Every log record of the app; the test's own HTTP client (httpx) logs the URLs it calls.
    for record in [r for r in caplog.records if not r.name.startswith("httpx")]:
        line = record.getMessage()
        assert token not in line and author.email not in line
        assert not re.search(rf"\buser(_id)?[=: ]+{author.id}\b", line)
    assert any("POST /ideas 201" in r.getMessage() for r in caplog.records)  # logs were captured


def test_receipt_shows_status_and_history_without_signing_in(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    receipt = submit_anonymously(client, db)
    idea = db.exec(sa_select(Idea)).scalars().one()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    client.post(
        f"/ideas/{idea.id}/status",
        data={"status": "planned", "response": "Coming in the spring release"},
        headers=hx(client),
    )
    client.cookies.clear()
    page = client.get(receipt)
    assert page.status_code == 200
    assert "Planned" in page.text and "Coming in the spring release" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    view = client.get(f"/ideas/{idea.id}", follow_redirects=False)
    assert view.status_code == 303  # the idea page itself still needs a sign-in


@pytest.mark.parametrize("token", ["forged-token-that-is-long-enough-000", "x", "a" * 300])
def test_forged_receipts_get_a_clear_message_and_change_nothing(client, make, db, settings, token):
    sign_in(client, db, settings, make.user())
    submit_anonymously(client, db)
    client.cookies.clear()
    page = client.get(f"/receipts/{token}")
    assert page.status_code == 404 and "receipt link is not valid" in page.text
    reply = client.post(
        f"/receipts/{token}/reply",
        data={"body": "hello"},
        headers={"X-CSRFToken": csrf_token(client), "HX-Request": "true"},
    )
    assert reply.status_code == 404
    assert db.exec(sa_select(Comment)).scalars().all() == []


def test_cx_lead_view_of_an_anonymous_idea_shows_no_author(client, make, db, settings):
    author = make.user()
    sign_in(client, db, settings, author)
    submit_anonymously(client, db)
    idea = db.exec(sa_select(Idea)).scalars().one()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    html = client.get(f"/ideas/{idea.id}").text
    assert "shared anonymously" in html and author.display_name not in html
    csv_text = client.get("/ideas/export.csv").text
    assert author.display_name not in csv_text and author.email not in csv_text
    api = client.get(f"/api/v1/ideas/{idea.id}").json()
    assert "author_id" not in api and api["anonymous"] is True
