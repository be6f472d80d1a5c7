"""Employee voice: ideas, problem reports and feedback, and (later) the themes they form.

Fixed file set:
- ``models.py``   tables and their Create/Update/Public schemas
- ``service.py``  what can be done with ideas (submit, support, comment, answer, merge, hide);
                  functions flush, never commit, and raise ``foundation.errors`` domain errors
- ``similar.py``  the in-process vector index behind similar-idea suggestions and search
- ``markdown.py`` the safe markdown subset idea bodies are written in
- ``demo.py``     synthetic demo ideas

Anonymity is a promise: an anonymous idea stores no author anywhere. Its author holds a receipt
token (only the hash is stored) to follow it and reply in its thread.
"""
