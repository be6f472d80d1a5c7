"""Theme names as phrases of the members' own words (``phrases``, ``keywords``), and the
benchmark's measures of them (``bench/naming_metrics.py``)."""

from __future__ import annotations

import random

import pytest

from ideas.themes import phrases
from ideas.themes.keywords import _content, _english_last, _sequence, keywords_and_label

PENDING = [
    "Customer: my card payment is still pending [CARD]",
    "Why is my card payment still pending after 3 days?",
    "The card payment still pending, the shop says it went through",
    "Agent: card payments stay pending for up to a week",
    "pending payment on my card, please help",
]
ATM = [
    "The ATM kept my card",
    "ATM kept my card last night!",
    "my card is stuck in the ATM",
    "an ATM swallowed my card",
]
TRANSFER = [
    "My transfer was not received by my sister",
    "transfer not received yet",
    "They say the transfer was not received",
]


def english(text: str) -> dict[phrases.Key, phrases.Found]:
    return phrases.candidates(_sequence(text)[0], _content, phrases.ENGLISH, last=_english_last)


def test_candidates_run_between_breaks_and_edge_on_content_words() -> None:
    found = english("My card payment is still pending. Refund [CARD] now")
    assert ("card", "payment", "is", "still", "pending") in found
    assert found["card", "payment"].words == ("card", "payment")
    # Never across a full stop or a redaction token, never starting or ending on "my" or "is".
    assert not any("refund" in key and "pending" in key for key in found)
    assert not any(key[0] in {"my", "is"} or key[-1] in {"my", "is"} for key in found)
    assert not any(len(key) > 6 for key in found)
    # "Top" may start a name but not end one: that would cut "top up" short.
    topped = english("Google pay top up failed")
    assert ("top", "up", "failed") in topped and ("google", "pay", "top") not in topped


def test_a_phrase_stands_apart_unless_a_content_word_or_a_binding_word_touches_it() -> None:
    found = english("how long does a transfer take")
    assert not found["long", "does", "a", "transfer"].closed  # "how" before, "take" after
    assert not english("cancel order the same day")["cancel", "order"].closed  # "the" after
    assert english("cancel order at once")["cancel", "order"].closed
    assert english("my card payment is pending")["card", "payment", "is", "pending"].closed
    assert not english("card payment pending")["card", "payment"].closed


def test_best_prefers_a_phrase_many_members_use_with_characteristic_words() -> None:
    tally = phrases.Tally()
    for text in PENDING:
        sequence, _ = _sequence(text)
        tally.add(english(text), [t[1] for t in sequence if t and t[1]])
    weights = {"pending": 1.0, "payment": 0.8, "card": 0.3, "still": 0.1}
    key = phrases.best(tally, lambda w: weights.get(w, 0.0), 2)
    assert key == ("card", "payment", "still", "pending")
    assert tally.df[key] == 2 and tally.support(key) == 4  # all four words, in any order
    assert phrases.best(tally, lambda w: weights.get(w, 0.0), 9) is None


def test_english_names_are_phrases_of_the_members() -> None:
    named = keywords_and_label([PENDING, ATM, TRANSFER])
    assert [name for _, name in named] == [
        "Card payment still pending",
        "ATM kept my card",  # "ATM" as the members write it; the first letter capitalised
        "Transfer was not received",
    ]
    for (keywords, name), texts in zip(named, [PENDING, ATM, TRANSFER], strict=True):
        assert "/" not in name and keywords
        assert any(name.lower() in text.lower() for text in texts)


def test_names_do_not_depend_on_the_order_of_the_texts() -> None:
    clusters = [PENDING, ATM, TRANSFER]
    first = keywords_and_label(clusters)
    rng = random.Random(7)
    for _ in range(3):
        shuffled = [rng.sample(texts, len(texts)) for texts in clusters]
        assert keywords_and_label(shuffled) == first


def test_without_a_phrase_the_name_is_the_top_keyword() -> None:
    (_, name), (_, single) = keywords_and_label([["refund", "refund?", "Refund!"], ["card"]])
    assert name == "Refund" and single == "Card"
    assert keywords_and_label([["[CARD] [NAME] 1234"]]) == [([], "Unlabelled theme")]


def test_naming_metrics() -> None:
    metrics = pytest.importorskip("bench.naming_metrics")
    stems = [metrics.stem(w) for w in ("charges", "charged", "charge", "topping", "called")]
    assert stems == ["charg", "charg", "charg", "top", "call"]
    assert metrics.stem("declined") == metrics.stem("decline") and metrics.stem("bus") == "bus"
    assert metrics.label_words("card_payment_not_recognised") == {"card", "payment", "recognis"}
    labels = [["card_arrival", "card_arrival", "lost_or_stolen_card"], ["pending_transfer"]]
    assert metrics.name_hit(["Card has not arrived", "Money sent abroad"], labels) == 0.5
    assert metrics.name_hit(["Cards arriving late", "Transfers pending"], labels) == 1.0
    texts = [["My card hasn't arrived yet!"], ["Where is my transfer?"]]
    assert metrics.name_phrase(["Card hasn't arrived", "Transfer"], texts) == 0.5
    assert metrics.name_phrase(["Card hasn't", "My transfer"], texts) == 0.0  # stop-word edges
    assert metrics.name_phrase(["Arrived card", "Card / transfer"], texts) == 0.0
    top_up = [["top_up_failed"]]
    assert metrics.name_hit(["Keeps failing"], top_up) == 1.0  # both stem to "fail"
    assert metrics.name_hit(["Top up refused"], top_up) == 1.0  # "top" names the product here
    assert metrics.name_hit(["Money refused"], top_up) == 0.0
    assert metrics.name_phrase(["Top up failed"], [["My top up failed again"]]) == 1.0


def test_two_themes_never_share_a_name_the_larger_keeps_its_best() -> None:
    larger = ["New card has not arrived", "new card not arrived yet", "new card still not here"]
    smaller = ["New card for my trip abroad", "need a new card before my trip abroad"]
    alone = keywords_and_label([smaller])[0][1]
    (_, first), (_, second) = keywords_and_label([smaller, larger])
    assert first.casefold() != second.casefold()
    assert second == keywords_and_label([larger])[0][1]  # the larger one chose first
    assert alone.casefold() == "new card" and first.casefold() != "new card"
