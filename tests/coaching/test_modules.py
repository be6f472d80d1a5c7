"""Coaching modules: the draft pre-filled from a theme's evidence, the question form, and
publishing immutable versions (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session

from coaching import modules
from coaching.models import (
    CheckQuestion,
    CoachingModule,
    Interaction,
    ModuleUpdate,
    Outcome,
    SignalKind,
)
from foundation.accounts import Role, Team
from foundation.clock import utcnow
from foundation.errors import Conflict, Forbidden, Invalid
from ideas.models import DocumentKind, Theme, ThemeMember
from tests.coaching.test_stats import add_agents, add_interaction

RESOLVED_CALL = "I was charged twice for my card replacement, can you refund it?"
RESOLVED_ANSWER = "I've ordered a replacement card; it will be with you in five working days."
UNRESOLVED_CALL = "Why has my replacement card still not arrived after three weeks?"
QUESTION = CheckQuestion(
    prompt="Which action fixes a lost card?",
    options=["Reissue the card", "Close the account"],
    answer=0,
    explanation="Reissuing resolved most contacts.",
)


def make_theme(db: Session, name: str = "Card replacement") -> Theme:
    theme = Theme(name=name, auto_label=name, keywords=["card"])
    db.add(theme)
    db.flush()
    return theme


def add_to_theme(db: Session, theme: Theme, row: Interaction) -> None:
    """Put an interaction's gap evidence in a theme, as a clustering run would."""
    db.add(
        ThemeMember(
            theme_id=theme.id,
            kind=DocumentKind.gap,
            source_id=row.id,
            occurred_at=row.occurred_at,
            team_id=row.team_id,
            similarity=0.9,
        )
    )
    theme.gap_count += 1
    theme.size += 1
    db.flush()


def seed_theme(db: Session, team: Team | None = None) -> Theme:
    """Ten card calls by five agents: reissuing resolved them, a callback did not; one
    customer's bereavement went unacted on. Five more calls outside the theme."""
    theme = make_theme(db)
    agents = add_agents(db, 5, prefix="MOD-")
    when = utcnow() - timedelta(days=3)
    for i in range(10):
        resolved = i % 2 == 0
        row = add_interaction(
            db,
            agents[i % 5],
            team,
            when,
            # Resolved calls: the agent knew the answer (only the customer's rating flagged them).
            signals=([SignalKind.low_csat] if resolved else [SignalKind.uncertainty])
            + ([SignalKind.missed_vulnerability] if i == 1 else []),
            actions=["card_reissued"] if resolved else ["callback_booked"],
            outcome=Outcome.resolved if resolved else Outcome.unresolved,
        )
        row.turns = [
            {"speaker": "customer", "text": RESOLVED_CALL if resolved else UNRESOLVED_CALL},
            {"speaker": "agent", "text": RESOLVED_ANSWER if resolved else "I'm not sure, sorry."},
        ]
        add_to_theme(db, theme, row)
    for i in range(5):
        add_interaction(db, agents[i], team, when, outcome=Outcome.resolved)
    db.flush()
    return theme


def published_module(db: Session, author, *, questions=(QUESTION,), theme=None) -> CoachingModule:
    data = ModuleUpdate(title="Lost cards", body="## Why\n\nBecause.", questions=list(questions))
    module = modules.create_module(db, data, author, theme_id=theme.id if theme else None)
    modules.publish(db, module, author)
    return module


def test_prefilled_draft_contains_the_evidence(db, make):
    theme = seed_theme(db, make.team())
    lead = make.user(Role.cx_lead)
    module = modules.create_from_theme(db, theme.id, lead, min_group_size=5)
    body = module.body
    assert module.theme_id == theme.id and module.title == theme.name
    assert module.latest_version == 0 and module.draft_changed
    for heading in ("## Why it matters", "## What good looks like", "## What goes wrong"):
        assert heading in body
    assert "10 items in this theme: 10 customer contacts" in body
    # Resolution inside (50%) against outside (100%): the outcome gap.
    assert "Resolved first time: 50% of contacts in this theme against 100% elsewhere" in body
    assert "1 customer vulnerability cue" in body
    # The best action first, with its figures; resolved and unresolved snippets where they belong.
    good, wrong = body.split("## What goes wrong")
    assert "**card_reissued** resolved 100% of 5 contacts" in good
    assert "**callback_booked**" not in good  # it never resolved anything
    # Good practice in the agent's own answer; each snippet once.
    assert good.count(f"{RESOLVED_CALL} / Agent: {RESOLVED_ANSWER}") == 1
    assert UNRESOLVED_CALL not in good
    assert UNRESOLVED_CALL in wrong and RESOLVED_CALL not in wrong
    questions = modules.check_questions(module.questions)
    assert len(questions) == 3
    first = questions[0]
    assert first.options[first.answer] == "card_reissued" and "callback_booked" in first.options
    assert any("bereavement" in q.prompt for q in questions)
    assert modules.for_theme(db, theme.id) == [module]


