"""Interaction logs and coaching: records imported with customer PII redacted at the door,
knowledge-gap signals found in them, remediation statistics; coaching modules, assignments and
their measured effect; best-practice guides and their real-time search.

Fixed file set:
- ``models.py``     tables and their schemas
- ``transcript.py`` splitting a transcript into turns
- ``signals.py``    knowledge-gap and vulnerability signals: pure functions over turns and fields
- ``importer.py``   streaming CSV / JSON Lines import in checkpointed batches (runs as a job)
- ``stats.py``      gap rates and remediation effectiveness, honouring the minimum group size
- ``evidence.py``   gap evidence as theme documents, and the figures of the interactions in a theme
- ``modules.py``    coaching modules: drafts pre-filled from a theme's evidence, versions, questions
- ``assignments.py`` assigning versions to agents, attempts, completion, overdue, reminders
                    and completion figures
- ``suggestions.py`` offering a theme's module for agents with a high gap rate in it
- ``effect.py``     the coaching effect: difference in differences with a cluster bootstrap
- ``guides.py``     best-practice guides: drafts, versions, passages, review dates, feedback
- ``guide_search.py`` the in-process hybrid (semantic + BM25) index behind real-time guide search
- ``report.py``     the outcomes evidence report (per theme, for a period; HTML and CSV)

Nothing raw is stored: every field of an interaction is redacted (``foundation.redaction``)
before it touches the database, a log line, a job payload or the error report, and customer and
interaction ids are kept only as keyed hashes (``foundation.pseudonyms``).
"""
