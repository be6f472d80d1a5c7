"""The outcomes evidence report for CX leads: per theme, for a period, under the Consumer Duty
outcome it bears on, what was found, what was done and what it changed; generated as a dated,
frozen snapshot.

Fixed file set:
- ``content.py`` what a report holds (themes, plans, modules and their effect, completion,
                 response times, weekly figures) and its JSON form, stored whole in a snapshot
- ``models.py``  the ``report_snapshot`` table: period, version, who generated it and when,
                 what it was built from, and the report's JSON
- ``queries.py`` reads: building the report from the database, and the stored snapshots
- ``service.py`` writes: generating a snapshot
The page, PDF and CSV are made by ``api`` (``api.presentation.report_csv``,
``api.presentation_svg`` for its charts).
"""
