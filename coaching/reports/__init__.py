"""The outcomes evidence report for CX leads: per theme, for a period, what was found, what was
done and what it changed.

Fixed file set:
- ``queries.py`` the report's rows (evidence, plans, modules, guides, completion, effect and
                 response times); its CSV is written by ``api.presentation.report_csv``
"""
