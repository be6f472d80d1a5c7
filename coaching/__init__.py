"""Interaction logs and coaching, in four rooms (each lists its files in its ``__init__``):

- ``interactions/`` imported contact logs with customer PII redacted at the door, the
  knowledge-gap and vulnerability signals found in them, gap rates, remediation and the gap
  evidence that themes are made of
- ``modules/``      coaching modules, their versions and check questions, assignments and
  completion, suggestions for agents with a high gap rate, and the measured coaching effect
- ``guides/``       best-practice guides and their real-time hybrid search
- ``reports/``      the outcomes evidence report (per theme, for a period)

Each room has ``models.py`` (its tables), ``service.py`` (writes: functions flush, never commit)
and ``queries.py`` (reads) where it has them, plus the algorithm modules it needs. Domain code
returns numbers and rows; charts, CSV and highlighting are made by ``api.presentation``.

Nothing raw is stored: every field of an interaction is redacted (``foundation.redaction``)
before it touches the database, a log line, a job payload or the error report, and customer and
interaction ids are kept only as keyed hashes (``foundation.pseudonyms``).
"""
