"""The shared foundation every VoiceLoop package may import (and nothing else does).

Fixed file set:
- ``settings.py``  the one pydantic-settings class (``VOICELOOP_`` environment prefix)
- ``db.py``        engine factory, session helpers and after-commit hooks
- ``accounts.py``  the identity every domain points at: users, teams and roles
- ``errors.py``    domain errors that carry their HTTP status
- ``clock.py``     the single source of "now" (UTC, timezone-aware)
- ``redaction.py`` customer PII redaction (Presidio, no NLP model, UK, Chinese and Japanese
                   recognizers, names), cheap to import: the ``Redactor``;
                   ``redaction_patterns.py`` the UK, card, IBAN and email recognizers and their
                   pre-filters, ``redaction_cjk.py`` the Chinese and Japanese ones,
                   ``redaction_text.py`` normalisation and boundaries, ``redaction_names.py``
                   the row's names; ``_presidio.py`` is the engine, loaded on first use
- ``pseudonyms.py`` keyed hashes (HMAC) of ids that may be personal data, and key rotation
- ``markdown.py``  the safe markdown subset idea bodies, coaching modules and guides are written in

Keep it small: domain behaviour belongs in ``ideas/``, ``coaching/`` or ``jobs/``.
"""
