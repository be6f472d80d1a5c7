"""The admin's lists page: the categories and journey stages ideas are filed under."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from api.pages.forms import Errors, Values
from ideas.submissions import queries as idea_queries
from ideas.submissions.models import Category, JourneyStage


@dataclass(frozen=True)
class ListsPage:
    categories: list[Category]  # inactive ones too
    stages: list[JourneyStage]
    errors: Errors = field(default_factory=dict)  # by list ("categories", "stages")
    values: Values = field(default_factory=dict)  # a refused new entry, by list


def lists_page(
    session: Session, errors: Errors | None = None, values: Values | None = None
) -> ListsPage:
    return ListsPage(
        categories=idea_queries.categories(session, active_only=False),
        stages=idea_queries.stages(session, active_only=False),
        errors=errors or {},
        values=values or {},
    )
