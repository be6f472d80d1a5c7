"""The guide service: lifecycle, versions, review dates, theme links, feedback and reuse
counts, and drafts started from a theme (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from sqlmodel import Session, select

from coaching.guides import queries as guide_queries
from coaching.guides import service as guide_service
from coaching.guides.models import (
    Guide,
    GuideFeedback,
    GuidePassage,
    GuideStatus,
    GuideUpdate,
    GuideVersion,
)
from coaching.interactions.models import Interaction, Outcome
from foundation.accounts import Role, User
from foundation.embeddings import DIMENSIONS, Embedder, Embedding
from foundation.errors import Conflict, Invalid, NotFound
from ideas.themes.models import DocumentKind, Theme, ThemeMember
from tests.support.coaching import add_agents, add_interaction

TODAY = date(2026, 3, 2)


class FakeEmbedder(Embedder):
    """Deterministic unit vectors: these tests are about bookkeeping, not meaning."""

    model_name = "fake"

    def __init__(self) -> None:
        pass

    def encode(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        rng = np.random.default_rng(len(texts))
        vectors = rng.normal(size=(len(texts), DIMENSIONS)).astype(np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


EMBEDDER = FakeEmbedder()


def ident(row: Guide | Theme | Interaction) -> int:
    assert row.id is not None
    return row.id


def theme(db: Session, name: str = "Card arrival", keywords: list[str] | None = None) -> Theme:
    row = Theme(name=name, auto_label=name, keywords=keywords or ["card", "arrive"])
    db.add(row)
    db.flush()
    return row


def draft(
    db: Session, lead: User, title: str = "Lost cards", theme_ids: list[int] | None = None
) -> Guide:
    body = "## Steps\nFreeze the card.\n\nOrder a new one."
    data = GuideUpdate(title=title, body=body, theme_ids=theme_ids or [])
    return guide_service.create(db, data, lead)


def test_publishing_makes_versions_passages_vectors_and_a_review_date(db, make):
    lead = make.user(Role.cx_lead)
    guide = draft(db, lead)
    assert guide.status == GuideStatus.draft and guide.review_due_on is None
    v1 = guide_service.publish(db, guide, lead, EMBEDDER, 90, today=TODAY)
    assert (v1.number, guide.status, guide.latest_version) == (1, GuideStatus.published, 1)
    assert guide.review_due_on == TODAY + timedelta(days=90)
    with pytest.raises(Conflict):  # nothing changed: no empty version
        guide_service.publish(db, guide, lead, EMBEDDER, 90, today=TODAY)
    guide_service.update_draft(
        db, guide, GuideUpdate(title="Lost and stolen cards", body="Freeze it.")
    )
    latest = guide_queries.latest_version(db, guide)
    assert guide.draft_changed and latest is not None and latest.title == "Lost cards"
    v2 = guide_service.publish(db, guide, lead, EMBEDDER, 30, today=TODAY + timedelta(days=5))
    assert v2.number == 2 and guide.review_due_on == TODAY + timedelta(days=35)
    numbers = db.exec(select(GuideVersion.number).where(GuideVersion.guide_id == guide.id)).all()
    assert sorted(numbers) == [1, 2]
    passages = db.exec(select(GuidePassage).where(GuidePassage.guide_id == guide.id)).all()
    assert [(p.version_id, p.text) for p in passages] == [
        (v2.id, "Lost and stolen cards"),
        (v2.id, "Freeze it."),
    ]
    vectors = db.exec(select(Embedding).where(Embedding.source == guide_queries.SOURCE)).all()
    assert sorted(e.source_id for e in vectors) == sorted(p.id for p in passages)


def test_review_dates_and_the_overdue_list(db, make):
    lead = make.user(Role.cx_lead)
    early, late, archived = (draft(db, lead, t) for t in ("Early", "Late", "Archived"))
    guide_service.publish(db, early, lead, EMBEDDER, 90, today=TODAY)
    guide_service.publish(db, late, lead, EMBEDDER, 90, today=TODAY + timedelta(days=10))
    guide_service.publish(db, archived, lead, EMBEDDER, 90, today=TODAY)
    guide_service.archive(db, archived)
    draft(db, lead, "Never published")
    due = TODAY + timedelta(days=90)
    assert guide_queries.review_overdue(db, due) == []  # due today is not overdue yet
    assert guide_queries.review_overdue(db, due + timedelta(days=1)) == [early]
    assert guide_queries.review_overdue(db, due + timedelta(days=11)) == [early, late]
    assert guide_service.mark_reviewed(
        db, early, 90, today=due + timedelta(days=11)
    ) == due + timedelta(days=101)
    assert guide_queries.review_overdue(db, due + timedelta(days=11)) == [late]
    with pytest.raises(Conflict):
        guide_service.mark_reviewed(db, archived, 90, today=TODAY)


def test_theme_links_and_for_theme(db, make):
    lead = make.user(Role.cx_lead)
    cards, loans = theme(db), theme(db, "Loans")
    first = draft(db, lead, "B guide", theme_ids=[ident(cards), ident(loans)])
    second = draft(db, lead, "A guide", theme_ids=[ident(cards)])
    assert guide_queries.for_theme(db, ident(cards)) == [second, first]
    guide_service.update_draft(
        db, first, GuideUpdate(title="B guide", body="x", theme_ids=[ident(loans)])
    )
    assert guide_queries.for_theme(db, ident(cards)) == [second]
    assert guide_queries.theme_ids(db, first) == [ident(loans)]
    with pytest.raises(Invalid) as bad:
        draft(db, lead, "C", theme_ids=[999_999])
    assert bad.value.field == "theme_ids"


def test_feedback_is_one_answer_per_person(db, make):
    lead, agent, other = make.user(Role.cx_lead), make.user(), make.user()
    guide = draft(db, lead)
    guide_service.publish(db, guide, lead, EMBEDDER, 90, today=TODAY)
    guide_service.set_feedback(db, guide, agent, True)
    guide_service.set_feedback(db, guide, other, True)
    guide_service.set_feedback(db, guide, agent, False)  # changed their mind
    rows = db.exec(select(GuideFeedback).where(GuideFeedback.guide_id == guide.id)).all()
    assert len(rows) == 2
    assert guide_queries.feedback_counts(db, guide) == guide_queries.FeedbackCounts(
        helpful=1, not_helpful=1
    )
    assert guide_queries.my_feedback(db, guide, agent) is False
    assert guide_queries.my_feedback(db, guide, lead) is None


def test_reuse_is_counted_in_sql(db, make):
    lead = make.user(Role.cx_lead)
    guide = draft(db, lead)
    stale = db.get(Guide, guide.id)
    guide_service.count_reuse(db, ident(guide))
    guide_service.count_reuse(db, ident(guide))
    db.refresh(stale)
    assert stale.reuses == 2


def test_who_may_read_what(db, make):
    lead, agent = make.user(Role.cx_lead), make.user(Role.staff)
    guide = draft(db, lead)
    with pytest.raises(NotFound):
        guide_queries.readable(db, ident(guide), agent)
    assert guide_queries.readable(db, ident(guide), lead) is guide
    guide_service.publish(db, guide, lead, EMBEDDER, 90, today=TODAY)
    assert guide_queries.readable(db, ident(guide), agent) is guide
    guide_service.archive(db, guide)
    with pytest.raises(NotFound):
        guide_queries.readable(db, ident(guide), agent)
    with pytest.raises(NotFound):
        guide_queries.get_guide(db, 999_999)


def test_a_draft_from_a_theme_has_its_name_questions_and_best_actions(db, make):
    team = make.team()
    cards = theme(db, keywords=["card", "arrive", "delivery"])
    agents = add_agents(db, 5, prefix="GD-")
    for i in range(10):
        row = add_interaction(
            db,
            agents[i % 5],
            team,
            actions=["card_reissued"] if i < 6 else ["told_to_wait"],
            outcome=Outcome.resolved if i < 5 else Outcome.unresolved,
            csat=5 if i < 5 else 1,
        )
        row.turns = [
            {"speaker": "customer", "text": "My new card has not arrived yet, where is it?"},
            {"speaker": "agent", "text": "I've ordered you a replacement; it arrives in three to "
             "five working days."},
        ]  # fmt: skip
        db.add(
            ThemeMember(
                theme_id=ident(cards),
                kind=DocumentKind.gap,
                source_id=ident(row),
                occurred_at=row.occurred_at,
            )
        )
    db.flush()
    data = guide_service.draft_from_theme(db, ident(cards), min_group_size=2)
    assert data.title == "Card arrival" and data.theme_ids == [ident(cards)]
    # The customers' own question, not the theme's keywords; the agents' answer; no placeholder.
    assert "My new card has not arrived yet, where is it?" in data.body
    assert "card, arrive, delivery" not in data.body
    assert "arrives in three to five working days" in data.body.split("## What to say")[1]
    assert "Confirm what the customer needs" not in data.body
    worked = data.body.split("## What has worked")[1]
    assert "Card reissued: resolved 5 of 6 contacts" in worked
    assert "Told to wait" not in worked  # it never resolved anything
    # Too few agents for the group-size rule: no figures at all.
    assert (
        "What has worked"
        not in guide_service.draft_from_theme(db, ident(cards), min_group_size=50).body
    )
    with pytest.raises(NotFound):
        guide_service.draft_from_theme(db, 999_999, 5)
