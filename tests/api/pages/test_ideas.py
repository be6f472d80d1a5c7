"""The idea page builders, each against a session: browsing, the submit form and its similar
ideas, the support widget and one idea's page for its author, others and CX leads."""

from __future__ import annotations

from datetime import date

from api.pages import ideas as pages
from foundation.accounts import Role
from foundation.embeddings import get_embedder
from foundation.settings import get_settings
from ideas.submissions import queries as idea_queries
from ideas.submissions import service as idea_service
from ideas.submissions.models import IdeaKind, IdeaStatus
from ideas.submissions.queries import IdeaFilters
from ideas.submissions.similar import VectorIndex
from tests.support.ideas import first_category, make_idea


def _filters(**fields: object) -> IdeaFilters:
    base: dict[str, object] = {
        "status": None,
        "category_id": None,
        "stage_id": None,
        "department": None,
        "kind": None,
        "q": None,
        "sort": "newest",
        "page": 1,
    }
    return IdeaFilters(**{**base, **fields})  # type: ignore[arg-type]


def _index(db) -> VectorIndex:
    embedder = get_embedder(get_settings())
    index = VectorIndex("idea", embedder.model_name)
    index.refresh(db)
    return index


def test_browsing_lists_ideas_with_the_viewers_support_and_overdue_for_cx_leads(db, make, settings):
    team = make.team()
    author, reader = make.user(Role.staff, team), make.user(Role.staff, team)
    first, _ = make_idea(db, author, "Longer hold music warnings", body="")
    second, _ = make_idea(db, author)
    idea_service.support(db, reader, first)
    embedder = get_embedder(get_settings())
    page = pages.browse_page(
        db, settings, reader, _filters(), "page=1", index=_index(db), embedder=embedder
    )
    assert {i.id for i in page.ideas} == {first.id, second.id} and page.total == 2
    assert page.pages == 1 and page.query_string == "page=1"
    assert page.supported == {first.id}
    assert page.overdue == set()  # only CX leads see overdue marks
    category = first_category(db)
    assert page.cat_names[category.id] == category.name
    assert page.kinds == list(IdeaKind) and page.statuses == list(IdeaStatus)
    cx = make.user(Role.cx_lead)
    as_cx = pages.browse_page(db, settings, cx, _filters(), "", index=_index(db), embedder=embedder)
    assert as_cx.supported == set() and as_cx.overdue == set()  # new: not overdue yet


def test_the_submit_form_keeps_what_was_typed_and_the_similar_ideas(db, make, settings):
    author = make.user(Role.staff, make.team())
    idea, _ = make_idea(db, author, "Card replacement takes too long")
    blank = pages.new_idea_page(db, {"kind": "idea"})
    assert blank.values == {"kind": "idea"} and blank.errors == {}
    assert blank.matches == [] and blank.supported == set() and not blank.typed
    assert [c.id for c in blank.categories] == [
        c.id for c in idea_queries.categories(db, active_only=False)
    ]
    reader = make.user(Role.staff, make.team())
    idea_service.support(db, reader, idea)
    embedder = get_embedder(get_settings())
    found = pages.similar_ideas(
        db, reader, _index(db), embedder, "Replacement cards take too long", ""
    )
    assert found.typed and [m.idea.id for m in found.matches] == [idea.id]
    assert found.supported == {idea.id}
    nothing = pages.similar_ideas(db, reader, _index(db), embedder, " ", "")
    assert not nothing.typed and nothing.matches == []
    kept = pages.new_idea_page(db, {"title": "T"}, {"title": "Too short"}, similar=found)
    assert kept.matches == found.matches and kept.typed and kept.errors == {"title": "Too short"}


def test_the_support_widget_says_whether_the_viewer_supports_it(db, make, settings):
    author, reader = make.user(Role.staff), make.user(Role.staff)
    idea, _ = make_idea(db, author)
    assert pages.support_widget(db, reader, idea).supported == set()
    idea_service.support(db, reader, idea)
    widget = pages.support_widget(db, reader, idea)
    assert widget.idea is idea and widget.supported == {idea.id}


def test_an_ideas_page_for_its_author_a_reader_and_a_cx_lead(db, make, settings):
    author = make.user(Role.staff, make.team())
    idea, _ = make_idea(db, author, body="**Customers** wait.")
    own = pages.idea_page(db, settings, author, idea)
    assert own.idea is idea and own.is_author and own.author is not None
    assert own.author.id == author.id
    assert "<strong>Customers</strong>" in own.body_html
    assert not own.moderator and own.comments == [] and own.history == []
    assert own.response_days == settings.idea_response_working_days
    assert isinstance(own.due, date) and not own.overdue
    assert own.merged_into is None and own.notice is None and own.comment_value == ""
    assert own.errors == {} and own.status_values == {}
    cx = make.user(Role.cx_lead)
    shown = pages.idea_page(
        db, settings, cx, idea, notice="n", comment_value="typed", errors={"body": "Empty"}
    )
    assert shown.moderator and not shown.is_author
    assert (shown.notice, shown.comment_value, shown.errors) == ("n", "typed", {"body": "Empty"})


def test_an_anonymous_ideas_page_names_nobody(db, make, settings):
    author = make.user(Role.staff, make.team())
    idea, receipt = make_idea(db, author, anonymous=True)
    assert receipt is not None
    page = pages.idea_page(db, settings, author, idea)
    assert page.author is None and not page.is_author
