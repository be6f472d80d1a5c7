"""Check questions drafted from real contacts: the customer's own question, the answer that
resolved it first time as the right option, other themes' answers as the wrong ones; reviewed
by a CX lead before publishing."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from coaching.interactions.models import Outcome, Signal, SignalKind
from coaching.modules import questions as drafted
from coaching.modules import service as module_service
from coaching.modules.models import ModuleUpdate
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.embeddings import DIMENSIONS, to_bytes
from foundation.errors import Invalid
from foundation.ids import pk
from foundation.settings import Settings
from tests.support.coaching import add_agents, add_interaction, add_to_theme, make_theme

PHRASES = Settings().uncertainty_phrases

# theme key -> (customer question, agent answer) of contacts resolved first time, rated 5.
GOOD = {
    "cards": [
        (
            "My card was stolen last night. Can you send me a new one?",
            "Hi, my name is Priya. I've cancelled the old card and ordered a new one; it arrives "
            "in five working days.",
        ),
        (
            "Why has my replacement card not come yet?",
            "Replacement cards take up to seven working days. I've checked and yours was posted "
            "on Monday.",
        ),
        (
            "Can I use Apple Pay while I wait for my new card?",
            "Yes: your new card details are already in the app, so you can add it to your wallet "
            "today.",
        ),
    ],
    "payments": [
        (
            "How long does an international payment take to arrive?",
            "International payments arrive within two working days when sent before 2pm.",
        ),
        (
            "Why was my transfer to Spain returned?",
            "The receiving bank rejected the IBAN, so the money came back; check it with the "
            "payee and send it again.",
        ),
    ],
    "mortgage": [
        (
            "Can I overpay my mortgage this year without a fee?",
            "You can overpay up to ten percent of the balance each year without an early "
            "repayment charge.",
        ),
        (
            "How do I make a lump sum overpayment?",
            "Send the overpayment by bank transfer using your mortgage account as the reference, "
            "and we reduce your monthly payment.",
        ),
    ],
}
UNRESOLVED = {
    "cards": ("My new card doesn't work at all in shops, what now?",
              "Have you tried turning it off and on again, maybe wait a week and see."),
}  # fmt: skip


def _unit(*axes: int) -> np.ndarray:
    vector = np.zeros(DIMENSIONS, dtype=np.float32)
    vector[list(axes)] = 1.0
    return vector / np.linalg.norm(vector)


def _contact(db, theme, agent, question, answer, *, outcome, csat, signals, when):
    row = add_interaction(db, agent, None, when, signals=signals, outcome=outcome, csat=csat)
    row.turns = [
        {"speaker": "customer", "text": question},
        {"speaker": "agent", "text": answer},
        {"speaker": "customer", "text": "Thanks."},
        {"speaker": "agent", "text": "You're welcome, goodbye."},
    ]
    add_to_theme(db, theme, row)
    return row


@pytest.fixture
def themes(db):
    """Three themes: cards (nearest: payments, then mortgage), payments and mortgage, each with
    contacts resolved first time and rated 5; cards also has an unresolved contact and a
    resolved one rated 2."""
    agents = add_agents(db, 3, prefix="Q-")
    when = utcnow() - timedelta(days=3)
    centroids = {"cards": _unit(0), "payments": _unit(0, 1), "mortgage": _unit(2)}
    made = {}
    for key, pairs in GOOD.items():
        theme = make_theme(db, key.title())
        theme.keywords = [key[:-1], "card" if key == "cards" else "payment"]
        theme.centroid = to_bytes(centroids[key])
        for i, (question, answer) in enumerate(pairs):
            # On the theme's evidence as a transfer that the receiving agent resolved.
            _contact(db, theme, agents[i % 3], question, answer, outcome=Outcome.resolved,
                     csat=5, signals=[SignalKind.transfer], when=when)  # fmt: skip
        made[key] = theme
    question, answer = UNRESOLVED["cards"]
    _contact(db, made["cards"], agents[0], question, answer, outcome=Outcome.unresolved,
             csat=None, signals=[SignalKind.uncertainty], when=when)  # fmt: skip
    _contact(db, made["cards"], agents[1], "Is my card blocked?", "It is blocked for now.",
             outcome=Outcome.resolved, csat=2, signals=[SignalKind.low_csat],
             when=when)  # fmt: skip
    db.flush()
    return made


def _draft(db, theme):
    return drafted.draft_questions(db, theme, uncertainty_phrases=PHRASES)


def test_questions_differ_between_themes(db, themes):
    cards, payments = _draft(db, themes["cards"]), _draft(db, themes["payments"])
    assert len(cards) == 3 and len(payments) == 2
    assert not {q.prompt for q in cards} & {q.prompt for q in payments}
    for questions, key in ((cards, "cards"), (payments, "payments")):
        asked = [q for q, _ in GOOD[key]]
        assert all(any(a in q.prompt for a in asked) for q in questions)  # the customer's words


def test_the_right_option_is_a_resolved_answer_of_the_theme_and_the_wrong_ones_are_not(db, themes):
    questions = _draft(db, themes["cards"])
    own = " ".join(a for _, a in GOOD["cards"])
    others = " ".join(a for key in ("payments", "mortgage") for _, a in GOOD[key])
    for question in questions:
        assert 3 <= len(question.options) <= 4
        right = question.options[question.answer]
        assert right.rstrip("…") in own
        wrong = [o for i, o in enumerate(question.options) if i != question.answer]
        assert all(o.rstrip("…") in others for o in wrong)  # answers from neighbouring themes
        assert UNRESOLVED["cards"][1] not in question.options  # not necessarily wrong: unused
        assert "blocked for now" not in " ".join(question.options)  # rated 2: not a good answer
        assert "Priya" not in " ".join(question.options)  # no agent names
        assert question.to_review and question.hint and right not in question.hint
        assert "Agents who resolved these contacts first time" in question.explanation
        assert "Source: a phone call of" in question.explanation
    # The nearest theme gives the first wrong options: payments before mortgage.
    first_wrong = {o for i, o in enumerate(questions[0].options) if i != questions[0].answer}
    assert any(o.rstrip("…") in " ".join(a for _, a in GOOD["payments"]) for o in first_wrong)


def test_the_right_option_moves_and_the_draft_is_the_same_every_time(db, themes):
    first, again = _draft(db, themes["cards"]), _draft(db, themes["cards"])
    assert [q.model_dump() for q in first] == [q.model_dump() for q in again]
    places = {q.answer for t in themes.values() for q in _draft(db, t)}
    assert len(places) > 1  # not always in the same place


def test_a_theme_without_good_answers_gets_fewer_questions_never_a_template(db):
    theme = make_theme(db, "Nothing resolved")
    (agent,) = add_agents(db, 1, prefix="QN-")
    when = utcnow() - timedelta(days=1)
    for _ in range(3):
        _contact(db, theme, agent, "Why is my account frozen?", "I'm not sure, let me check.",
                 outcome=Outcome.unresolved, csat=None, signals=[SignalKind.uncertainty],
                 when=when)  # fmt: skip
    assert _draft(db, theme) == []
    # A missed vulnerability cue allows one question, quoting the customer's own words.
    row = _contact(db, theme, agent, "My husband passed away and I can't access our account.",
                   "Please send us the death certificate.", outcome=Outcome.unresolved,
                   csat=None, signals=[], when=when)  # fmt: skip
    db.add(
        Signal(
            interaction_id=pk(row),
            kind=SignalKind.missed_vulnerability,
            evidence="Customer: My husband passed away and I can't access our account. / "
            "Agent: Please send us the death certificate.",
            reason='customer cue "passed away" (bereavement; FCA driver: life events) with no '
            "agent acknowledgement or support action after it",
        )
    )
    db.flush()
    (question,) = _draft(db, theme)
    assert (
        "My husband passed away" in question.prompt and "death certificate" not in question.prompt
    )
    assert "“passed away” (bereavement; FCA driver: life events)" in question.explanation
    assert 3 <= len(question.options) <= 4 and question.to_review


def test_drafted_questions_are_reviewed_before_publishing(db, make, themes):
    lead = make.user(Role.cx_lead)
    data = ModuleUpdate(
        title="Cards", body="## Why\n\nText.", questions=_draft(db, themes["cards"])
    )
    module = module_service.create_module(db, data, lead, theme_id=themes["cards"].id)
    with pytest.raises(Invalid) as refused:
        module_service.publish(db, module, lead)
    assert "Review the drafted check questions" in refused.value.message
    assert module.latest_version == 0
    # Saving the edit form (as the CX lead does after reading them) is the review.
    values = {"title": "Cards", "body": "## Why\n\nText."}
    for i, q in enumerate(module.questions):
        values |= {f"q{i}-prompt": q["prompt"], f"q{i}-options": "\n".join(q["options"]),
                   f"q{i}-answer": str(q["answer"] + 1), f"q{i}-explanation": q["explanation"],
                   f"q{i}-hint": q["hint"]}  # fmt: skip
    form, errors = module_service.read_form(values)
    assert errors == {} and form is not None
    module_service.update_module(db, module, form, lead)
    assert not any(q["to_review"] for q in module.questions)
    assert module.questions[0]["hint"]  # kept through the form
    version = module_service.publish(db, module, lead)
    assert version.number == 1 and len(version.questions) == 3


def test_trimming_keeps_a_question_and_a_sentence_or_two():
    asked = drafted.readable_question(
        "Hello there. I moved house last month and updated my address online. "
        "Why did my statement go to the old one? It has all my details on it."
    )
    assert asked == (
        "I moved house last month and updated my address online. "
        "Why did my statement go to the old one?"
    )
    answer = drafted.readable_answer(
        "Thanks for calling, you're speaking to Sam. Your address was changed after the "
        "statement run. I've resent it to the new one. Anything else? Ref AB-12345."
    )
    assert (
        answer == "Your address was changed after the statement run. I've resent it to the new one."
    )


def test_an_answer_this_theme_also_gives_is_never_a_wrong_option(db, themes):
    (agent,) = add_agents(db, 1, prefix="QS-")
    same = GOOD["cards"][1][1]  # a card answer also given on a payments contact
    _contact(db, themes["payments"], agent, "Where is my card? I need it to pay abroad.", same,
             outcome=Outcome.resolved, csat=4, signals=[SignalKind.transfer],
             when=utcnow() - timedelta(days=2))  # fmt: skip
    for question in _draft(db, themes["cards"]):
        wrong = [o for i, o in enumerate(question.options) if i != question.answer]
        assert not any("seven working days" in o for o in wrong)


def test_one_script_with_another_ending_is_one_option():
    from coaching.modules.questions import _alike

    first = "Exchanging currency at the weekend has a 1% charge. I've refunded the fee."
    second = "Exchanging currency at the weekend has a 1% charge. Here is our fees page."
    assert _alike(first, second)
    assert not _alike(first, "Pending means the retailer has only reserved the money.")
