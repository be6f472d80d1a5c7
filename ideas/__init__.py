"""Employee voice: ideas, problem reports and feedback, and the themes they form together with
the gap evidence of the interaction logs.

Fixed file set:
- ``models.py``   tables and their Create/Update/Public schemas
- ``service.py``  what can be done with ideas (submit, support, comment, answer, merge, hide);
                  functions flush, never commit, and raise ``foundation.errors`` domain errors
- ``similar.py``  the in-process vector index behind similar-idea suggestions and search
- ``markdown.py`` the safe markdown subset idea bodies are written in
- ``clustering.py`` the theme pipeline: precomputed embeddings in, deterministic clusters, c-TF-IDF
                  keywords and labels out (no database)
- ``themes.py``   themes in the database: applying a run with stable identity, joining between
                  runs, and the CX-lead edits (rename, merge, split, status, action plan)

Anonymity is a promise: an anonymous idea stores no author anywhere. Its author holds a receipt
token (only the hash is stored) to follow it and reply in its thread.
"""
