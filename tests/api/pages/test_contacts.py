"""The contact evidence page builder: one contact's redacted words, outcome, actions in plain
words, signals and themes, and never its agent."""

from __future__ import annotations

import pytest

from api.pages import contacts as pages
from coaching.interactions.models import Outcome, SignalKind
from foundation.errors import NotFound
from foundation.ids import pk
from tests.support.coaching import (
    RESOLVED_CALL,
    add_agents,
    add_interaction,
    add_to_theme,
    make_theme,
)


def test_a_contact_page_has_its_evidence_in_plain_words(db, make):
    team = make.team("Severn")
    (agent,) = add_agents(db, 1, prefix="CON-")
    row = add_interaction(
        db,
        agent,
        team,
        signals=[SignalKind.low_csat],
        actions=["KB_ARTICLE", "SOMETHING_NEW"],
        outcome=Outcome.resolved,
        csat=2,
    )
    row.turns = [{"speaker": "customer", "text": RESOLVED_CALL}]
    theme = make_theme(db, "Card replacement")
    add_to_theme(db, theme, row)
    page = pages.contact_page(db, pages.get_contact(db, pk(row)))
    assert page.actions == ["Used the knowledge article", "Something new"]
    assert [s.kind for s in page.signals] == [SignalKind.low_csat]
    assert page.turns[0].text == RESOLVED_CALL and page.team == "Severn"
    assert [t.id for t in page.themes] == [theme.id] and page.csat == 2
    assert not hasattr(page, "agent_id")
    with pytest.raises(NotFound):
        pages.get_contact(db, 999_999)
