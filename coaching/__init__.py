"""Interaction logs and coaching: records imported with customer PII redacted at the door,
knowledge-gap signals found in them, remediation statistics; later coaching modules and guides.

Fixed file set:
- ``models.py``     tables and their schemas
- ``redaction.py``  PII redaction (Presidio, no NLP model, UK recognizers, names from the row)
- ``transcript.py`` splitting a transcript into turns
- ``signals.py``    knowledge-gap and vulnerability signals: pure functions over turns and fields
- ``importer.py``   streaming CSV / JSON Lines import in checkpointed batches (runs as a job)
- ``stats.py``      gap rates and remediation effectiveness, honouring the minimum group size
- ``evidence.py``   gap evidence as theme documents, and the figures of the interactions in a theme
- ``demo.py``       the synthetic demo interactions generator (plans and renders contacts)
- ``demo_script.py`` its words: themes, lines, vulnerability cues, synthetic PII shapes
- ``demo_guides.py`` the demo best-practice guides

Nothing raw is stored: a transcript is redacted before it touches the database, a log line,
a job payload or the error report.
"""
