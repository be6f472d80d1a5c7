"""The guide page builders, each against a session: search results (highlighted, published
guides only), the list with editors' overview, the form and the detail page."""

from __future__ import annotations

from sqlmodel import Session

from api.pages import guides as pages
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideStatus, GuideUpdate
from coaching.guides.search import GuideIndex
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.embeddings import Embedder, get_embedder
from foundation.settings import Settings
from tests.support.coaching import seed_theme

LOST_CARD = GuideUpdate(
    title="Replacing a lost card",
    body="## Freeze it first\nAsk the customer to freeze the card in the app.\n\n"
    "## Order the replacement\nOrder a new card; it arrives in three to five working days.",
)


def _embedder(settings: Settings) -> Embedder:
    return get_embedder(settings)


def _published(db: Session, lead: User, embedder: Embedder) -> Guide:
    guide = guide_service.create(db, LOST_CARD, lead)
    guide_service.publish(db, guide, lead, embedder, 90)
    return guide


def test_search_results_are_highlighted_published_passages(db, make, settings):
    embedder = _embedder(settings)
    lead = make.user(Role.cx_lead)
    guide = _published(db, lead, embedder)
    index = GuideIndex(embedder.model_name)
    found = pages.search_results(db, index, embedder, "freeze card")
    assert found.q == "freeze card" and found.searched
    assert found.results and {r.guide_id for r in found.results} == {guide.id}
    assert any("<mark>" in r.passage for r in found.results)
    assert "<mark>card</mark>" in str(found.results[0].title)
    short = pages.search_results(db, index, embedder, "f")
    assert not short.searched and short.results == []
    guide_service.archive(db, guide)
    assert pages.search_results(db, index, embedder, "freeze card").results == []


def test_the_list_adds_every_guide_by_status_for_editors(db, make):
    lead = make.user(Role.cx_lead)
    draft = guide_service.create(db, LOST_CARD, lead)
    found = pages.GuideSearch("", False, [])
    agent_page = pages.guide_list(db, make.user(Role.staff), found)
    assert agent_page is found and not isinstance(agent_page, pages.GuideLibrary)
    page = pages.guide_list(db, lead, found)
    assert isinstance(page, pages.GuideLibrary)
    assert list(page.by_status) == list(GuideStatus)
    assert [g.id for g in page.by_status[GuideStatus.draft]] == [draft.id]
    assert page.by_status[GuideStatus.published] == [] and page.overdue == []


def test_forms_new_from_a_theme_edit_and_refused(db, make, settings):
    lead = make.user(Role.cx_lead)
    theme = seed_theme(db, make.team())
    blank = pages.new_guide_form(db, settings, None)
    assert blank.guide is None and blank.values == {"title": "", "body": "", "theme_ids": []}
    assert blank.chosen == set() and theme.id in [t.id for t in blank.themes]
    drafted = pages.new_guide_form(db, settings, theme.id)
    assert drafted.values["title"] and drafted.chosen == {str(theme.id)}
    guide = guide_service.create(db, LOST_CARD.model_copy(update={"theme_ids": [theme.id]}), lead)
    edit = pages.edit_guide_form(db, guide)
    assert edit.guide is guide and edit.values["title"] == LOST_CARD.title
    assert edit.chosen == {str(theme.id)} and edit.errors == {}
    refused = pages.guide_form(db, guide, {"title": "", "theme_ids": ["x"]}, {"title": "No."})
    assert refused.chosen == {"x"} and refused.errors == {"title": "No."}


def test_detail_shows_editors_versions_and_counts(db, make, settings):
    embedder = _embedder(settings)
    lead = make.user(Role.cx_lead)
    guide = _published(db, lead, embedder)
    agent = make.user(Role.staff, make.team())
    guide_service.set_feedback(db, guide, agent, True)
    page = pages.guide_detail(db, lead, guide)
    assert page.editor and len(page.versions) == 1 and page.version is not None
    assert page.counts is not None and (page.counts.helpful, page.counts.not_helpful) == (1, 0)
    assert page.mine is None and page.today == utcnow().date() and page.linked == []
    read = pages.guide_detail(db, agent, guide)
    assert not read.editor and read.versions == [] and read.counts is None and read.mine is True
