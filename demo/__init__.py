"""Demo content: synthetic people, ideas, interactions and guides for a fictional UK bank.

It sits above the domains: it may import them, and only the CLI's ``demo`` and ``run``
commands, the tests and the benchmarks import it; product code and request paths never do
(``tests/test_layering.py`` enforces this). Its long word lists are data, not logic.

Files:
- ``loader.py``       loads everything into a database (``voiceloop demo``), through the real
                      services and the real import job
- ``ideas.py``        the ideas, problem reports, feedback, comments and answers
- ``interactions.py`` the synthetic interaction-log generator (plans and renders contacts)
- ``script.py``       its words: themes, lines, vulnerability cues, synthetic PII shapes
- ``guides.py``       the best-practice guides
"""
