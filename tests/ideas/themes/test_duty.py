"""The Consumer Duty outcome suggested from a theme's words and missed vulnerability signals."""

from __future__ import annotations

import pytest

from ideas.themes.duty import DutyOutcome, parse, suggest


@pytest.mark.parametrize(
    ("name", "keywords", "share", "expected"),
    [
        ("Overdraft fees", ["fees", "charged"], 0.0, DutyOutcome.price_value),
        ("Savings rate change", ["interest"], 0.0, DutyOutcome.price_value),
        ("Confusing annual statement letter", ["letter"], 0.0, DutyOutcome.understanding),
        ("Card not arrived", ["card", "delivery"], 0.0, DutyOutcome.products_services),
        ("Bereavement and hardship", ["fees"], 0.35, DutyOutcome.vulnerable),
        ("Hold times on the phone", ["queue", "wait"], 0.05, DutyOutcome.support),
        ("手续费太高", [], 0.0, DutyOutcome.price_value),
        ("Coffee machine", ["coffee"], 0.0, DutyOutcome.support),  # "fee" inside a word
    ],
)
def test_suggestion(name, keywords, share, expected):
    assert suggest(name, keywords, share) == expected


def test_labels_are_words_and_parse_takes_blank_as_the_suggestion():
    assert DutyOutcome.price_value.label == "Price and value"
    assert all("_" not in o.label for o in DutyOutcome)
    assert parse("") is None and parse("vulnerable") == DutyOutcome.vulnerable
    with pytest.raises(ValueError):
        parse("nonsense")
