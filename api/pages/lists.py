"""The admin's lists page: the categories and journey stages ideas are filed under, and the
plain words contact action codes are shown in."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from api.pages.forms import Errors, Values
from coaching.interactions import actions as action_labels
from coaching.interactions.models import ActionLabel
from ideas.submissions import queries as idea_queries
from ideas.submissions.models import Category, JourneyStage


@dataclass(frozen=True)
class ListsPage:
    categories: list[Category]  # inactive ones too
    stages: list[JourneyStage]
    actions: list[ActionLabel]  # action code -> plain words, by code
    errors: Errors = field(default_factory=dict)  # by list ("categories", "stages", "actions")
    values: Values = field(default_factory=dict)  # a refused new entry, by list


def lists_page(
    session: Session, errors: Errors | None = None, values: Values | None = None
) -> ListsPage:
    return ListsPage(
        categories=idea_queries.categories(session, active_only=False),
        stages=idea_queries.stages(session, active_only=False),
        actions=action_labels.all_labels(session),
        errors=errors or {},
        values=values or {},
    )
