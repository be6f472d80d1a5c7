"""Best-practice guides: drafts, versions, passages, review dates, feedback, and the real-time
search agents use during a contact.

Fixed file set:
- ``models.py``  Guide, GuideVersion, GuidePassage, GuideTheme, GuideFeedback (and the form)
- ``queries.py`` reading guides: lookups, versions, linked themes, reviews due, feedback counts
- ``service.py`` writing guides: create, update, publish (with passages), archive, review,
                 reuse and feedback
- ``drafts.py``  a guide's draft from a theme's contacts, and the linked guides' passages a
                 module's draft quotes
- ``search.py``  the in-process hybrid (semantic + BM25) index behind real-time guide search
"""
