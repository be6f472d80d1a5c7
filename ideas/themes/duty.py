"""The FCA Consumer Duty outcome a theme bears on, and the one suggested from its evidence.

The Duty asks firms for good outcomes in four areas (products and services, price and value,
consumer understanding, consumer support) and for customers in vulnerable circumstances
throughout. A CX lead sets a theme's outcome (``Theme.duty_outcome``); until then, and when it
is cleared, the suggestion made here from the theme's words and its share of missed
vulnerability signals stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from foundation.i18n import N_, gettext

# At least this share of the theme's gap evidence with a missed vulnerability signal makes it
# a theme about customers in vulnerable circumstances.
VULNERABLE_SHARE = 0.2


class DutyOutcome(StrEnum):
    """One of the Consumer Duty's four outcomes, or the treatment of vulnerable customers."""

    products_services = "products_services"
    price_value = "price_value"
    understanding = "understanding"
    support = "support"
    vulnerable = "vulnerable"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        return gettext(self.english_label)

    @property
    def english_label(self) -> str:
        """For stored texts (the theme's history), which stay English."""
        return {
            "products_services": N_("Products and services"),
            "price_value": N_("Price and value"),
            "understanding": N_("Consumer understanding"),
            "support": N_("Consumer support"),
            "vulnerable": N_("Customers in vulnerable circumstances"),
        }[self.value]


# Words (English stems, Chinese and Japanese terms) that point at an outcome, most specific
# first: a theme about a confusing fee letter is about understanding before price.
_CUES: tuple[tuple[DutyOutcome, tuple[str, ...]], ...] = (
    (
        DutyOutcome.understanding,
        (
            "explain",
            "understand",
            "confus",
            "unclear",
            "letter",
            "terms",
            "wording",
            "jargon",
            "statement",
            "small print",
            "misle",
            "解释",
            "不明白",
            "条款",
            "説明",
            "わから",
            "規約",
        ),
    ),
    (
        DutyOutcome.price_value,
        (
            "fee",
            "charge",
            "interest",
            "rate",
            "price",
            "cost",
            "apr",
            "overdraft",
            "commission",
            "费用",
            "手续费",
            "利率",
            "利息",
            "手数料",
            "金利",
        ),
    ),
    (
        DutyOutcome.products_services,
        (
            "card",
            "account type",
            "product",
            "feature",
            "mortgage",
            "savings",
            "isa",
            "loan",
            "app",
            "contactless",
            "卡",
            "产品",
            "カード",
            "商品",
        ),
    ),
)


def _matches(text: str, cue: str) -> bool:
    if not cue.isascii():
        return cue in text
    # English cues match at the start of a word ("fee" in "fees", not in "coffee").
    return re.search(r"(?<!\w)" + re.escape(cue), text) is not None


def suggest(name: str, keywords: Iterable[str], vulnerability_share: float) -> DutyOutcome:
    """The outcome a theme's evidence points at: vulnerable customers when missed vulnerability
    signals are a large share of it, else the first outcome whose words its name or keywords
    use, else consumer support (most contact-centre gaps are about the help given)."""
    if vulnerability_share >= VULNERABLE_SHARE:
        return DutyOutcome.vulnerable
    text = " ".join([name, *keywords]).casefold()
    for outcome, cues in _CUES:
        if any(_matches(text, cue) for cue in cues):
            return outcome
    return DutyOutcome.support


def parse(value: str) -> DutyOutcome | None:
    """A posted choice: an outcome, or None for "use the suggestion" (blank); ValueError else."""
    value = value.strip()
    return DutyOutcome(value) if value else None
