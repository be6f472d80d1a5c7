"""Coaching modules: the draft pre-filled from a theme's evidence, the question form, and
publishing immutable versions (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from coaching.modules import drafts as module_drafts
from coaching.modules import queries as module_queries
from coaching.modules import service as module_service
from coaching.modules.models import ModuleUpdate
from foundation.accounts import Role
from foundation.errors import Conflict, Forbidden, Invalid
from foundation.ids import pk
from foundation.settings import Settings
from tests.support.coaching import (
    QUESTION,
    RESOLVED_ANSWER,
    RESOLVED_CALL,
    UNRESOLVED_CALL,
    published_module,
    seed_theme,
)

PHRASES = Settings().uncertainty_phrases  # the default list, as the app passes it


def test_prefilled_draft_contains_the_evidence(db, make):
    theme = seed_theme(db, make.team())
    lead = make.user(Role.cx_lead)
    module = module_service.create_from_theme(
        db, pk(theme), lead, min_group_size=5, uncertainty_phrases=PHRASES
    )
    body = module.body
    assert module.theme_id == theme.id and module.title == theme.name
    assert module.latest_version == 0 and module.draft_changed
    for heading in ("## Why it matters", "## What customers ask", "## What to say"):
        assert heading in body
    assert "10 items in this theme: 10 customer contacts" in body
    # Resolution inside (50%) against outside (100%): the outcome gap.
    assert "Resolved first time: 50% of contacts in this theme against 100% elsewhere" in body
    assert "1 customer vulnerability cue" in body
    # The best action in plain words, with its count; customers' questions quoted and linked.
    say, wrong = body.split("## What to say")[1].split("## What goes wrong")
    assert "Card reissued: resolved 5 of 5 contacts" in say
    assert "Callback booked" not in say  # it never resolved anything
    # The resolved calls were rated low: no answer of theirs is offered as the lesson.
    assert RESOLVED_ANSWER not in say
    assert f"“{RESOLVED_CALL}” ([contact](/gaps/contacts/" in body
    assert UNRESOLVED_CALL in wrong and RESOLVED_CALL not in wrong
    # Check questions come from the theme's real contacts (test_questions.py); no resolved
    # contact here was rated well, so the one question asks about the missed vulnerability cue.
    (question,) = module_queries.check_questions(module.questions)
    assert question.to_review and "can I?" in question.prompt
    assert module_queries.for_theme(db, pk(theme)) == [module]


def test_small_groups_keep_outcomes_out_of_the_draft(db, make):
    theme = seed_theme(db, make.team())
    draft = module_drafts.draft_from_theme(
        db, theme, min_group_size=50, uncertainty_phrases=PHRASES
    )
    assert "Outcome figures are withheld" in draft.body
    assert "resolved 100%" not in draft.body  # the actions' figures are withheld too
    assert len(draft.questions) == 1  # the vulnerability cue: never a generic question


def test_publishing_freezes_versions_and_edits_make_a_new_draft(db, make):
    lead = make.user(Role.cx_lead)
    module = published_module(db, lead)
    assert module.latest_version == 1 and not module.draft_changed
    with pytest.raises(Conflict):
        module_service.publish(db, module, lead)  # nothing changed
    edited = ModuleUpdate(title="Lost cards", body="## Why\n\nNew words.", questions=[QUESTION])
    module_service.update_module(db, module, edited, lead)
    assert module.draft_changed
    v2 = module_service.publish(db, module, lead)
    v2_number, (newest, oldest) = v2.number, module_queries.versions(db, module.id)
    assert v2_number == 2 and newest.id == v2.id
    assert oldest.body == "## Why\n\nBecause." and newest.body == "## Why\n\nNew words."
    # Editing back to the published content is not a change.
    module_service.update_module(db, module, edited, lead)
    assert not module.draft_changed


def test_publishing_refuses_an_empty_body_or_a_broken_question(db, make):
    lead = make.user(Role.cx_lead)
    empty = module_service.create_module(db, ModuleUpdate(title="Empty"), lead)
    with pytest.raises(Invalid) as excinfo:
        module_service.publish(db, empty, lead)
    assert excinfo.value.field == "body"
    broken = module_service.create_module(db, ModuleUpdate(title="Broken", body="Text"), lead)
    broken.questions = [{"prompt": "Which?", "options": ["a", "b"], "answer": 5}]
    with pytest.raises(Invalid):
        module_service.publish(db, broken, lead)
    assert broken.latest_version == 0


def test_only_cx_leads_write_modules(db, make):
    team = make.team()
    for role in (Role.staff, Role.team_lead):
        with pytest.raises(Forbidden):
            module_service.create_module(db, ModuleUpdate(title="Nope"), make.user(role, team))
    archived = published_module(db, make.user(Role.admin))
    module_service.archive(db, archived, make.user(Role.cx_lead))
    assert archived.archived and archived not in module_queries.published_modules(db)


def test_the_question_form_is_read_and_checked():
    values = {
        "title": "Lost cards",
        "body": "Text",
        "q0-prompt": "Which action?",
        "q0-options": "Reissue\n\n  Close  \n",
        "q0-answer": "1",
        "q0-explanation": "Because.",
        "q0-hint": "Think of the card.",
        "q1-prompt": "Removed",
        "q1-options": "a\nb",
        "q1-answer": "2",
        "q1-remove": "1",
        "q2-prompt": "",
        "q2-options": "",
        "q2-answer": "",  # the blank "add a question" fieldset
    }
    data, errors = module_service.read_form(values)
    assert errors == {} and data is not None
    # Saved through the form: reviewed, so no longer "to review".
    assert [q.model_dump() for q in data.questions] == [
        {"prompt": "Which action?", "options": ["Reissue", "Close"], "answer": 0,
         "explanation": "Because.", "hint": "Think of the card.", "to_review": False}
    ]  # fmt: skip
    bad = {
        "title": "",
        "q0-prompt": "One option only",
        "q0-options": "a",
        "q0-answer": "1",
        "q1-prompt": "Bad answer",
        "q1-options": "a\nb",
        "q1-answer": "x",
        "q2-prompt": "",
        "q2-options": "a\nb",
        "q2-answer": "3",
    }
    data, errors = module_service.read_form(bad)
    assert data is None
    assert set(errors) == {"title", "q0-options", "q1-answer", "q2-answer"}
    _, errors = module_service.read_form(
        {"title": "x", "q0-prompt": "", "q0-options": "a\nb", "q0-answer": "1"}
    )
    assert set(errors) == {"q0-prompt"}
