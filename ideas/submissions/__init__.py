"""Ideas, problem reports and feedback from staff, and everything hanging off them.

Fixed file set:
- ``models.py``        tables and their Create/Update/Public schemas (ideas, categories, journey
                       stages, support, comments, status changes, notifications)
- ``service.py``       writes: the configurable lists, submit (draft, then store), support,
                       comment, answer (status with a response)
- ``queries.py``       reads: look-ups that respect hiding, lists, browse and search, comments,
                       answers, receipts, and the rows of the CSV export
- ``notifications.py`` followers hear about answers; each person's notifications
- ``moderation.py``    CX leads merge duplicates and hide ideas and comments, with a reason
- ``promise.py``       the response-time promise: due dates, overdue, answered in time
- ``customer_details.py`` customer details replaced by placeholders in what staff write
- ``similar.py``       the in-process vector index and the similar-idea look-up
"""
