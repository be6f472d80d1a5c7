"""Customer details that staff paste into ideas, comments and answers are replaced by
placeholders before anything is stored, and the author is told why."""

from sqlalchemy import select as sa_select
from sqlmodel import col

from api.schema import metadata
from foundation.accounts import Role
from ideas.submissions.models import Comment, Idea, Notification, StatusChange
from tests.support.harness import hx, sign_in
from tests.support.ideas import idea_form, make_idea

CARD = "4539 1488 0343 6467"
PHONE = "07700 900461"
EMAIL = "mrs.jones@example.com"


def stored_anywhere(db, value: str) -> list[str]:
    """Every table whose rows hold ``value`` anywhere."""
    return [
        table.name
        for table in metadata.sorted_tables
        for row in db.execute(sa_select(table)).mappings()
        if any(value in str(v) for v in row.values())
    ]


def test_a_card_and_a_phone_in_an_idea_become_placeholders_and_the_author_is_told(
    client, make, db, settings
):
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    form = idea_form(
        db,
        title=f"Customer read out card {CARD}",
        body=f"She asked us to call back on {PHONE} about the dispute.",
    )
    page = client.post("/ideas", data=form, headers={"X-CSRFToken": hx(client)["X-CSRFToken"]})
    assert page.status_code == 200 and "?removed=CARD,PHONE" in str(page.url)
    assert "we replaced what looked like a card number and a phone number" in page.text
    idea = db.exec(sa_select(Idea)).scalars().one()
    assert idea.title == "Customer read out card [CARD]"
    assert idea.body == "She asked us to call back on [PHONE] about the dispute."
    assert stored_anywhere(db, CARD) == [] and stored_anywhere(db, PHONE) == []


def test_an_anonymous_submitter_is_told_on_the_receipt_page(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    form = idea_form(db, title="Callback numbers", body=f"Like {PHONE}", anonymous="on")
    page = client.post("/ideas", data=form, headers={"X-CSRFToken": hx(client)["X-CSRFToken"]})
    assert page.url.path == "/receipts/new" and "a phone number" in page.text
    assert stored_anywhere(db, PHONE) == []


def test_comments_answers_and_replies_are_redacted_too(client, make, db, settings):
    author = make.user(Role.staff, make.team())
    idea, receipt = make_idea(db, author, anonymous=True)
    sign_in(client, db, settings, make.user(Role.staff))
    said = client.post(
        f"/ideas/{idea.id}/comments", data={"body": f"Email {EMAIL} had it"}, headers=hx(client)
    )
    assert said.status_code == 201 and "an email address" in said.text
    lead = make.user(Role.cx_lead)
    sign_in(client, db, settings, lead)
    answer = client.post(
        f"/ideas/{idea.id}/status",
        data={"status": "under_review", "response": f"Call me on {PHONE}"},
        headers=hx(client),
    )
    assert answer.status_code == 204 and "removed=PHONE" in answer.headers["HX-Location"]
    client.cookies.clear()
    reply = client.post(
        f"/receipts/{receipt}/reply",
        data={"body": f"My card {CARD}"},
        headers={"HX-Request": "true", "X-CSRFToken": hx(client)["X-CSRFToken"]},
    )
    assert reply.status_code == 201 and "a card number" in reply.text
    bodies = {c.body for c in db.exec(sa_select(Comment)).scalars()}
    assert bodies == {"Email [EMAIL] had it", "My card [CARD]"}
    assert db.exec(sa_select(col(StatusChange.response))).scalars().all() == ["Call me on [PHONE]"]
    for value in (CARD, PHONE, EMAIL):
        assert stored_anywhere(db, value) == [], value
    notes = db.exec(sa_select(col(Notification.message))).scalars().all()
    assert all(PHONE not in n for n in notes)


def test_the_api_says_which_details_it_replaced(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    form = idea_form(db, title=f"Card {CARD}", body=f"and {EMAIL}")
    data = {"title": form["title"], "body": form["body"], "category_id": int(form["category_id"])}
    sent = client.post("/api/v1/ideas", json=data, headers=hx(client))
    assert sent.status_code == 201
    assert sent.json()["removed"] == ["CARD", "EMAIL"]
    assert sent.json()["title"] == "Card [CARD]"


def test_ordinary_numbers_are_left_alone(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    form = idea_form(db, title="Wait times of 45 minutes", body="On 12 March, 230 calls waited.")
    page = client.post("/ideas", data=form, headers={"X-CSRFToken": hx(client)["X-CSRFToken"]})
    assert "removed" not in str(page.url) and "we replaced" not in page.text
    idea = db.exec(sa_select(Idea)).scalars().one()
    assert (idea.title, idea.body) == (form["title"], form["body"])


def test_an_identity_number_is_named_in_the_notice():
    from ideas.submissions.customer_details import removed_details, without_customer_details

    typed = "客户的身份证号是11010519491231002X，请核实"
    stored = without_customer_details(typed)
    assert "11010519491231002X" not in stored
    assert removed_details(typed, stored) == ["ID_NUMBER"]
