"""Helpers shared by the test suite (not tests themselves); test modules import these, never
each other.

- ``harness.py``  test settings, migrated SQLite/PostgreSQL databases, signing a client in
- ``services.py`` throwaway PostgreSQL and Redis for the suite
- ``server.py``   the real web server in a subprocess, for true parallel requests
- ``browser.py``  demo logins, signing in through the form, ``PageErrors``
- ``workers.py``  job-worker subprocesses for the kill-and-resume tests
- ``routes.py``   every route with a sample request, for the access, id and CSRF matrices
- ``coaching.py`` / ``ideas.py``  domain data for the tests of those packages
- ``banking77.py`` similar-idea quality on BANKING77 (its test and ``bench/similar_quality.py``)
"""
