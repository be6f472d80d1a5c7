"""Guide search on real guides and the real embedding model (SQLite and PostgreSQL): semantic
and keyword matches, only the latest text of published guides, and safe highlighting."""

from __future__ import annotations

from datetime import date

import numpy as np
from sqlmodel import Session

from api.presentation import highlight
from coaching.guides import queries as guide_queries
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideUpdate
from coaching.guides.search import GuideIndex, Hit, query_terms, snippet, tokens
from foundation.accounts import Role, User
from foundation.embeddings import Embedder, get_embedder
from foundation.settings import get_settings

TODAY = date(2026, 3, 2)
LOST_CARD = (
    "Replacing a lost or stolen card",
    "## Freeze it first\nAsk the customer to freeze the card in the app, or freeze it for them "
    "after security checks.\n\n## Order the replacement\nCancel the old card and order a new one: "
    "it arrives in three to five working days. Offer emergency cash if they are abroad.",
)
OTHERS = (
    (
        "Ordering a cheque book",
        "Cheque books are ordered in the app or by post. They arrive in seven days.",
    ),
    (
        "Disputing a direct debit",
        "## The guarantee\nUnder the Direct Debit Guarantee the bank "
        "refunds a payment taken in error at once. Raise the claim on the customer's behalf.",
    ),
    (
        "Sending a CHAPS payment",
        "Same-day high-value payments go by CHAPS before 3pm; the fee is "
        "shown before the customer confirms.",
    ),
    (
        "Changing a home address",
        "Verify the customer, then update the address; send a letter "
        "to the old and the new address.",
    ),
)


def publish(db: Session, lead: User, title: str, body: str) -> Guide:
    guide = guide_service.create(db, GuideUpdate(title=title, body=body), lead)
    guide_service.publish(db, guide, lead, get_embedder(get_settings()), 90, today=TODAY)
    return guide


def library(db: Session, make) -> tuple[User, Guide, list[Guide]]:
    lead = make.user(Role.cx_lead)
    card = publish(db, lead, *LOST_CARD)
    return lead, card, [publish(db, lead, t, b) for t, b in OTHERS]


def search(db: Session, query: str, index: GuideIndex | None = None) -> list[Hit]:
    index = index or GuideIndex(get_embedder(get_settings()).model_name)
    return index.search(db, get_embedder(get_settings()), query)


def test_a_query_in_other_words_finds_the_guide(db, make):
    _, card, _ = library(db, make)
    hits = search(db, "someone nicked my wallet")
    assert hits and hits[0].guide_id == card.id
    assert hits[0].title == LOST_CARD[0]
    assert len({h.guide_id for h in hits}) == len(hits)  # one result per guide


def test_a_chinese_or_japanese_query_finds_the_english_guide(db, make):
    """Agents in Shanghai and Tokyo search the same English guides in their own words: the
    query is placed among the English passages (foundation.crosslingual)."""
    _, card, others = library(db, make)
    lost = ("客户的银行卡丢了，需要冻结并补办新卡", "カードを紛失したので凍結して再発行したい")
    for query in lost:
        hits = search(db, query)
        assert hits and hits[0].guide_id == card.id, query
    chaps = search(db, "当天的大额转账要在下午三点前通过CHAPS汇出")
    assert chaps and chaps[0].guide_id == others[2].id


def test_one_common_word_of_a_long_query_does_not_outrank_the_meaning(db, make):
    lead, card, _ = library(db, make)
    body = "Check the sort code and account number; a bank transfer can be held for checks."
    publish(db, lead, "Bank transfer not received", body)
    hits = search(db, "someone nicked my purse with my bank card in it")
    assert hits[0].guide_id == card.id


def test_keywords_find_a_passage_and_the_best_passage_is_shown(db, make):
    _, card, others = library(db, make)
    chaps = others[2]
    hits = search(db, "chaps fee")
    assert hits[0].guide_id == chaps.id and "CHAPS" in hits[0].text
    top = search(db, "emergency cash abroad")[0]
    assert top.guide_id == card.id
    assert top.heading == "Order the replacement" and "emergency cash" in top.text


