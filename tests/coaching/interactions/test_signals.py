"""``coaching.interactions.signals``: every signal kind, with positive and negative cases.

The shared data has no labelled knowledge-gap corpus, so every case below is written by hand for
this test (the contact-centre wording is ours, UK retail banking). One test reads the real
Schema-Guided Dialogue banking dialogues in ``shared/data/sgd_banks`` (CC BY-SA 4.0, see its
PROVENANCE.md) to check that ordinary, gap-free conversations stay quiet.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from coaching.interactions.excerpts import EVIDENCE_MAX_CHARS, REASON_MAX_CHARS, resolution
from coaching.interactions.models import Outcome, SignalKind
from coaching.interactions.signals import Found, detect, repeat_contact
from coaching.interactions.transcript import parse_turns
from foundation.settings import Settings

PHRASES = Settings.model_fields["uncertainty_phrases"].default
K = SignalKind


def run(
    text: str,
    *,
    outcome: Outcome | None = None,
    csat: int | None = None,
    actions: list[str] | None = None,
    phrases: list[str] | None = None,
) -> dict[SignalKind, Found]:
    found = detect(
        parse_turns(text),
        outcome=outcome,
        csat=csat,
        actions=actions or [],
        uncertainty_phrases=PHRASES if phrases is None else phrases,
    )
    kinds = [f.kind for f in found]
    assert len(kinds) == len(set(kinds)), "at most one signal per kind"
    for f in found:
        assert len(f.evidence) <= EVIDENCE_MAX_CHARS
        assert len(f.reason) <= REASON_MAX_CHARS
    return {f.kind: f for f in found}


def agent_says(line: str) -> str:
    return f"Customer: Can I get the late payment fee refunded?\nAgent: {line}"


def customer_says(line: str, agent_reply: str = "OK, what is your account number?") -> str:
    return f"Agent: How can I help today?\nCustomer: {line}\nAgent: {agent_reply}"


# --- uncertainty ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "phrase"),
    [
        ("I'm not sure, sorry.", "i'm not sure"),
        ("I am not sure that applies to your account.", "i am not sure"),
        ("Let me check with the disputes team.", "let me check with"),
        ("I don't know how long a chargeback takes.", "i don't know"),
        ("I do not know the answer to that.", "i do not know"),
        ("I'll have to find out and call you back.", "i'll have to find out"),
        ("Bear with me while I ask a colleague.", "bear with me while i ask"),
        ("I'll need to ask my team about ISAs.", "i'll need to ask"),
        ("I need to check with the mortgage team.", "i need to check with"),
        ("Fee refunds are not something I know much about.", "not something i know"),
        ("I\u2019m not sure about that one.", "i'm not sure"),
        ("im not sure tbh", "i'm not sure"),
        ("I dont know", "i don't know"),
        ("I'm not entirely sure how that works.", "i'm not sure"),
        ("I'm not 100% sure.", "i'm not sure"),
        ("I don't really know.", "i don't know"),
        ("No, I'm not sure.", "i'm not sure"),
        ("no I'm not sure", "i'm not sure"),
        ("I can't say, I'm not sure.", "i'm not sure"),
        ("I  AM   NOT\nSURE", "i am not sure"),
    ],
)
def test_uncertainty_fires(line: str, phrase: str) -> None:
    found = run(agent_says(line))[K.uncertainty]
    assert found.reason == f'agent said "{phrase}"'
    assert found.turn_index == 1
    squashed = " ".join(line.split())
    assert (
        found.evidence == f"Customer: Can I get the late payment fee refunded? / Agent: {squashed}"
    )


@pytest.mark.parametrize(
    "line",
    [
        "No need to check, I'm sure it's refundable.",
        "You don't need to check with anyone, it's on the website.",
        "I don't think I need to check with anyone, it's refundable.",
        "I'm sure.",
        "I'm quite sure it is refundable.",
        "I don't know if you've seen our app, it's great.",
        "I don't know whether you've tried the app yet?",
        "I'm not sure if you've heard about our new saver.",
        "I don't know about you, but I love a refund.",
        "I don't know your PIN, only you do.",
        "I'm not sure I caught that, could you repeat it?",
        "Without needing to check with anyone, yes.",
        "Yes, that is refundable.",
    ],
)
def test_uncertainty_does_not_fire(line: str) -> None:
    assert K.uncertainty not in run(agent_says(line))


@pytest.mark.parametrize(
    ("line", "phrases"),
    [
        ("No need to check, it's fine.", ["check"]),
        ("There's no need to check.", ["need to check"]),
        ("You don't need to check with anyone.", ["need to check with"]),
        ("I'm not unsure at all.", ["unsure"]),
        ("I never have to ask anyone about that.", ["ask anyone"]),
    ],
)
def test_negated_configured_phrases_do_not_fire(line: str, phrases: list[str]) -> None:
    assert K.uncertainty not in run(agent_says(line), phrases=phrases)


@pytest.mark.parametrize(
    ("line", "phrases"),
    [
        ("Let me check.", ["check"]),
        ("I'm unsure.", ["unsure"]),
        ("Not sure, let me check with the team.", ["let me check with"]),
    ],
)
def test_configured_phrases_fire(line: str, phrases: list[str]) -> None:
    assert K.uncertainty in run(agent_says(line), phrases=phrases)


def test_uncertainty_reads_agent_turns_only() -> None:
    text = "Agent: How can I help?\nCustomer: I'm not sure, I don't know what this charge is."
    assert K.uncertainty not in run(text)
    assert K.uncertainty not in run("Called cust, I'm not sure what they wanted. Let me check with")


def test_uncertainty_is_one_signal_with_the_first_occurrence() -> None:
    text = (
        "Customer: What's the rate on the fixed saver?\n"
        "Agent: I don't know offhand.\n"
        "Customer: And the easy access one?\n"
        "Agent: I'm not sure either, let me check with my team."
    )
    found = run(text)[K.uncertainty]
    assert found.turn_index == 1
    assert found.reason == 'agent said "i don\'t know"'
    assert found.evidence == (
        "Customer: What's the rate on the fixed saver? / Agent: I don't know offhand."
    )


def test_uncertainty_finds_a_later_match_after_a_negated_one() -> None:
    found = run(agent_says("No need to check with anyone. Actually, let me check with my team."))
    assert found[K.uncertainty].reason == 'agent said "let me check with"'


def test_empty_phrase_list_finds_no_uncertainty() -> None:
    assert K.uncertainty not in run(agent_says("I'm not sure."), phrases=[])


# --- transfer, escalation, unresolved ---------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "I'm transferring you to our fraud team now.",
        "I'll put you through to the mortgage team.",
        "I'll transfer you to a colleague.",
        "Let me pass you over to the savings team.",
        "I'm going to connect you with our specialist.",
        "I'll transfer your call now.",
    ],
)
def test_transfer_phrase_fires(line: str) -> None:
    found = run(agent_says(line))[K.transfer]
    assert found.reason.startswith('agent said "')
    assert found.turn_index == 1
    assert found.evidence.endswith(f"Agent: {line}")


@pytest.mark.parametrize(
    "line",
    [
        "I won't need to transfer you, I can do it here.",
        "There's no need to put you through to anyone.",
        "After the transfer you just authorised your balance is [AMOUNT].",
        "I've transferred [AMOUNT] to your savings.",
        "Unfortunately I'm not able to transfer you.",
    ],
)
def test_transfer_phrase_does_not_fire(line: str) -> None:
    assert K.transfer not in run(agent_says(line))


def test_transfer_by_outcome() -> None:
    found = run(agent_says("Please hold."), outcome=Outcome.transferred)[K.transfer]
    assert found.reason == "outcome = transferred"
    assert found.turn_index is None
    assert found.evidence.startswith("Customer: Can I get the late payment fee refunded?")


def test_transfer_by_outcome_and_phrase_names_both() -> None:
    found = run(agent_says("I'll put you through to disputes."), outcome=Outcome.transferred)
    assert found[K.transfer].reason == 'outcome = transferred; agent said "put you through"'
    assert found[K.transfer].turn_index == 1


def test_customer_asking_for_a_transfer_is_not_an_agent_transfer() -> None:
    assert K.transfer not in run("Customer: Can you transfer me to someone else?\nAgent: Sure.")


@pytest.mark.parametrize(
    "line",
    [
        "I'll escalate this for you.",
        "I've escalated it to the complaints team.",
        "Let me speak to my manager.",
        "I'll have to talk to my team leader about that.",
        "I'll get my supervisor.",
    ],
)
def test_escalation_phrase_fires(line: str) -> None:
    found = run(agent_says(line))[K.escalation]
    assert found.reason.startswith('agent said "')
    assert found.turn_index == 1


@pytest.mark.parametrize(
    "line",
    [
        "There's no need to escalate this, I can refund it now.",
        "I won't escalate it, it's already done.",
        "My manager says hello.",
        "Let me check with my team leader.",
    ],
)
def test_escalation_phrase_does_not_fire(line: str) -> None:
    assert K.escalation not in run(agent_says(line))


def test_escalation_by_outcome_and_customer_demand_is_not_enough() -> None:
    text = "Customer: I want to speak to your manager.\nAgent: I can help you with that fee."
    assert K.escalation not in run(text)
    found = run(text, outcome=Outcome.escalated)[K.escalation]
    assert found.reason == "outcome = escalated"
    assert found.turn_index is None


def test_unresolved_by_outcome_only() -> None:
    found = run(agent_says("Sorry, we can't."), outcome=Outcome.unresolved)[K.unresolved]
    assert found.reason == "outcome = unresolved"
    assert found.turn_index is None
    assert found.evidence == (
        "Customer: Can I get the late payment fee refunded? / Agent: Sorry, we can't."
    )
    for outcome in (None, Outcome.resolved, Outcome.escalated, Outcome.transferred):
        assert K.unresolved not in run(agent_says("Sorry, we can't."), outcome=outcome)


def test_outcome_as_plain_string_is_accepted() -> None:
    found = run(agent_says("OK."), outcome="unresolved")  # type: ignore[arg-type]
    assert K.unresolved in found


# --- low CSAT ---------------------------------------------------------------------------------


@pytest.mark.parametrize("csat", [1, 2])
def test_low_csat_fires(csat: int) -> None:
    found = run(agent_says("Done."), csat=csat)[K.low_csat]
    assert found.reason == f"CSAT {csat} <= 2"
    assert found.turn_index is None


@pytest.mark.parametrize("csat", [3, 4, 5, None])
def test_low_csat_does_not_fire(csat: int | None) -> None:
    assert K.low_csat not in run(agent_says("Done."), csat=csat)


# --- negative sentiment at the end ------------------------------------------------------------


def ending(*customer_lines: str) -> str:
    lines = ["Agent: Good afternoon, how can I help?"]
    for line in customer_lines:
        lines += [f"Customer: {line}", "Agent: I understand. Is there anything else?"]
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("lines", "reason_part"),
    [
        (("Your service is terrible.",), "VADER compound"),
        (("I'm really disappointed with how this was handled.",), "VADER compound"),
        (("This is ridiculous and completely unacceptable.", "Bye."), "VADER compound"),
        (("Thanks, but this is useless.",), '"useless"'),
        (("I AM FURIOUS.",), "VADER compound"),
        (("This is the third time I've called about this.", "thanks, bye"), '"third time'),
        (("What a waste of time.",), '"waste of time"'),
        (("Thanks for nothing.",), '"thanks for nothing"'),
        (("I'm not happy, to be honest.",), '"not happy"'),
        (("I want to make a complaint.",), '"make a complaint"'),
        (("My card still hasn't arrived.",), "still hasn't arrived"),
        (("This is a joke.",), '"this is a joke"'),
        (("I'm fed up.", "OK."), '"fed up"'),
        (("So you can't help me then.",), "can't help me"),
        (("I'm so angry right now.",), "VADER compound"),
    ],
)
def test_negative_ending_fires(lines: tuple[str, ...], reason_part: str) -> None:
    found = run(ending(*lines))[K.negative_sentiment]
    assert reason_part in found.reason
    assert found.reason.startswith("customer ended")
    assert found.evidence.startswith("Customer: ")
    assert "Agent: I understand." in found.evidence


def test_negative_ending_reason_names_the_threshold() -> None:
    found = run(ending("Your service is terrible."))[K.negative_sentiment]
    assert "<= -0.40" in found.reason
    assert '("Your service is terrible")' in found.reason
    assert found.turn_index == 1


@pytest.mark.parametrize(
    "lines",
    [
        ("Brilliant, thank you so much!",),
        ("This is the third time I've called.", "Oh brilliant, thank you so much, that's sorted!"),
        ("Your service was terrible last year.", "But you've been great today, thanks."),
        ("No thanks, bye.",),
        ("Nope, that's all. Thanks!",),
        ("Nothing, I'm great.",),
        ("No, thank you.",),
        ("My card was stolen and the payment failed, can you block it?",),
        ("I lost my card and there's a charge I want to dispute.",),
        ("I'm not going to complain, you've been really helpful.",),
        ("I can't complain.",),
        ("OK.",),
        ("Thanks for sorting that. I was so worried.",),
        ("I guess I'll call back tomorrow then.",),
    ],
)
def test_negative_ending_does_not_fire(lines: tuple[str, ...]) -> None:
    assert K.negative_sentiment not in run(ending(*lines))


def test_only_the_last_two_customer_turns_count() -> None:
    text = ending("This is ridiculous.", "Where do I find my sort code?", "Thanks, got it.")
    assert K.negative_sentiment not in run(text)


def test_notes_are_never_scored_for_sentiment() -> None:
    assert K.negative_sentiment not in run("Customer furious, said service is terrible.")


# --- missed vulnerability ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "cue", "category", "driver"),
    [
        ("My husband passed away last month.", "passed away", "bereavement", "life events"),
        ("Mum died in March and I'm her executor.", "died", "bereavement", "life events"),
        ("I need money for the funeral.", "funeral", "bereavement", "life events"),
        ("I was widowed last year.", "widowed", "bereavement", "life events"),
        ("I lost my dad in the summer.", "lost my dad", "bereavement", "life events"),
        ("I'm having chemo at the moment.", "chemo", "serious illness", "health"),
        ("I've just come out of hospital.", "hospital", "serious illness", "health"),
        ("She's terminally ill.", "terminally ill", "serious illness", "health"),
        ("I've got cancer.", "cancer", "serious illness", "health"),
        ("I suffer from depression.", "depression", "mental health", "health"),
        ("I get panic attacks on the phone.", "panic attacks", "mental health", "health"),
        ("My mental health isn't great.", "mental health", "mental health", "health"),
        ("Honestly I've been feeling suicidal.", "suicidal", "mental health", "health"),
        ("I lost my job last week.", "lost my job", "job loss", "life events"),
        ("I've been made redundant.", "made redundant", "job loss", "life events"),
        ("I'm unemployed at the moment.", "unemployed", "job loss", "life events"),
        ("I'm in arrears on my loan.", "arrears", "debt or arrears", "resilience"),
        ("I can't afford the repayments.", "can't afford", "debt or arrears", "resilience"),
        ("I'm behind on payments.", "behind on payments", "debt or arrears", "resilience"),
        ("Debt collectors keep calling.", "debt collectors", "debt or arrears", "resilience"),
        ("The bailiffs came round.", "bailiffs", "debt or arrears", "resilience"),
        (
            "I'm struggling with money at the moment.",
            "struggling with money",
            "debt or arrears",
            "resilience",
        ),
        ("I'm a carer for my son.", "carer", "caring responsibilities", "life events"),
        (
            "I'm caring for my mum full time.",
            "caring for my mum",
            "caring responsibilities",
            "life events",
        ),
        (
            "My partner controls my money.",
            "partner controls my money",
            "domestic abuse",
            "life events",
        ),
        ("He's abusive.", "abusive", "domestic abuse", "life events"),
        ("I think I've been scammed.", "scammed", "scam", "life events"),
        (
            "The bank's fraud team told me to move my money.",
            "told me to move my money",
            "scam",
            "life events",
        ),
        ("A fraudster rang me.", "fraudster", "scam", "life events"),
        (
            "I'm not good with computers.",
            "not good with computers",
            "low digital confidence",
            "capability",
        ),
        ("I don't use the app.", "don't use the app", "low digital confidence", "capability"),
        (
            "I can't use online banking.",
            "can't use online banking",
            "low digital confidence",
            "capability",
        ),
    ],
)
def test_vulnerability_cue_without_acknowledgement_fires(
    line: str, cue: str, category: str, driver: str
) -> None:
    found = run(customer_says(line))[K.missed_vulnerability]
    assert found.reason == (
        f'customer cue "{cue}" ({category}; FCA driver: {driver}) with no agent '
        "acknowledgement or support action after it"
    )
    assert found.turn_index == 1
    assert found.evidence == f"Customer: {line} / Agent: OK, what is your account number?"


@pytest.mark.parametrize(
    "reply",
    [
        "I'm so sorry to hear that.",
        "I'm sorry for your loss.",
        "I understand, that must be really hard.",
        "Please take your time.",
        "We have a specialist team who can support you.",
        "I can put 30 days of breathing space on the account.",
        "We can offer a payment holiday.",
        "StepChange and MoneyHelper offer free advice.",
        "The Samaritans are there 24 hours a day.",
        "Let me note this on your account so we can give you extra help.",
        "Our bereavement team will handle everything.",
    ],
)
def test_acknowledged_cue_does_not_fire(reply: str) -> None:
    text = customer_says("My husband passed away and I've lost my job.", reply)
    assert K.missed_vulnerability not in run(text)


def test_offline_help_acknowledges_low_digital_confidence_only() -> None:
    reply = "We can send you paper statements by post instead."
    assert K.missed_vulnerability not in run(customer_says("I'm not good with computers.", reply))
    assert K.missed_vulnerability in run(customer_says("I've just lost my job.", reply))


def test_acknowledgement_in_a_later_agent_turn_counts() -> None:
    text = (
        "Customer: I'm behind on my mortgage since I lost my job.\n"
        "Agent: Can I take your account number?\n"
        "Customer: It's [ACCOUNT].\n"
        "Agent: Thank you. We can look at a payment plan for you."
    )
    assert K.missed_vulnerability not in run(text)


def test_acknowledgement_before_the_cue_does_not_count() -> None:
    text = (
        "Agent: We offer support for anyone who needs it.\n"
        "Customer: I've just been made redundant.\n"
        "Agent: OK, what would you like to do today?"
    )
    found = run(text)[K.missed_vulnerability]
    assert found.turn_index == 1


def test_negated_acknowledgement_does_not_count() -> None:
    text = customer_says("I can't afford this month's payment.", "We don't support that, sorry.")
    assert K.missed_vulnerability in run(text)


@pytest.mark.parametrize(
    "actions",
    [
        ["VULN_FLAG"],
        ["REFUND", "SUPPORT_REFERRAL"],
        ["breathing space"],
        ["specialist-team"],
        ["BEREAVEMENT_TEAM"],
        ["SIGNPOST_STEPCHANGE"],
        ["vulnerability_noted"],
    ],
)
def test_support_action_clears_the_cue(actions: list[str]) -> None:
    assert K.missed_vulnerability not in run(customer_says("I lost my job."), actions=actions)


def test_unrelated_action_does_not_clear_the_cue() -> None:
    found = run(customer_says("I lost my job."), actions=["REFUND", "CARD_REISSUE"])
    assert K.missed_vulnerability in found


@pytest.mark.parametrize(
    "line",
    [
        "I haven't lost my job, I just want a bigger overdraft.",
        "I don't have any debt.",
        "I have no debt at all.",
        "I'm not in arrears.",
        "I've never been made redundant.",
        "My phone died halfway through the payment.",
        "The card terminal wasn't working.",
        "I'd like to watch A Madea Family Funeral tonight.",
        "I donate to Cancer Research UK every month.",
        "I'd like to check my balance please.",
    ],
)
def test_no_vulnerability_cue(line: str) -> None:
    assert K.missed_vulnerability not in run(customer_says(line))


def test_agent_words_are_not_customer_cues() -> None:
    text = "Customer: Can I close my account?\nAgent: Has anyone passed away or lost their job?"
    assert K.missed_vulnerability not in run(text)


def test_first_unacknowledged_cue_is_the_evidence() -> None:
    text = (
        "Customer: My dad passed away.\n"
        "Agent: I'm so sorry for your loss.\n"
        "Customer: And the bailiffs are coming on Friday.\n"
        "Agent: Right, shall we carry on with the closure?"
    )
    found = run(text)[K.missed_vulnerability]
    assert found.turn_index == 2
    assert '"bailiffs"' in found.reason
    assert found.evidence == (
        "Customer: And the bailiffs are coming on Friday. / "
        "Agent: Right, shall we carry on with the closure?"
    )


def test_cue_in_the_last_customer_turn_has_no_agent_answer() -> None:
    found = run("Agent: Anything else?\nCustomer: No. My wife died last week, that's all.")
    assert found[K.missed_vulnerability].evidence == (
        "Customer: No. My wife died last week, that's all."
    )


def test_notes_only_interactions() -> None:
    found = run("Cust called re arrears on loan, advised to pay by Friday.")
    assert found[K.missed_vulnerability].reason.startswith('notes cue "arrears"')
    assert found[K.missed_vulnerability].evidence.startswith("Notes: Cust called re arrears")
    acknowledged = "Cust called re arrears on loan. Set up a payment plan, referred to StepChange."
    assert K.missed_vulnerability not in run(acknowledged)


# --- evidence and the whole result ------------------------------------------------------------


def test_long_turns_are_trimmed_around_the_trigger() -> None:
    question = "I have a question about my account. " * 30 + "Can I get the fee refunded?"
    answer = "Well, there are several things to think about here. " * 10 + (
        "Honestly I'm not sure, let me check with the team. " + "More words follow here. " * 20
    )
    found = run(f"Customer: {question}\nAgent: {answer}")[K.uncertainty]
    assert len(found.evidence) <= EVIDENCE_MAX_CHARS
    assert len(found.evidence) > EVIDENCE_MAX_CHARS - 20
    assert found.evidence.startswith("Customer: …")
    assert "Can I get the fee refunded? / Agent: …" in found.evidence
    assert "I'm not sure, let me check with the team." in found.evidence
    assert found.evidence.endswith("…")


def test_field_signal_evidence_uses_the_main_question() -> None:
    text = (
        "Agent: Hello, you're through to the bank.\n"
        "Customer: Hi.\n"
        "Agent: How can I help?\n"
        "Customer: I want to know why my transfer to my landlord was stopped.\n"
        "Agent: It was held for a fraud check.\n"
        "Customer: Right."
    )
    found = run(text, csat=1)[K.low_csat]
    assert found.evidence == (
        "Customer: I want to know why my transfer to my landlord was stopped. / "
        "Agent: It was held for a fraud check."
    )


def test_no_transcript() -> None:
    found = detect([], outcome=Outcome.unresolved, csat=2, actions=[], uncertainty_phrases=PHRASES)
    assert [f.kind for f in found] == [K.unresolved, K.low_csat]
    assert all(f.evidence == "(no transcript)" for f in found)


def test_clean_contact_has_no_signals() -> None:
    text = (
        "Agent: Good morning, you're through to the bank, how can I help?\n"
        "Customer: Hi, I'd like to order a replacement card, mine is worn out.\n"
        "Agent: Of course. I've ordered a new card, it will arrive in 3 to 5 working days.\n"
        "Customer: Great, thanks for your help. Bye!"
    )
    assert run(text, outcome=Outcome.resolved, csat=5) == {}


def test_every_kind_at_once_in_signal_kind_order() -> None:
    text = (
        "Customer: My husband passed away and I can't find his savings account.\n"
        "Agent: I'm not sure where it would be. I'll escalate this and transfer you.\n"
        "Customer: This is a waste of time."
    )
    found = detect(
        parse_turns(text),
        outcome=Outcome.unresolved,
        csat=1,
        actions=[],
        uncertainty_phrases=PHRASES,
    )
    assert [f.kind for f in found] == [
        K.uncertainty,
        K.transfer,
        K.escalation,
        K.unresolved,
        K.low_csat,
        K.negative_sentiment,
        K.missed_vulnerability,
    ]


# --- repeat contact ---------------------------------------------------------------------------


def test_repeat_contact() -> None:
    turns = parse_turns(
        "Customer: Hi.\nCustomer: My refund still isn't showing, can you check?\n"
        "Agent: It can take 5 working days."
    )
    found = repeat_contact(turns, 2.5, 7)
    assert found.kind is K.repeat_contact
    assert found.reason == "same customer contacted again after 2.5 days (limit 7 days)"
    assert found.turn_index is None
    assert found.evidence == (
        "Customer: My refund still isn't showing, can you check? / "
        "Agent: It can take 5 working days."
    )


def test_repeat_contact_within_a_day_says_hours() -> None:
    found = repeat_contact([], 0.25, 7)
    assert found.reason == "same customer contacted again after 6.0 hours (limit 7 days)"
    assert found.evidence == "(no transcript)"


@pytest.mark.parametrize("days", [-1.0, 7.5])
def test_repeat_contact_refuses_a_pair_outside_the_window(days: float) -> None:
    with pytest.raises(ValueError, match="not a repeat contact"):
        repeat_contact([], days, 7)


def test_detect_does_not_change_its_input() -> None:
    turns = parse_turns(agent_says("I'm not sure."))
    copy = [dict(t) for t in turns]
    actions = ["REFUND"]
    detect(turns, outcome=None, csat=None, actions=actions, uncertainty_phrases=PHRASES)
    assert turns == copy
    assert actions == ["REFUND"]


# --- real, gap-free dialogues -----------------------------------------------------------------

SGD = Path(__file__).resolve().parents[4] / "shared" / "data" / "sgd_banks"


def test_schema_guided_banking_dialogues_stay_quiet() -> None:
    """The 1,021 SGD banking dialogues (a user and a virtual assistant moving money, checking
    balances, booking films) have no knowledge gaps, vulnerability or complaints. Two lines
    fire: "Ok, I'm so sorry. I don't know what happened." (a fair uncertainty hit) and a user's
    "Unfortunately my baby sitter just cancelled, so I won't be free" (negative, though not about
    the service)."""
    dialogues = []
    for name in ("dev_banks_dialogues.json", "train_banks_dialogues.json"):
        path = SGD / name
        if not path.exists():
            raise FileNotFoundError(
                f"SGD data not found at {path}: the shared data folder must sit beside the "
                "repository clone, as shared/data/sgd_banks/."
            )
        dialogues += json.loads(path.read_text())
    assert len(dialogues) > 1000
    fired: dict[SignalKind, int] = {}
    for dialogue in dialogues:
        text = "\n".join(f"{t['speaker']}: {t['utterance']}" for t in dialogue["turns"])
        turns = parse_turns(text)
        assert {t["speaker"] for t in turns} == {"agent", "customer"}
        for f in detect(turns, outcome=None, csat=None, actions=[], uncertainty_phrases=PHRASES):
            fired[f.kind] = fired.get(f.kind, 0) + 1
    assert fired == {K.uncertainty: 1, K.negative_sentiment: 1}


# --- throughput on realistic transcripts ------------------------------------------------------

GREETINGS = [
    "Good morning, you're through to the bank, my name's [NAME], how can I help?",
    "Hello, thanks for calling, who am I speaking with today?",
    "Hi there, thanks for waiting. How can I help you today?",
]
QUESTIONS = [
    "I've been charged a fee for going over my overdraft and I don't think it's right.",
    "My new card hasn't arrived and it's been ten days, can you check where it is?",
    "I want to move money from my ISA into my current account, is there a penalty?",
    "There's a payment to a company I don't recognise on my statement from Tuesday.",
    "Can I increase my contactless limit? It keeps asking for my PIN.",
    "I'm trying to set up a standing order for my rent but the app won't let me.",
    "What's the interest rate on the fixed-rate saver at the moment?",
    "I need a letter confirming my address for the council.",
]
ID_AND_V = [
    ("Can I take your full name and date of birth?", "It's [NAME], [DATE]."),
    ("Could you confirm the first line of your address?", "[ADDRESS]."),
    ("And the last four digits of the card?", "[CARD]."),
]
ANSWERS = [
    "I can see that on the account now, I've refunded the fee as a goodwill gesture.",
    "I've cancelled the old card and ordered a new one, it'll be with you in 3 to 5 days.",
    "There's no penalty on that account, I've moved the money across for you.",
    "I've blocked the card and raised a dispute for that payment.",
    "I've updated that for you, it'll take effect from tomorrow.",
]
UNCERTAIN = [
    "I'm not sure how that works, let me check with my team leader.",
    "I don't know the answer to that one, bear with me while I ask.",
]
DECOYS = [
    "No need to check anything else, that's all done.",
    "You don't need to check with anyone, it's all on the app.",
    "I don't know if you've seen our app, it's really handy for that.",
]
TRANSFERS = ["I'm going to put you through to our mortgage team now."]
ESCALATIONS = ["I'll escalate this to our complaints team today."]
CUES = [
    "To be honest money is tight, I lost my job last month.",
    "My mum passed away recently and I'm sorting out her accounts.",
    "I'm behind on payments on my credit card.",
]
NEGATED_CUES = ["I haven't lost my job or anything, it's just a query.", "I'm not in arrears."]
ACKS = [
    "I'm so sorry to hear that. We have a specialist team who can support you.",
    "I understand, please take your time. We can look at a payment holiday.",
]
GOOD_ENDINGS = ["Brilliant, thank you so much for your help.", "That's great, cheers. Bye!"]
BAD_ENDINGS = [
    "This is the third time I've called about this.",
    "Honestly this is useless, I'm really disappointed.",
]
POLITE_ENDINGS = ["No, that's all, thanks. Bye.", "OK."]


def realistic_transcript(rng: random.Random) -> tuple[str, dict[str, object], set[SignalKind]]:
    """A hand-made 10-to-16-turn contact, its fields, and the signals it must give."""
    expected: set[SignalKind] = set()
    lines = [f"Agent: {rng.choice(GREETINGS)}", f"Customer: {rng.choice(QUESTIONS)}"]
    for ask, reply in rng.sample(ID_AND_V, k=rng.randint(1, 3)):
        lines += [f"Agent: {ask}", f"Customer: {reply}"]
    roll = rng.random()
    if roll < 0.15:
        lines.append(f"Agent: {rng.choice(UNCERTAIN)}")
        expected.add(K.uncertainty)
    elif roll < 0.30:
        lines.append(f"Agent: {rng.choice(DECOYS)}")
    roll = rng.random()
    if roll < 0.2:
        lines += [f"Customer: {rng.choice(CUES)}"]
        if rng.random() < 0.5:
            lines.append(f"Agent: {rng.choice(ACKS)}")
        else:
            lines.append("Agent: OK. Let me just bring that up.")
            expected.add(K.missed_vulnerability)
    elif roll < 0.3:
        lines += [f"Customer: {rng.choice(NEGATED_CUES)}", "Agent: No problem."]
    lines.append(f"Agent: {rng.choice(ANSWERS)}")
    if rng.random() < 0.08:
        lines.append(f"Agent: {TRANSFERS[0]}")
        expected.add(K.transfer)
    if rng.random() < 0.08:
        lines.append(f"Agent: {ESCALATIONS[0]}")
        expected.add(K.escalation)
    lines.append("Agent: Is there anything else I can help with today?")
    roll = rng.random()
    if roll < 0.15:
        lines.append(f"Customer: {rng.choice(BAD_ENDINGS)}")
        expected.add(K.negative_sentiment)
    elif roll < 0.6:
        lines.append(f"Customer: {rng.choice(GOOD_ENDINGS)}")
    else:
        lines.append(f"Customer: {rng.choice(POLITE_ENDINGS)}")
    lines.append("Agent: Thanks for calling, have a lovely day.")
    outcome = rng.choice([Outcome.resolved] * 6 + [Outcome.unresolved, Outcome.transferred])
    if outcome is Outcome.unresolved:
        expected.add(K.unresolved)
    if outcome is Outcome.transferred:
        expected.add(K.transfer)
    csat = rng.choice([None, 1, 2, 3, 4, 5, 5, 5])
    if csat is not None and csat <= 2:
        expected.add(K.low_csat)
    return "\n".join(lines), {"outcome": outcome, "csat": csat, "actions": []}, expected


def test_signals_on_1000_realistic_transcripts() -> None:
    """Correctness on 1,000 generated contacts. Their speed is bench/import.py's (parse_turns
    and detect per row, in its figures)."""
    rng = random.Random(20240601)
    cases = [realistic_transcript(rng) for _ in range(1000)]
    results = [
        detect(parse_turns(text), uncertainty_phrases=PHRASES, **fields)  # type: ignore[arg-type]
        for text, fields, _ in cases
    ]
    for (text, _, expected), found in zip(cases, results, strict=True):
        assert {f.kind for f in found} == expected, text
    assert all(
        any(cases_kind in exp for _, _, exp in cases) for cases_kind in set(K) - {K.repeat_contact}
    )


def test_resolution_is_the_agents_answer_not_their_doubt_or_goodbye() -> None:
    turns = [
        {"speaker": "agent", "text": "Hello, Northbank, how can I help?"},
        {"speaker": "customer", "text": "Why was I charged twice for the same coffee?"},
        {"speaker": "agent", "text": "I'm not sure, let me check with my team leader about it."},
        {"speaker": "agent", "text": "It's a duplicate, so I've refunded it to your account."},
        {"speaker": "customer", "text": "Thanks."},
        {"speaker": "agent", "text": "You're welcome, have a lovely day and take care now."},
    ]
    answer = resolution(turns, ["i'm not sure", "let me check with"])
    assert answer == "It's a duplicate, so I've refunded it to your account."
    assert resolution(turns[:2], ["i'm not sure"]) == ""


def test_the_main_question_of_a_chinese_or_japanese_contact_is_its_question():
    from coaching.interactions.excerpts import main_question

    zh = [
        {"speaker": "customer", "text": "你好"},
        {"speaker": "customer", "text": "我的国际汇款为什么还没到账？"},
        {"speaker": "customer", "text": "我已经等了很久了，真的非常着急，希望今天能处理好"},
    ]
    assert main_question(zh) == "我的国际汇款为什么还没到账？"
    ja = [
        {"speaker": "customer", "text": "もしもし"},
        {"speaker": "customer", "text": "カードの支払いがずっと保留中のままの理由を教えて"},
    ]
    assert main_question(ja).startswith("カードの支払い")  # long enough without a "？"
