"""Guide pages: searching as an agent, reading and rating guides, and the CX lead's writing,
publishing, review and archive actions, with the role checks and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session

from coaching.guides import queries as guide_queries
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideStatus, GuideUpdate
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.embeddings import get_embedder
from foundation.settings import get_settings
from ideas.themes.models import Theme
from tests.support.harness import csrf_token, hx, sign_in

LOST_CARD = GuideUpdate(
    title="Replacing a lost or stolen card",
    body="## Freeze it first\nAsk the customer to freeze the card in the app.\n\n"
    "## Order the replacement\nOrder a new card; it arrives in three to five working days.",
)


def published(db: Session, lead: User, data: GuideUpdate = LOST_CARD) -> Guide:
    guide = guide_service.create(db, data, lead)
    guide_service.publish(db, guide, lead, get_embedder(get_settings()), 90)
    db.commit()
    return guide


def test_staff_cannot_write_guides(client, db, make, settings):
    lead = make.user(Role.cx_lead)
    guide = published(db, lead)
    for role in (Role.staff, Role.team_lead):
        sign_in(client, db, settings, make.user(role, make.team()))
        assert client.get("/guides/new").status_code == 403
        assert client.get(f"/guides/{guide.id}/edit").status_code == 403
        form = {"csrf_token": csrf_token(client), "title": "x", "body": "y"}
        assert client.post("/guides", data=form).status_code == 403
        assert client.post(f"/guides/{guide.id}/edit", data=form).status_code == 403
        for action in ("publish", "archive", "reviewed"):
            assert (
                client.post(f"/guides/{guide.id}/{action}", headers=hx(client)).status_code == 403
            )


def test_agents_read_published_guides_only(client, db, make, settings):
    lead = make.user(Role.cx_lead)
    guide = published(db, lead)
    hidden = guide_service.create(db, GuideUpdate(title="Secret draft", body="Not yet."), lead)
    db.commit()
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    page = client.get(f"/guides/{guide.id}")
    assert page.status_code == 200 and "Freeze it first" in page.text
    assert "Edit draft" not in page.text and "Publish" not in page.text
    assert client.get(f"/guides/{hidden.id}").status_code == 404
    assert client.get("/guides/999999").status_code == 404
    assert client.get("/guides/abc").status_code == 422
    page = client.get("/guides")
    assert (
        page.status_code == 200 and "Secret draft" not in page.text and "New guide" not in page.text
    )
    guide_service.archive(db, guide)
    db.commit()
    assert client.get(f"/guides/{guide.id}").status_code == 404


def test_search_as_you_type_and_reuse_counting(client, db, make, settings):
    lead = make.user(Role.cx_lead)
    guide = published(db, lead)
    published(db, lead, GuideUpdate(title="Ordering a cheque book", body="Order it in the app."))
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    page = client.get("/guides")
    assert 'hx-get="/guides/search"' in page.text and "delay:150ms" in page.text
    results = client.get(
        "/guides/search", params={"q": "someone nicked my wallet"}, headers=hx(client)
    )
    assert results.status_code == 200 and "<html" not in results.text
    assert results.headers["Server-Timing"].startswith("search;dur=")
    links = re.findall(r'href="(/guides/\d+)\?from=search"', results.text)
    assert links and links[0] == f"/guides/{guide.id}"
    assert "Ask the customer to freeze the card" in results.text  # a passage, not the title
    marked = client.get("/guides/search", params={"q": "freeze card"}, headers=hx(client))
    assert "<mark>freeze</mark>" in marked.text and "<mark>card</mark>" in marked.text
    # Without JavaScript the plain form lands on the page with the same results.
    fallback = client.get("/guides", params={"q": "freeze card"})
    assert "<mark>freeze</mark>" in fallback.text and "<html" in fallback.text
    assert client.get("/guides/search", params={"q": "f"}, headers=hx(client)).text.strip() == ""
    assert (
        client.get("/guides/search", params={"q": "x" * 201}, headers=hx(client)).status_code == 422
    )
    assert client.get(f"/guides/{guide.id}?from=search").status_code == 200
    client.get(f"/guides/{guide.id}?from=search")
    client.get(f"/guides/{guide.id}")  # a plain open is not a reuse
    db.refresh(guide)
    assert guide.reuses == 2


def test_feedback_is_recorded_and_counted_for_cx(client, db, make, settings):
    lead = make.user(Role.cx_lead)
    guide = published(db, lead)
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    url = f"/guides/{guide.id}/feedback"
    first = client.post(url, data={"helpful": "yes"}, headers=hx(client))
    assert first.status_code == 200 and "you said it helped" in first.text
    assert client.post(url, data={"helpful": "no"}, headers=hx(client)).status_code == 200
    assert client.post(url, data={"helpful": "maybe"}, headers=hx(client)).status_code == 422
    plain = client.post(
        url, data={"csrf_token": csrf_token(client), "helpful": "no"}, follow_redirects=False
    )
    assert plain.status_code == 303
    sign_in(client, db, settings, lead)
    page = client.get(f"/guides/{guide.id}")
    assert "helpful 0, not helpful 1" in page.text


def test_cx_lead_writes_publishes_reviews_and_archives(client, db, make, settings):
    lead = make.user(Role.cx_lead)
    cards = Theme(name="Card arrival", auto_label="Card arrival", keywords=["card", "arrive"])
    db.add(cards)
    db.commit()
    sign_in(client, db, settings, lead)
    new = client.get(f"/guides/new?theme_id={cards.id}")
    assert new.status_code == 200
    # No contact in the theme yet: the draft says so rather than list its keywords.
    assert 'value="Card arrival"' in new.text and "Contacts about Card arrival." in new.text
    assert "card, arrive" not in new.text and "Preview the draft" in new.text
    assert f'value="{cards.id}" checked' in new.text
    assert client.get("/guides/new?theme_id=999999").status_code == 404
    token = csrf_token(client)
    empty = client.post("/guides", data={"csrf_token": token, "title": "", "body": "x"})
    assert empty.status_code == 422 and "This field is required." in empty.text
    bad_theme = client.post(
        "/guides", data={"csrf_token": token, "title": "T", "body": "x", "theme_ids": "abc"}
    )
    assert bad_theme.status_code == 422
    created = client.post(
        "/guides",
        data={
            "csrf_token": token,
            "title": "Card delivery",
            "body": "## Tell them\nFive days.",
            "theme_ids": str(cards.id),
        },
        follow_redirects=False,
    )
    assert created.status_code == 303
    guide_id = int(created.headers["location"].rsplit("/", 1)[1])
    guide = db.get(Guide, guide_id)
    assert guide.status == GuideStatus.draft
    assert guide_queries.for_theme(db, cards.id or 0) == [guide]
    draft_page = client.get(f"/guides/{guide_id}")
    assert "Not published yet" in draft_page.text and "Five days." in draft_page.text
    assert client.post(f"/guides/{guide_id}/publish", headers=hx(client)).status_code == 204
    db.refresh(guide)
    assert guide.status == GuideStatus.published
    assert guide.review_due_on == utcnow().date() + timedelta(days=settings.guide_review_days)
    assert client.post(f"/guides/{guide_id}/publish", headers=hx(client)).status_code == 409
    edited = client.post(
        f"/guides/{guide_id}/edit",
        data={"csrf_token": token, "title": "Card delivery times", "body": "Seven days."},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    assert "not published yet" in client.get(f"/guides/{guide_id}").text
    assert client.post(f"/guides/{guide_id}/publish", headers=hx(client)).status_code == 204
    assert "Version 2" in client.get(f"/guides/{guide_id}").text
    # An overdue review is listed for CX leads, and marking it reviewed clears it.
    guide.review_due_on = utcnow().date() - timedelta(days=1)
    db.add(guide)
    db.commit()
    listing = client.get("/guides").text
    assert "Review overdue" in listing and "Card delivery times" in listing
    assert client.post(f"/guides/{guide_id}/reviewed", headers=hx(client)).status_code == 204
    assert "Review overdue" not in client.get("/guides").text
    assert client.post(f"/guides/{guide_id}/archive", headers=hx(client)).status_code == 204
    db.refresh(guide)
    assert guide.status == GuideStatus.archived
    assert (
        "Card delivery"
        not in client.get("/guides/search", params={"q": "card delivery"}, headers=hx(client)).text
    )
