"""The guide pages' data: search results (highlighted), the list with editors' overview by
status, the write/edit form, and a guide with its versions and feedback."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import date
from typing import cast

from markupsafe import Markup
from sqlmodel import Session

from api import presentation
from api.pages.forms import Errors, Values
from coaching.guides import queries as guide_queries
from coaching.guides import search as guide_search
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideStatus, GuideUpdate, GuideVersion
from coaching.guides.queries import FeedbackCounts
from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import Embedder
from foundation.settings import Settings
from ideas.themes import queries as theme_queries
from ideas.themes.models import Theme
from ideas.themes.naming import display_names


# -------------------------------------------------------------------------------- searching
@dataclass(frozen=True)
class SearchResult:
    """One matching passage, its guide's title and the passage with the query's words marked."""

    guide_id: int
    title: Markup
    heading: str
    passage: Markup


@dataclass(frozen=True)
class GuideSearch:
    """The results block (what htmx swaps in as the agent types)."""

    q: str
    searched: bool  # a query of two characters or more
    results: list[SearchResult]


@dataclass(frozen=True)
class GuideLibrary(GuideSearch):
    """The list page for editors: the search, and every guide by status with overdue reviews.
    (The template tells it from a reader's page by whether ``by_status`` is defined.)"""

    by_status: Mapping[GuideStatus, list[Guide]]
    overdue: list[Guide]


def search_results(
    session: Session, index: guide_search.GuideIndex, embedder: Embedder, q: str
) -> GuideSearch:
    searched = len(q.strip()) >= 2
    return GuideSearch(q, searched, _results(session, index, embedder, q) if searched else [])


def _results(
    session: Session, index: guide_search.GuideIndex, embedder: Embedder, q: str
) -> list[SearchResult]:
    hits = index.search(session, embedder, q)
    # The index is current as of this transaction; this also drops a guide archived since.
    live = {g.id for g in guide_queries.published_among(session, [h.guide_id for h in hits])}
    return [
        SearchResult(
            guide_id=h.guide_id,
            title=presentation.highlight(h.title, q),
            heading=h.heading,
            passage=presentation.highlight(guide_search.snippet(h.text, q), q),
        )
        for h in hits
        if h.guide_id in live
    ]


def guide_list(session: Session, user: User, found: GuideSearch) -> GuideSearch:
    """The list page around a search: for editors with every guide by status."""
    if user.role not in guide_queries.EDITORS:
        return found
    every = guide_queries.list_guides(session)
    return GuideLibrary(
        q=found.q,
        searched=found.searched,
        results=found.results,
        by_status={status: [g for g in every if g.status == status] for status in GuideStatus},
        overdue=guide_queries.review_overdue(session, utcnow().date()),
    )


# ---------------------------------------------------------------------------------- writing
@dataclass(frozen=True)
class GuideForm:
    guide: Guide | None  # None: a new guide
    values: Values  # title, body and theme_ids
    errors: Errors
    themes: list[Theme]
    chosen: Set[str]  # the linked themes' ids, as the checkboxes' values
    theme_names: Mapping[int, str]  # in the viewer's language where it can be (themes.naming)


def guide_form(session: Session, guide: Guide | None, values: Values, errors: Errors) -> GuideForm:
    theme_ids = cast("Iterable[object]", values.get("theme_ids", []))
    themes = theme_queries.list_themes(session)
    return GuideForm(
        guide=guide,
        values=values,
        errors=errors,
        themes=themes,
        chosen={str(i) for i in theme_ids},
        theme_names=display_names(themes),
    )


def _values(guide: Guide | None, data: GuideUpdate | None, linked: list[int]) -> Values:
    source = data or guide
    if source is None:
        return {"title": "", "body": "", "theme_ids": []}
    return {"title": source.title, "body": source.body, "theme_ids": linked}


def new_guide_form(session: Session, settings: Settings, theme_id: int | None) -> GuideForm:
    """A blank form, or one pre-filled from a theme's contacts (``coaching.guides.drafts``)."""
    data = (
        guide_service.draft_from_theme(
            session,
            theme_id,
            settings.min_group_size,
            uncertainty_phrases=settings.uncertainty_phrases,
        )
        if theme_id
        else None
    )
    return guide_form(session, None, _values(None, data, data.theme_ids if data else []), {})


def edit_guide_form(session: Session, guide: Guide) -> GuideForm:
    values = _values(guide, None, guide_queries.theme_ids(session, guide))
    return guide_form(session, guide, values, {})


# ---------------------------------------------------------------------------------- reading
@dataclass(frozen=True)
class GuideDetail:
    guide: Guide
    version: GuideVersion | None
    editor: bool  # a CX lead or admin: versions and feedback counts
    versions: list[GuideVersion]
    linked: list[Theme]
    counts: FeedbackCounts | None
    mine: bool | None  # this reader's "was this helpful?", if answered
    today: date
    theme_names: Mapping[int, str]  # the linked themes, as this viewer sees them


def guide_detail(session: Session, user: User, guide: Guide) -> GuideDetail:
    editor = user.role in guide_queries.EDITORS
    linked = guide_queries.linked_themes(session, guide)
    return GuideDetail(
        guide=guide,
        version=guide_queries.latest_version(session, guide),
        editor=editor,
        versions=guide_queries.versions(session, guide) if editor else [],
        linked=linked,
        counts=guide_queries.feedback_counts(session, guide) if editor else None,
        mine=guide_queries.my_feedback(session, guide, user),
        today=utcnow().date(),
        theme_names=display_names(linked),
    )
