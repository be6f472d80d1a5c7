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
- ``centres.py``      the Shanghai and Tokyo teams and their people
- ``ideas_zh.py``, ``ideas_ja.py``  the Shanghai and Tokyo teams' ideas (Chinese, Japanese, some
                      English)
- ``contacts_cjk.py`` their contacts in Chinese and Japanese, planned like the English ones
                      (``lang.py`` the shapes of their words, ``pii_cjk.py`` their synthetic PII)
- ``topics_*.py``, ``words_*.py``  those contacts' words: per theme, and the conversation parts
"""