def test_small_groups_keep_outcomes_out_of_the_draft(db, make):
    theme = seed_theme(db, make.team())
    draft = modules.draft_from_theme(db, theme, min_group_size=50)
    assert "Outcome figures are withheld" in draft.body
    assert "resolved 100%" not in draft.body  # the actions' figures are withheld too
    assert not any("which action" in q.prompt.lower() for q in draft.questions)
    assert len(draft.questions) == 2  # vulnerability and confirming the outcome


def test_publishing_freezes_versions_and_edits_make_a_new_draft(db, make):
    lead = make.user(Role.cx_lead)
    module = published_module(db, lead)
    assert module.latest_version == 1 and not module.draft_changed
    with pytest.raises(Conflict):
        modules.publish(db, module, lead)  # nothing changed
    edited = ModuleUpdate(title="Lost cards", body="## Why\n\nNew words.", questions=[QUESTION])
    modules.update_module(db, module, edited, lead)
    assert module.draft_changed
    v2 = modules.publish(db, module, lead)
    v2_number, (newest, oldest) = v2.number, modules.versions(db, module.id)
    assert v2_number == 2 and newest.id == v2.id
    assert oldest.body == "## Why\n\nBecause." and newest.body == "## Why\n\nNew words."
    # Editing back to the published content is not a change.
    modules.update_module(db, module, edited, lead)
    assert not module.draft_changed


def test_publishing_refuses_an_empty_body_or_a_broken_question(db, make):
    lead = make.user(Role.cx_lead)
    empty = modules.create_module(db, ModuleUpdate(title="Empty"), lead)
    with pytest.raises(Invalid) as excinfo:
        modules.publish(db, empty, lead)
    assert excinfo.value.field == "body"
    broken = modules.create_module(db, ModuleUpdate(title="Broken", body="Text"), lead)
    broken.questions = [{"prompt": "Which?", "options": ["a", "b"], "answer": 5}]
    with pytest.raises(Invalid):
        modules.publish(db, broken, lead)
    assert broken.latest_version == 0


def test_only_cx_leads_write_modules(db, make):
    team = make.team()
    for role in (Role.staff, Role.team_lead):
        with pytest.raises(Forbidden):
            modules.create_module(db, ModuleUpdate(title="Nope"), make.user(role, team))
    archived = published_module(db, make.user(Role.admin))
    modules.archive(db, archived, make.user(Role.cx_lead))
    assert archived.archived and archived not in modules.published_modules(db)


def test_the_question_form_is_read_and_checked():
    values = {
        "title": "Lost cards",
        "body": "Text",
        "q0-prompt": "Which action?",
        "q0-options": "Reissue\n\n  Close  \n",
        "q0-answer": "1",
        "q0-explanation": "Because.",
        "q1-prompt": "Removed",
        "q1-options": "a\nb",
        "q1-answer": "2",
        "q1-remove": "1",
        "q2-prompt": "",
        "q2-options": "",
        "q2-answer": "",  # the blank "add a question" fieldset
    }
    data, errors = modules.read_form(values)
    assert errors == {} and data is not None
    assert [q.model_dump() for q in data.questions] == [
        {"prompt": "Which action?", "options": ["Reissue", "Close"], "answer": 0,
         "explanation": "Because."}
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
    data, errors = modules.read_form(bad)
    assert data is None
    assert set(errors) == {"title", "q0-options", "q1-answer", "q2-answer"}
    _, errors = modules.read_form(
        {"title": "x", "q0-prompt": "", "q0-options": "a\nb", "q0-answer": "1"}
    )
    assert set(errors) == {"q0-prompt"}
