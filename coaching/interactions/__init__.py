"""Interaction logs: records imported with customer PII redacted, the knowledge-gap signals found
in them, gap rates and remediation, and gap evidence as theme documents.

Fixed file set:
- ``models.py``      Agent, Interaction, Signal, ImportProblem, ActionLabel (and Channel, Outcome,
                     SignalKind)
- ``importer.py``    the import format and its limits, rows and batches, the problems report,
                     staging an upload (the ``interactions.import`` job drives the rest)
- ``reader.py``      streaming CSV / JSON Lines read in byte-offset batches (the checkpoint)
- ``validate.py``    one row against the format's limits; redacting every value in it
- ``store.py``       ``Store``: prepare a batch outside a transaction, write it in bulk
- ``transcript.py``  splitting a transcript into turns
- ``signals.py``     knowledge-gap and vulnerability signals: pure functions over turns and fields
- ``matching.py``    phrase matching, negation and the cheap necessary conditions (prefilter)
- ``phrases.py``     the fixed phrase families and support action codes (data)
- ``sentiment.py``   negative customer sentiment at the end of a contact (VADER)
- ``excerpts.py``    the evidence excerpt of a signal
- ``queries.py``     gap rates by kind, agent, team and week, honouring the minimum group size
- ``remediation.py`` remediation effectiveness of actions
- ``evidence.py``    gap evidence as theme documents, theme figures, signal drill-down
- ``actions.py``     action codes in plain words: admin-edited labels, else the code humanised
- ``answers.py``     teaching material for drafts: a theme's questions, the most central good
                     answers, what went wrong, with the contacts they come from

The only writes here are the import's (``store.py``) and the admin's action labels
(``actions.py``), so there is no ``service.py``.
"""
