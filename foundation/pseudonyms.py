"""Keyed hashes for identifiers that may be personal data.

An imported ``customer_id`` or ``interaction_id`` can be anything the contact platform chose: a
card number, an email address, a phone number. Neither is stored: only
``HMAC-SHA256(pii_key, kind + NUL + value)`` as 64 hex characters, where ``kind`` keeps the two
namespaces apart (the same string as a customer id and as an interaction id gives unrelated
hashes). The same value always gives the same hash under one key, so re-importing an
``interaction_id`` still updates its row and repeat contacts by ``customer_id`` are still found;
without the key, a hash cannot be checked against a guess, however few the possible ids.

``VOICELOOP_PII_KEY`` is its own secret, never the session secret (``VOICELOOP_SECRET_KEY``):
a leaked session secret must not let anyone test guesses against stored ids.

Rotating the key (for example when the old one may have leaked):

1. Set ``VOICELOOP_PII_KEY_PREVIOUS`` to the current key and ``VOICELOOP_PII_KEY`` to a new
   random one (``python -c "import secrets; print(secrets.token_urlsafe(48))"``); restart the
   web processes and the workers.
2. From then on every import stores hashes under the new key. A lookup tries the new key, then
   the previous one, and re-keys what it finds under the previous key: a re-imported
   interaction gets its new hash (updated, never duplicated), and a customer's earlier contacts
   get the new customer hash when that customer's id is next imported, so repeat contacts
   across the change are still found.
3. Drop ``VOICELOOP_PII_KEY_PREVIOUS`` once older interactions will not be re-imported and
   repeat contacts across the change no longer matter: at the earliest ``repeat_contact_days``
   (7) after the change, or after your platform's re-export window if that is longer. Rows
   never seen again keep their old hash: a pseudonym that, with the previous key gone, nothing
   can link to a new import or test against a guess.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Literal

from foundation.settings import Settings

Kind = Literal["customer", "interaction"]


def keyed_hash(key: str, kind: Kind, value: str) -> str:
    """HMAC-SHA256 of ``kind`` and ``value`` under ``key``, as 64 lower-case hex characters."""
    message = f"{kind}\x00{value}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Pseudonyms:
    """The current key, and the previous one while a rotation is under way."""

    key: str
    previous: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Pseudonyms:
        previous = settings.pii_key_previous
        return cls(
            settings.pii_key.get_secret_value(),
            previous.get_secret_value() if previous is not None else None,
        )

    def of(self, kind: Kind, value: str) -> str:
        """The hash to store: under the current key."""
        return keyed_hash(self.key, kind, value)

    def previous_of(self, kind: Kind, value: str) -> str | None:
        """The hash the same value had under the previous key (None when none is set)."""
        return keyed_hash(self.previous, kind, value) if self.previous else None
