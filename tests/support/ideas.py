"""Helpers shared by the tests that need ideas, themes and their members (plain functions)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from foundation.embeddings import get_embedder
from foundation.ids import pk
from foundation.settings import get_settings
from ideas.submissions.models import Category, Idea, IdeaCreate, JourneyStage
from ideas.submissions.service import draft_idea, submit_idea
from ideas.themes.models import DocumentKind, Theme, ThemeMember


def first_category(db: Session) -> Category:
    category = db.exec(select(Category).where(Category.active).order_by(col(Category.id))).first()
    assert category is not None
    return category


def first_stage(db: Session) -> JourneyStage:
    stage = db.exec(select(JourneyStage).order_by(col(JourneyStage.id))).first()
    assert stage is not None
    return stage


def make_idea(
    db: Session,
    user,
    title: str = "Card replacement takes too long",
    *,
    body: str = "Customers wait five working days for a new card.",
    anonymous: bool = False,
) -> tuple[Idea, str | None]:
    data = IdeaCreate(
        title=title, body=body, category_id=pk(first_category(db)), anonymous=anonymous
    )
    idea, receipt = submit_idea(
        db, user, draft_idea(data, get_embedder(get_settings())), min_group=5
    )
    db.commit()
    return idea, receipt


def idea_form(db: Session, **fields: str) -> dict[str, str]:
    base = {
        "kind": "idea",
        "title": "Direct debit cancellations are confusing",
        "body": "Customers do not know which team cancels a direct debit.",
        "category_id": str(first_category(db).id),
        "stage_id": "",
    }
    return {**base, **fields}


def add_member(
    db: Session, theme: Theme, source_id: int, when: datetime, kind: DocumentKind = DocumentKind.gap
) -> ThemeMember:
    """Put a document (an idea, or an interaction's gap evidence) in a theme, as a run would."""
    member = ThemeMember(theme_id=theme.id, kind=kind, source_id=source_id, occurred_at=when)  # type: ignore[arg-type]
    db.add(member)
    db.flush()
    return member
