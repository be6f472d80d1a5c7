"""Customer details kept out of what staff write. A card, phone number, email, account or NI
number pasted into an idea, a comment, an answer or a hide reason is replaced by a placeholder
such as [CARD] before anything is stored, like an imported transcript
(``foundation.redaction``); the page then says so."""

from __future__ import annotations

import re
from collections import Counter

from foundation.redaction import get_redactor

# Staff write about customers. A card, phone number, email, account or NI number pasted into an
# idea, a comment or an answer is replaced by a placeholder such as [CARD] before anything is
# stored, like an imported transcript (``foundation.redaction``); the page then says so.
DETAIL_NAMES = {
    "CARD": "a card number",
    "IBAN": "an IBAN",
    "EMAIL": "an email address",
    "PHONE": "a phone number",
    "SORT_CODE": "a sort code",
    "ACCOUNT_NUMBER": "an account number",
    "NI_NUMBER": "a National Insurance number",
    "POSTCODE": "a postcode",
    "NAME": "a name",
}


_PLACEHOLDER = re.compile(r"\[([A-Z_]+)\]")


def without_customer_details(text: str) -> str:
    return get_redactor().redact(text)[0] if text.strip() else text


def removed_details(typed: str, stored: str) -> list[str]:
    """The kinds of customer detail (``CARD``, ``PHONE``...) replaced between what someone typed
    and what was stored, in a stable order."""
    before = Counter(m for m in _PLACEHOLDER.findall(typed) if m in DETAIL_NAMES)
    after = Counter(m for m in _PLACEHOLDER.findall(stored) if m in DETAIL_NAMES)
    return [kind for kind in DETAIL_NAMES if after[kind] > before[kind]]


def removed_notice(kinds: list[str]) -> str | None:
    """What the author is told, or None when nothing was removed."""
    names = [DETAIL_NAMES[k] for k in kinds if k in DETAIL_NAMES]
    if not names:
        return None
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    placeholders = "a placeholder" if len(names) == 1 else "placeholders"
    return (
        f"To protect customers, we replaced what looked like {listed} with {placeholders}. "
        "Please keep customers' details out of ideas and comments."
    )
