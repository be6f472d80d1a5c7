"""The idea pages' data: browsing and search, the submit form with the similar ideas found as
it is typed, and one idea's page (support, comments, history, the CX lead's actions)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from markupsafe import Markup
from sqlmodel import Session

from api.pages.forms import Errors, Values
from foundation.accounts import User
from foundation.embeddings import Embedder
from foundation.markdown import render as markdown
from foundation.settings import Settings
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
    StatusChange,
)
from ideas.submissions.queries import IdeaFilters
from ideas.submissions.similar import Match, VectorIndex

SIMILAR_SHOWN = 5


# ------------------------------------------------------------------ what ideas are filed under
class ListsFields(TypedDict):
    """The lists an idea is filed under, and their names by id (inactive entries included: old
    ideas still show theirs); every page of ideas has them (``IdeaLists``)."""

    categories: list[Category]
    stages: list[JourneyStage]
    cat_names: Mapping[int | None, str]
    stage_names: Mapping[int | None, str]
    kinds: list[IdeaKind]
    statuses: list[IdeaStatus]


@dataclass(frozen=True)
class IdeaLists:
    categories: list[Category]
    stages: list[JourneyStage]
    cat_names: Mapping[int | None, str]
    stage_names: Mapping[int | None, str]
    kinds: list[IdeaKind]
    statuses: list[IdeaStatus]


def _lists(session: Session) -> ListsFields:
    categories = idea_queries.categories(session, active_only=False)
    stages = idea_queries.stages(session, active_only=False)
    return {
        "categories": categories,
        "stages": stages,
        "cat_names": {c.id: c.name for c in categories},
        "stage_names": {s.id: s.name for s in stages},
        "kinds": list(IdeaKind),
        "statuses": list(IdeaStatus),
    }


# -------------------------------------------------------------------------------- browsing
@dataclass(frozen=True)
class BrowsePage(IdeaLists):
    ideas: list[Idea]
    total: int
    filters: IdeaFilters
    pages: int
    departments: list[str]
    supported: set[int]  # the viewer supports these
    overdue: set[int | None]  # past the response promise (shown to CX leads only)
    query_string: str  # the page's own query, for the pager links


def browse_page(
    session: Session,
    settings: Settings,
    user: User,
    filters: IdeaFilters,
    query_string: str,
    *,
    index: VectorIndex,
    embedder: Embedder,
) -> BrowsePage:
    """One page of ideas; with a search text, keyword and semantic matches (the embedder is
    used only then)."""
    ideas, total = idea_queries.browse(
        session, filters, index=index, embedder=embedder if filters.q else None
    )
    days = settings.idea_response_working_days
    return BrowsePage(
        **_lists(session),
        ideas=ideas,
        total=total,
        filters=filters,
        pages=max(1, -(-total // idea_queries.PAGE_SIZE)),
        departments=idea_queries.departments(session),
        supported=idea_queries.supports(session, user, [i.id for i in ideas if i.id]),
        overdue={i.id for i in ideas if idea_promise.is_overdue(i, days)}
        if idea_queries.can_moderate(user)
        else set(),
        query_string=query_string,
    )


# ------------------------------------------------------------------------ submitting an idea
@dataclass(frozen=True)
class SimilarIdeas:
    """The existing ideas most like what is being typed (the submit form's side panel)."""

    matches: list[Match] = field(default_factory=list)
    supported: set[int] = field(default_factory=set)
    typed: bool = False  # something was typed (so "nothing similar yet", not "start typing")


def similar_ideas(
    session: Session, user: User, index: VectorIndex, embedder: Embedder, title: str, body: str
) -> SimilarIdeas:
    text = f"{title}\n{body[:1000]}".strip()
    matches = idea_similar.similar_ideas(session, index, embedder, text, k=SIMILAR_SHOWN)
    supported = idea_queries.supports(session, user, [m.idea.id for m in matches if m.idea.id])
    return SimilarIdeas(matches=matches, supported=supported, typed=bool(text))


@dataclass(frozen=True)
class NewIdeaPage(SimilarIdeas, IdeaLists):
    values: Values = field(default_factory=dict)
    errors: Errors = field(default_factory=dict)


def new_idea_page(
    session: Session,
    values: Values,
    errors: Errors | None = None,
    similar: SimilarIdeas | None = None,
) -> NewIdeaPage:
    """The submit form: blank, as typed (without JavaScript, with its similar ideas), or
    refused with the reasons."""
    found = similar or SimilarIdeas()
    return NewIdeaPage(
        **_lists(session),
        matches=found.matches,
        supported=found.supported,
        typed=found.typed,
        values=values,
        errors=errors or {},
    )


@dataclass(frozen=True)
class SupportedNotice:
    """Thanks for supporting a suggested idea instead of posting a new one."""

    supported_idea: Idea


# -------------------------------------------------------------------------------- one idea
@dataclass(frozen=True)
class SupportWidget:
    idea: Idea
    supported: set[int]


def support_widget(session: Session, user: User, idea: Idea) -> SupportWidget:
    assert idea.id is not None
    return SupportWidget(idea=idea, supported=idea_queries.supports(session, user, [idea.id]))


@dataclass(frozen=True)
class IdeaPage(IdeaLists):
    idea: Idea
    body_html: Markup
    author: User | None  # None for an anonymous idea
    is_author: bool
    comments: list[Comment]
    names: Mapping[int, str]  # commenters' display names
    response_days: int
    history: list[StatusChange]
    supported: set[int]
    merged_into: Idea | None
    moderator: bool  # a CX lead or admin: hidden comments and the moderation form
    overdue: bool
    due: date
    errors: Errors = field(default_factory=dict)
    notice: str | None = None  # customer details removed from the idea
    comment_notice: str | None = None  # ... or from the comment just added
    comment_value: str = ""  # a refused comment, as typed
    status_values: Values = field(default_factory=dict)  # a refused answer, as typed


def idea_page(
    session: Session,
    settings: Settings,
    user: User,
    idea: Idea,
    *,
    errors: Errors | None = None,
    notice: str | None = None,
    comment_notice: str | None = None,
    comment_value: str = "",
    status_values: Values | None = None,
) -> IdeaPage:
    assert idea.id is not None
    author = session.get(User, idea.author_id) if idea.author_id else None
    moderator = idea_queries.can_moderate(user)
    comments = idea_queries.comments(session, idea, include_hidden=moderator)
    days = settings.idea_response_working_days
    return IdeaPage(
        **_lists(session),
        idea=idea,
        body_html=markdown(idea.body),
        author=author,
        is_author=idea.author_id is not None and idea.author_id == user.id,
        comments=comments,
        names=idea_queries.display_names(session, {c.author_id for c in comments}),
        response_days=days,
        history=idea_queries.history(session, idea),
        supported=idea_queries.supports(session, user, [idea.id]),
        merged_into=session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None,
        moderator=moderator,
        overdue=idea_promise.is_overdue(idea, days),
        due=idea_promise.answer_due(idea, days),
        errors=errors or {},
        notice=notice,
        comment_notice=comment_notice,
        comment_value=comment_value,
        status_values=status_values or {},
    )