def test_a_word_still_being_typed_matches_by_prefix(db, make):
    library(db, make)
    snap_index = GuideIndex(get_embedder(get_settings()).model_name)
    snap_index.refresh(db)
    terms = query_terms(snap_index._snapshot, "direct deb")
    assert "debit" in terms and "deb" in terms
    assert query_terms(snap_index._snapshot, "direct deb ") == ["direct", "deb"]


def test_drafts_and_archived_guides_never_appear(db, make):
    lead, card, _ = library(db, make)
    guide_service.create(
        db, GuideUpdate(title="Lost card draft", body="Stolen wallet, lost card."), lead
    )
    index = GuideIndex(get_embedder(get_settings()).model_name)
    assert all(h.title != "Lost card draft" for h in search(db, "lost card", index))
    guide_service.archive(db, card)
    hits = search(db, "someone nicked my wallet", index)  # the same index notices the archive
    assert card.id not in {h.guide_id for h in hits}
    assert all(h.title != "Lost card draft" for h in search(db, "lost card", index))


def test_a_new_version_replaces_the_searched_text(db, make):
    lead, _, others = library(db, make)
    address = others[3]
    index = GuideIndex(get_embedder(get_settings()).model_name)
    assert search(db, "letter old address", index)[0].guide_id == address.id
    guide_service.update_draft(
        db,
        address,
        GuideUpdate(
            title="Changing a home address",
            body="Check the new postcode with the customer and confirm by text message.",
        ),
    )
    # Not published yet: readers and search keep version 1.
    assert all("postcode" not in h.text for h in search(db, "confirm postcode", index))
    guide_service.publish(db, address, lead, get_embedder(get_settings()), 90, today=TODAY)
    assert [v.number for v in guide_queries.versions(db, address)] == [2, 1]
    top = search(db, "confirm postcode text message", index)[0]
    assert top.guide_id == address.id and "postcode" in top.text
    passages = [h.text for h in search(db, "letter old address", index) if h.guide_id == address.id]
    assert all("letter" not in p for p in passages)


def test_short_queries_show_nothing_and_query_vectors_are_cached(db, make):
    library(db, make)

    class Counting(Embedder):
        def __init__(self, inner: Embedder) -> None:
            self.inner, self.calls, self.model_name = inner, 0, inner.model_name

        def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
            self.calls += 1
            return self.inner.encode(texts, batch_size)

    counting = Counting(get_embedder(get_settings()))
    index = GuideIndex(counting.model_name)
    assert index.search(db, counting, "c") == [] and index.search(db, counting, "  ") == []
    first = index.search(db, counting, "cheque book")
    again = index.search(db, counting, "Cheque  book ")
    assert first == again and counting.calls == 1


def test_tokens_and_passages():
    assert tokens("Where are my Cards? I'm abroad!") == ["card", "abroad"]
    pairs = guide_service.split_passages(
        "Title", "Intro line.\n\n## Step one\n- Do **this**\n- Then that"
    )
    assert pairs == [("", "Title"), ("", "Intro line."), ("Step one", "Do this Then that")]
    assert guide_service.passage_text("Title", "Step one", "Do this") == "Title - Step one: Do this"


def test_highlight_escapes_first_then_marks():
    html = str(highlight("<b>Stolen</b> card & amp", "stolen amp"))
    assert html == "&lt;b&gt;<mark>Stolen</mark>&lt;/b&gt; card &amp; <mark>amp</mark>"
    assert "<mark>" not in str(highlight("a card", "<mark>"))
    long = "word " * 100 + "the stolen card " + "word " * 100
    cut = snippet(long, "stolen")
    assert "stolen" in cut and len(cut) <= 290 and cut.startswith("…")
