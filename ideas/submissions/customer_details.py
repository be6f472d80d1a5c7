"""Customer details kept out of what staff write. A card, phone number, email, account or NI
number pasted into an idea, a comment, an answer or a hide reason is replaced by a placeholder
such as [CARD] before anything is stored, like an imported transcript
(``foundation.redaction``); the page then says so."""

from __future__ import annotations

import re
from collections import Counter

from babel.lists import format_list

from foundation.i18n import N_, babel_locale, gettext, ngettext
from foundation.redaction import get_redactor

# Staff write about customers. A card, phone number, email, account or NI number pasted into an
# idea, a comment or an answer is replaced by a placeholder such as [CARD] before anything is
# stored, like an imported transcript (``foundation.redaction``); the page then says so.
DETAIL_NAMES = {
    "CARD": N_("a card number"),
    "IBAN": N_("an IBAN"),
    "EMAIL": N_("an email address"),
    "PHONE": N_("a phone number"),
    "SORT_CODE": N_("a sort code"),
    "ACCOUNT_NUMBER": N_("an account number"),
    "NI_NUMBER": N_("a National Insurance number"),
    "ID_NUMBER": N_("an identity number"),
    "POSTCODE": N_("a postcode"),
    "NAME": N_("a name"),
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
    """What the author is told, in the current locale (called while the page is made), or None
    when nothing was removed."""
    names = [gettext(DETAIL_NAMES[k]) for k in kinds if k in DETAIL_NAMES]
    if not names:
        return None
    notice = ngettext(
        "To protect customers, we replaced what looked like %(listed)s with a placeholder. "
        "Please keep customers' details out of ideas and comments.",
        "To protect customers, we replaced what looked like %(listed)s with placeholders. "
        "Please keep customers' details out of ideas and comments.",
        len(names),
    )
    # "a, b and c" as the locale lists things.
    return notice % {"listed": format_list(names, locale=babel_locale())}
