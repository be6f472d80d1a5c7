"""The receipt page builders: the new receipt (once), and the idea its token opens."""

from __future__ import annotations

import pytest

from api.pages import receipts as pages
from foundation.accounts import Role
from foundation.errors import NotFound
from ideas.submissions import service as idea_service
from ideas.submissions.models import CommentCreate
from tests.support.ideas import make_idea


def test_a_new_receipt_shows_the_idea_and_its_link(db, make, settings):
    idea, token = make_idea(db, make.user(Role.staff), anonymous=True)
    assert token is not None
    page = pages.new_receipt_page(db, token, lambda t: f"https://x/receipts/{t}", "Card removed")
    assert page.idea.id == idea.id
    assert (page.receipt_url, page.notice) == (f"https://x/receipts/{token}", "Card removed")

    def no_address(token: str) -> str:
        raise AssertionError("an unknown receipt has no address")

    with pytest.raises(NotFound, match="shown once"):
        pages.new_receipt_page(db, "", no_address, None)


def test_the_receipt_page_holds_the_idea_and_its_thread(db, make, settings):
    idea, token = make_idea(db, make.user(Role.staff), body="**Five** days.", anonymous=True)
    assert token is not None
    idea_service.add_comment(
        db, idea, CommentCreate(body="Still waiting"), user=None, from_submitter=True
    )
    page = pages.receipt_page(db, idea, token)
    assert page.idea is idea and page.token == token
    assert "<strong>Five</strong>" in page.body_html
    assert [c.body for c in page.comments] == ["Still waiting"]
    assert page.history == [] and page.merged_into is None
    assert (page.errors, page.notice, page.reply_value) == ({}, None, "")
    refused = pages.receipt_page(db, idea, token, errors={"body": "Empty"}, reply_value=" ")
    assert refused.errors == {"body": "Empty"} and refused.reply_value == " "
