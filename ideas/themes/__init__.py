"""Themes: ideas and gap evidence clustered together, kept stable across runs, reviewed by CX
leads.

Fixed file set:
- ``models.py``     tables and schemas (themes, members, runs, history events, action plans)
- ``documents.py``  what the clustering sees (documents, the ``Corpus`` protocol) and their
                    stored vectors
- ``runs.py``       writes: applying a full run with stable identity, and a theme's members,
                    counts and labels
- ``service.py``    writes: joining and leaving between runs, and the CX-lead edits (rename,
                    status, merge, split, action plan)
- ``queries.py``    reads: look-ups, lists, members, weekly trends, history, plans
- ``clustering.py`` the pipeline: precomputed embeddings in, deterministic clusters out (no
                    database)
- ``granularity.py`` how fine themes are: leaf clusters merged to the best-silhouette level
- ``sources.py``    ideas beside evidence only when about the same problem; idea-only themes
- ``keywords.py``   c-TF-IDF keywords and names of clusters, per language (no database)
- ``phrases.py``    names as short phrases of the members' own words, chosen and scored
- ``tokens.py``     Chinese (jieba) and Japanese (janome) words for the keywords
- ``naming.py``     which name and keywords a viewer sees, in their language where it can be
- ``vectors.py``    blocked cosine helpers and the rule a document joins a theme by
"""
