"""``coaching.interactions.transcript.parse_turns``. Every transcript here is written by hand for
the test."""

from __future__ import annotations

import pytest

from coaching.interactions.transcript import parse_turns


def speakers(text: str) -> list[str]:
    return [t["speaker"] for t in parse_turns(text)]


def test_agent_and_customer_lines() -> None:
    text = "Agent: Good morning, how can I help?\nCustomer: I'd like to check my balance."
    assert parse_turns(text) == [
        {"speaker": "agent", "text": "Good morning, how can I help?"},
        {"speaker": "customer", "text": "I'd like to check my balance."},
    ]


@pytest.mark.parametrize(
    ("label", "speaker"),
    [
        ("Agent:", "agent"),
        ("AGENT:", "agent"),
        ("agent:", "agent"),
        ("Agent :", "agent"),
        ("Agent -", "agent"),
        ("Agent \u2013", "agent"),
        ("Agent \u2014", "agent"),
        ("Advisor:", "agent"),
        ("Adviser:", "agent"),
        ("Rep:", "agent"),
        ("Representative:", "agent"),
        ("CSR:", "agent"),
        ("Colleague:", "agent"),
        ("SYSTEM:", "agent"),
        ("Agent 2:", "agent"),
        ("Agent (Sam):", "agent"),
        ("[10:32] Agent:", "agent"),
        ("10:32:05 - Agent:", "agent"),
        ("Customer:", "customer"),
        ("CUSTOMER:", "customer"),
        ("Customer -", "customer"),
        ("Cust:", "customer"),
        ("Caller:", "customer"),
        ("Member:", "customer"),
        ("Client:", "customer"),
        ("USER:", "customer"),
        ("  customer:", "customer"),
        ("(09:01) Caller -", "customer"),
    ],
)
def test_label_variants(label: str, speaker: str) -> None:
    text = f"{label} first words\nCustomer: reply" if speaker == "agent" else f"{label} first words"
    turns = parse_turns(text)
    assert turns[0] == {"speaker": speaker, "text": "first words"}


def test_schema_guided_dialogue_style() -> None:
    # As the Schema-Guided Dialogue banking data would be written out: SYSTEM is the agent.
    text = "USER: What's my balance?\nSYSTEM: In checking or savings?\nUSER: In checking."
    assert speakers(text) == ["customer", "agent", "customer"]


def test_multi_line_turns_run_until_the_next_label() -> None:
    text = (
        "Customer: I was charged twice for the same order.\n"
        "It was on Tuesday.\n"
        "\n"
        "Can you refund one?\n"
        "Agent: Let me look.\n"
        "I can see both payments."
    )
    turns = parse_turns(text)
    assert turns == [
        {
            "speaker": "customer",
            "text": "I was charged twice for the same order.\nIt was on Tuesday.\n\n"
            "Can you refund one?",
        },
        {"speaker": "agent", "text": "Let me look.\nI can see both payments."},
    ]


def test_windows_line_endings() -> None:
    text = "Agent: Hello\r\nCustomer: Hi there\r\nstill me\r\n"
    assert parse_turns(text) == [
        {"speaker": "agent", "text": "Hello"},
        {"speaker": "customer", "text": "Hi there\nstill me"},
    ]


def test_text_without_labels_is_one_notes_block() -> None:
    notes = "  Customer called about a missing card.\nReissued, advised 5 working days.  "
    assert parse_turns(notes) == [
        {
            "speaker": "notes",
            "text": "Customer called about a missing card.\nReissued, advised 5 working days.",
        }
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_has_no_turns(text: str) -> None:
    assert parse_turns(text) == []


def test_text_before_the_first_label_is_kept_as_notes() -> None:
    text = "Inbound call, queue: cards\nAgent: Hello\nCustomer: Hi"
    assert parse_turns(text) == [
        {"speaker": "notes", "text": "Inbound call, queue: cards"},
        {"speaker": "agent", "text": "Hello"},
        {"speaker": "customer", "text": "Hi"},
    ]


@pytest.mark.parametrize(
    "line",
    [
        "Customer-facing staff reissued the card.",
        "Username: cm730",
        "Reply: sent by email",
        "Client ID: 12345",
        "Agent name: Sam",
        "Customers: several called today",
        "Membership: gold",
        "The customer: unhappy",
    ],
)
def test_words_that_are_not_labels(line: str) -> None:
    assert speakers(line) == ["notes"]


def test_label_inside_a_line_is_text() -> None:
    text = "Agent: I told the customer: no fee applies.\nCustomer: ok"
    assert parse_turns(text)[0] == {
        "speaker": "agent",
        "text": "I told the customer: no fee applies.",
    }


def test_label_with_nothing_after_it_makes_no_turn() -> None:
    assert parse_turns("Agent:\nCustomer: Hello?\nAgent:   ") == [
        {"speaker": "customer", "text": "Hello?"}
    ]


def test_consecutive_turns_of_one_speaker_stay_separate() -> None:
    assert speakers("Agent: Hello\nAgent: Are you there?\nCustomer: Yes") == [
        "agent",
        "agent",
        "customer",
    ]


def test_redaction_tokens_survive() -> None:
    turns = parse_turns("Customer: my card [CARD] and sort code [SORT_CODE]\nAgent: thanks")
    assert turns[0]["text"] == "my card [CARD] and sort code [SORT_CODE]"


def test_pure() -> None:
    text = "Agent: Hello\nCustomer: Hi"
    first = parse_turns(text)
    first[0]["text"] = "changed"
    assert parse_turns(text) == [
        {"speaker": "agent", "text": "Hello"},
        {"speaker": "customer", "text": "Hi"},
    ]


def test_chinese_and_japanese_labels_start_turns():
    zh = "客服：您好，请问有什么可以帮您？\n客户：我的卡被冻结了。\n坐席:我帮您转接。"
    assert [t["speaker"] for t in parse_turns(zh)] == ["agent", "customer", "agent"]
    assert parse_turns(zh)[1]["text"] == "我的卡被冻结了。"
    ja = "オペレーター：お電話ありがとうございます。\nお客様：カードをなくしました。"
    assert [t["speaker"] for t in parse_turns(ja)] == ["agent", "customer"]
    # A label word inside a sentence is not a label.
    assert parse_turns("我是客户：不是坐席")[0]["speaker"] == "notes"
