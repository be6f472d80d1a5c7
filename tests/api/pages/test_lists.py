"""The admin lists page builder: every category and stage, inactive ones too, and a refused
entry as typed."""

from __future__ import annotations

from api.pages import lists as pages
from ideas.submissions import service as idea_service
from ideas.submissions.models import Category, JourneyStage


def test_the_lists_page_holds_inactive_entries_and_a_refused_one(db, make, settings):
    added = idea_service.add_list_item(db, Category, "Branch closures")
    assert added.id is not None
    idea_service.set_list_item_active(db, Category, added.id, False)
    page = pages.lists_page(db)
    assert added.id in {c.id for c in page.categories}
    assert all(isinstance(s, JourneyStage) for s in page.stages) and page.stages
    assert page.errors == {} and page.values == {}
    refused = pages.lists_page(db, errors={"stages": "Taken"}, values={"stages": "Onboarding"})
    assert refused.errors == {"stages": "Taken"} and refused.values == {"stages": "Onboarding"}
