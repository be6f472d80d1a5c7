"""The demo ideas: loaded once into a fresh, migrated SQLite file through ``demo.loader.load_demo``
(the real embedding model; ``demo_engine`` in conftest.py), then checked for what the pages and the
clustering rely on. The Shanghai and Tokyo teams' ideas are among them (``demo.loader.DEMO_SEEDS``);
test_demo_cjk.py checks their languages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from demo.loader import DEMO_SEEDS, load_demo
from foundation.accounts import User
from foundation.clock import as_utc, utcnow
from foundation.db import session_scope
from foundation.embeddings import Embedder, Embedding, get_embedder
from foundation.settings import get_settings
from ideas.submissions import models as idea_models
from ideas.submissions import promise as idea_promise
from ideas.submissions import queries as idea_queries
from ideas.submissions import similar as idea_similar
from ideas.submissions.models import (
    Category,
    Comment,
    Idea,
    IdeaKind,
    IdeaStatus,
    JourneyStage,
    Notification,
    StatusChange,
    Support,
)
from ideas.submissions.similar import VectorIndex


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine) as session:
        yield session


def _ideas(db: Session) -> list[Idea]:
    return list(db.exec(select(Idea).order_by(col(Idea.id))))


def _count(db: Session, model: type) -> int:
    return db.exec(select(func.count()).select_from(model)).one()


def test_size_kinds_categories_and_stages(db: Session) -> None:
    ideas = _ideas(db)
    assert 200 <= len(ideas) <= 250
    assert len(ideas) == len(DEMO_SEEDS)
    assert {i.kind for i in ideas} == set(IdeaKind)
    active = {c.id for c in db.exec(select(Category).where(col(Category.active)))}
    assert active <= {i.category_id for i in ideas}
    stages = {s.id for s in db.exec(select(JourneyStage))}
    used = {i.stage_id for i in ideas} - {None}
    assert len(used) >= 0.8 * len(stages)


def test_authors_are_spread_over_teams_and_roles(db: Session) -> None:
    ideas = _ideas(db)
    authors = {i.author_id for i in ideas if i.author_id is not None}
    users = {u.id: u for u in db.exec(select(User))}
    assert len(authors) >= 15
    assert {users[a].role.value for a in authors} == {"staff", "team_lead"}
    assert len({users[a].team_id for a in authors}) == 5
    assert len({i.department for i in ideas if not i.anonymous}) == 5
    # The demo's admin and CX lead are in no team: an anonymous idea without a department would
    # point at those two, so no anonymous idea shows one
    # (ideas.submissions.service._department_for).
    assert {i.department for i in ideas if i.anonymous} == {None}


def test_anonymous_ideas_keep_no_author_and_no_exact_time(db: Session) -> None:
    ideas = _ideas(db)
    anonymous = [i for i in ideas if i.anonymous]
    assert len(anonymous) >= 0.15 * len(ideas)
    assert all(i.receipt_hash is None for i in ideas if not i.anonymous)
    for idea in anonymous:
        assert idea.author_id is None
        assert idea.receipt_hash and len(idea.receipt_hash) == 64
        assert as_utc(idea.created_at).time() == time(0, 0)
        embedded = db.exec(select(Embedding).where(Embedding.source_id == idea.id)).one()
        assert as_utc(embedded.updated_at).time() == time(0, 0)
    anonymous_ids = [i.id for i in anonymous]
    notes = db.exec(select(Notification).where(col(Notification.idea_id).in_(anonymous_ids)))
    comments = db.exec(select(Comment).where(col(Comment.idea_id).in_(anonymous_ids)))
    # Submitter replies carry no user and only the day; nobody's notes reveal the submitter.
    for comment in comments:
        if comment.from_submitter:
            assert comment.author_id is None
            assert as_utc(comment.created_at).time() == time(0, 0)
    assert all("anonymous" not in n.message.lower() for n in notes)


def test_merged_hidden_and_near_duplicates(db: Session) -> None:
    ideas = _ideas(db)
    by_id = {i.id: i for i in ideas}
    merged = [i for i in ideas if i.merged_into_id is not None]
    assert len(merged) >= 3
    for idea in merged:
        assert idea.status == IdeaStatus.duplicate
        assert idea.support_count == 0
        assert by_id[idea.merged_into_id].visible
    hidden = [i for i in ideas if i.hidden_reason is not None]
    assert len(hidden) >= 1
    assert all(len(i.hidden_reason or "") >= 3 for i in hidden)
    # Every duplicate reads like its target to the model the suggestions use.
    index = VectorIndex(idea_similar.SOURCE, get_embedder(get_settings()).model_name)
    index.refresh(db)
    for idea in merged:
        matches = idea_similar.similar_ideas(
            db, index, get_embedder(get_settings()), idea_models.idea_text(idea)
        )
        assert idea.merged_into_id in [m.idea.id for m in matches[:3]]


def test_support_counts_match_rows_and_are_long_tailed(db: Session) -> None:
    ideas = _ideas(db)
    rows = Counter(db.exec(select(Support.idea_id)))
    for idea in ideas:
        assert idea.support_count == rows[idea.id or 0], idea.title
    counts = [i.support_count for i in ideas]
    assert sum(c <= 3 for c in counts) >= 0.6 * len(counts)
    assert 3 <= sum(10 <= c <= 21 for c in counts) <= 20
    pairs = db.exec(select(Support.idea_id, Support.user_id)).all()
    assert len(pairs) == len(set(pairs))
    assert all(i.author_id not in {u for d, u in pairs if d == i.id} for i in ideas)


def test_trending_differs_from_most_supported(db: Session) -> None:
    supported, _ = idea_queries.browse(db, idea_queries.IdeaFilters(sort="supported"))
    trending, _ = idea_queries.browse(db, idea_queries.IdeaFilters(sort="trending"))
    assert [i.id for i in supported[:5]] != [i.id for i in trending[:5]]
    since = utcnow() - timedelta(days=idea_queries.TRENDING_DAYS)
    recent = select(func.count()).select_from(Support).where(col(Support.created_at) >= since)
    assert db.exec(recent).one() >= 20


def test_statuses_answers_and_overdue(db: Session) -> None:
    ideas = _ideas(db)
    statuses = Counter(i.status for i in ideas)
    assert 0.3 <= statuses[IdeaStatus.new] / len(ideas) <= 0.45
    for status in (
        IdeaStatus.under_review,
        IdeaStatus.planned,
        IdeaStatus.in_progress,
        IdeaStatus.done,
        IdeaStatus.declined,
    ):
        assert statuses[status] >= 5, status
    changes = list(db.exec(select(StatusChange)))
    assert changes
    assert all(c.response.strip() for c in changes)
    cx_lead = db.exec(select(User).where(User.email == "cx.lead@northbank.test")).one()
    assert {c.by_id for c in changes} == {cx_lead.id}
    answered = {c.idea_id for c in changes}
    for idea in ideas:
        assert (idea.first_response_at is not None) == (idea.id in answered), idea.title
        assert (idea.status == IdeaStatus.new) == (idea.id not in answered), idea.title
    overdue = [i for i in ideas if i.visible and idea_promise.is_overdue(i, 10)]
    assert 5 <= len(overdue) <= 12
    assert all(i.status == IdeaStatus.new for i in overdue)


def test_comments(db: Session) -> None:
    comments = list(db.exec(select(Comment)))
    per_idea = Counter(c.idea_id for c in comments)
    assert 45 <= len(per_idea) <= 75
    assert max(per_idea.values()) <= 4
    cx_lead = db.exec(select(User).where(User.email == "cx.lead@northbank.test")).one()
    assert any(c.author_id == cx_lead.id for c in comments)
    assert all(c.body.strip() for c in comments)


def test_timeline_is_consistent(db: Session) -> None:
    now = utcnow()
    ideas: dict[int, Idea] = {i.id: i for i in _ideas(db) if i.id is not None}
    created = {i: as_utc(idea.created_at) for i, idea in ideas.items()}
    assert min(created.values()) >= now - timedelta(days=121)
    assert max(created.values()) <= now
    assert len({d.date() for d in created.values()}) >= 60
    for row in db.exec(select(Support)):
        assert created[row.idea_id] <= as_utc(row.created_at) <= now
    for comment in db.exec(select(Comment)):
        assert created[comment.idea_id] <= as_utc(comment.created_at) <= now
    last: dict[int, datetime] = {}
    for change in db.exec(select(StatusChange).order_by(col(StatusChange.id))):
        at = as_utc(change.created_at)
        assert created[change.idea_id] < at <= now
        assert last.get(change.idea_id, created[change.idea_id]) <= at
        last[change.idea_id] = at
        idea = ideas[change.idea_id]
        assert as_utc(idea.first_response_at) <= at  # type: ignore[arg-type]
    # Ids are random nine-digit numbers: they say nothing of the order ideas came in.
    assert all(100_000_000 <= i < 1_000_000_000 for i in ideas)
    ordered = sorted(ideas, key=lambda i: (created[i], i))
    assert ordered != sorted(ideas)


def test_loading_again_adds_nothing(demo_engine: Engine, demo_embedder: Embedder) -> None:
    models = (User, Idea, Support, Comment, StatusChange, Notification, Embedding)
    with Session(demo_engine) as session:
        before = [_count(session, m) for m in models]
    with session_scope(demo_engine) as session:
        load_demo(session, demo_embedder)
    with Session(demo_engine) as session:
        assert [_count(session, m) for m in models] == before
