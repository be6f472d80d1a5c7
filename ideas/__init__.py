"""Employee voice: ideas, problem reports and feedback, and the themes they form together with
the gap evidence of the interaction logs. Two rooms, each with a fixed file set (``models.py``
its tables and schemas, ``service.py`` writes that flush and never commit, ``queries.py`` reads,
plus the algorithm modules it needs):

- ``submissions/`` ideas and what hangs off them: submitting, support, comments, CX answers,
  notifications, moderation, the response-time promise and similar-idea search
- ``themes/``      ideas and gap evidence clustered into themes that keep their identity across
  runs, and the CX-lead review of them

``submissions`` stores a new idea in the nearest theme and takes a hidden or merged one out
(``themes.service.join`` / ``leave``); ``themes`` reads ideas as documents. Gap evidence comes
from ``coaching``, which depends on this package, through the ``themes.documents.Corpus``
protocol. Errors are ``foundation.errors`` domain errors.

Anonymity is a promise: an anonymous idea stores no author anywhere. Its author holds a receipt
token (only the hash is stored) to follow it and reply in its thread.
"""
